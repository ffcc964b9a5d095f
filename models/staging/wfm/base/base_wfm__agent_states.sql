with

source as (
    {{ raw_source_as_text(source('wfm', 'agent_states')) }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('agent_id') }} as agent_id,
        {{ try_parse_timestamp_utc('state_start') }} as state_start,
        {{ clean_text('state_start') }} as state_start_text,
        {{ try_parse_timestamp_utc('state_end') }} as state_end,
        {{ clean_text('state_end') }} as state_end_text,
        {{ clean_code('state') }} as state
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('agent_id') }}
            {{ reject_missing('state_start', 'state_start_text') }}
            {{ reject_invalid('state_start', 'an ISO 8601 timestamp') }}
            {{ reject_missing('state_end', 'state_end_text') }}
            {{ reject_invalid('state_end', 'an ISO 8601 timestamp') }}
            {{ reject_missing('state') }}
            {{ reject_not_accepted('agent_states', 'state') }}
            {{ reject_end_not_after_start('state_start', 'state_end') }}
        end as rejection_reason
    from parsed
),

{{ reject_overlaps('validated', 'agent_id', 'state_start', 'state_end', 'agent state') }},

final as (
    select
        _row_number,
        case when overlap_checked_reason is not null then raw_row end as raw_row,
        overlap_checked_reason as rejection_reason,
        agent_id,
        state_start,
        state_end,
        state
    from overlaps_rejected
)

select * from final
