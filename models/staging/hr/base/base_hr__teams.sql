with

source as (
    {{ raw_source_as_text(source('hr', 'teams')) }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_text('team_name') }} as team_name,
        {{ clean_text('manager_id') }} as manager_id,
        {{ clean_text('director_id') }} as director_id
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('team_id') }}
            {{ reject_missing('manager_id') }}
            {{ reject_missing('director_id') }}
        end as rejection_reason
    from parsed
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        rejection_reason,
        team_id,
        team_name,
        manager_id,
        director_id
    from validated
)

select * from final
