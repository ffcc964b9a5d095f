{#-
    Role periods as half-open date intervals [valid_from, valid_until), so a
    date lookup is one interval join: valid_from <= d < valid_until. An open
    period runs to 9999-12-31.
-#}

with

agent_roles as (
    select * from {{ ref('stg_hr__agent_roles') }}
),

final as (
    select
        agent_id,
        role,
        team_id,
        valid_from,
        coalesce(valid_to, cast('9999-12-31' as date)) as valid_until,
        role in ('agent', 'senior_agent') as is_frontline
    from agent_roles
)

select * from final
