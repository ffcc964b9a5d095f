with

source as (
    {{ raw_source_as_text(source('hr', 'agent_roles')) }}
),

teams as (
    select team_id from {{ ref('base_hr__teams') }}
    where rejection_reason is null
    group by team_id
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_code('role') }} as role,
        {{ clean_text('team_id') }} as team_id,
        {{ try_parse_date('valid_from') }} as valid_from,
        {{ clean_text('valid_from') }} as valid_from_text,
        {{ try_parse_date('valid_to') }} as valid_to,
        {{ clean_text('valid_to') }} as valid_to_text
    from source
),

validated as (
    select
        parsed.*,
        case
            {{ reject_malformed() }}
            {{ reject_missing('agent_id') }}
            {{ reject_missing('role') }}
            {{ reject_missing('valid_from', 'valid_from_text') }}
            {{ reject_invalid('valid_from', 'a YYYY-MM-DD date') }}
            {{ reject_invalid('valid_to', 'a YYYY-MM-DD date') }}
            {{ reject_not_accepted('agent_roles', 'role') }}
            {{ reject_end_not_after_start('valid_from', 'valid_to') }}
            {{ reject_unknown_team('parsed.team_id', 'teams.team_id') }}
        end as rejection_reason
    from parsed
    left join teams
        on parsed.team_id = teams.team_id
),

{{ reject_overlaps(
    'validated', 'agent_id', 'valid_from', "coalesce(valid_to, cast('9999-12-31' as date))", 'role period'
) }},

final as (
    select
        _row_number,
        case when overlap_checked_reason is not null then raw_row end as raw_row,
        overlap_checked_reason as rejection_reason,
        agent_id,
        role,
        team_id,
        valid_from,
        valid_to
    from overlaps_rejected
)

select * from final
