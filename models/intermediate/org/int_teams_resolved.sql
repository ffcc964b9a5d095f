{#-
    Every team with its manager and the function's director, plus the team
    `unassigned` (manager `unassigned`) that holds facts no team can take.
-#}

with

teams as (
    select * from {{ ref('stg_hr__teams') }}
),

director as (
    select * from {{ ref('int_function_director') }}
),

known_teams as (
    select
        teams.team_id,
        teams.team_name,
        teams.manager_id,
        director.director_id
    from teams
    cross join director
),

unassigned_team as (
    select
        'unassigned' as team_id,
        'Unassigned' as team_name,
        'unassigned' as manager_id,
        director.director_id
    from director
),

final as (
    select * from known_teams
    union all
    select * from unassigned_team
)

select * from final
