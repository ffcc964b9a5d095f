with

teams as (
    select * from {{ ref('int_teams_resolved') }}
),

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

final as (
    select
        teams.team_id,
        teams.team_name,
        teams.manager_id,
        case when teams.manager_id = 'unassigned' then 'Unassigned' else managers.full_name end as manager_name,
        teams.director_id,
        directors.full_name as director_name,
        teams.team_id = 'unassigned' as is_unassigned
    from teams
    left join agents as managers
        on teams.manager_id = managers.agent_id
    left join agents as directors
        on teams.director_id = directors.agent_id
)

select * from final
