{#-
    The function has one director: the director_id named by the most teams
    (ties: the smallest id). teams.director_id only elects it; every team and
    manager rolls up to this person.
-#}

with

teams as (
    select * from {{ ref('stg_hr__teams') }}
),

votes as (
    select
        director_id,
        count(*) as team_count
    from teams
    group by director_id
),

ranked as (
    select
        director_id,
        row_number() over (order by team_count desc, director_id asc) as director_rank
    from votes
),

final as (
    select director_id
    from ranked
    where director_rank = 1
)

select * from final
