{#-
    Each person's team over all time as consecutive half-open date intervals
    [valid_from, valid_until) with no gaps: their role periods, plus the days
    they held no role (before the first, between two, after the last), which
    belong to team `unassigned`. A role without a team (manager, director)
    is `unassigned` too. So "a person's team on a date" is one interval join
    that always finds exactly one row for a person with any role.
-#}

with

role_periods as (
    select * from {{ ref('int_agent_roles_spanned') }}
),

sequenced as (
    select
        agent_id,
        role,
        team_id,
        valid_from,
        valid_until,
        lag(valid_until) over (partition by agent_id order by valid_from) as previous_valid_until,
        row_number() over (partition by agent_id order by valid_from desc) as reverse_rank
    from role_periods
),

held_roles as (
    select
        agent_id,
        role,
        coalesce(team_id, 'unassigned') as team_id,
        valid_from,
        valid_until
    from sequenced
),

gaps_before as (
    select
        agent_id,
        cast(null as {{ dbt.type_string() }}) as role,
        'unassigned' as team_id,
        coalesce(previous_valid_until, cast('0001-01-01' as date)) as valid_from,
        valid_from as valid_until
    from sequenced
    where coalesce(previous_valid_until, cast('0001-01-01' as date)) < valid_from
),

gap_after_last as (
    select
        agent_id,
        cast(null as {{ dbt.type_string() }}) as role,
        'unassigned' as team_id,
        valid_until as valid_from,
        cast('9999-12-31' as date) as valid_until
    from sequenced
    where reverse_rank = 1 and valid_until < cast('9999-12-31' as date)
),

final as (
    select * from held_roles
    union all
    select * from gaps_before
    union all
    select * from gap_after_last
)

select * from final
