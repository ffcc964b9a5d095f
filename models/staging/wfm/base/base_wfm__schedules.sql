with

source as (
    {{ raw_source_as_text(source('wfm', 'schedules')) }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('agent_id') }} as agent_id,
        {{ try_parse_timestamp_utc('segment_start') }} as segment_start,
        {{ clean_text('segment_start') }} as segment_start_text,
        {{ try_parse_timestamp_utc('segment_end') }} as segment_end,
        {{ clean_text('segment_end') }} as segment_end_text,
        {{ clean_code('activity') }} as activity
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('agent_id') }}
            {{ reject_missing('segment_start', 'segment_start_text') }}
            {{ reject_invalid('segment_start', 'an ISO 8601 timestamp') }}
            {{ reject_missing('segment_end', 'segment_end_text') }}
            {{ reject_invalid('segment_end', 'an ISO 8601 timestamp') }}
            {{ reject_missing('activity') }}
            {{ reject_not_accepted('schedules', 'activity') }}
            {{ reject_end_not_after_start('segment_start', 'segment_end') }}
        end as rejection_reason
    from parsed
),

{{ reject_overlaps('validated', 'agent_id', 'segment_start', 'segment_end', 'schedule segment') }},

final as (
    select
        _row_number,
        case when overlap_checked_reason is not null then raw_row end as raw_row,
        overlap_checked_reason as rejection_reason,
        agent_id,
        segment_start,
        segment_end,
        activity
    from overlaps_rejected
)

select * from final
