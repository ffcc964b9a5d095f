with

valid_teams as (
    {{ valid_rows('base_hr__teams') }}
),

deduplicated as (
    {{ deduplicate('valid_teams', 'team_id', '_row_number') }}
),

final as (
    select
        team_id,
        team_name,
        manager_id,
        director_id,
        _row_number as source_row_number
    from deduplicated
)

select * from final
