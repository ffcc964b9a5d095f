{#-
    Numerator and denominator of every KPI per (grain, period, level, entity,
    parent): the cascade's additive core.

    Daily components are expanded to every grain the catalog lists for their
    KPI (period_start = the period's first day; weeks are ISO weeks starting
    Monday), per-period components (snapshots, distinct counts) join them at
    the same key, and both are summed per (agent, team). Each level is then a
    sum of those sums, never an average of values:
    agent (parent its team) → team (parent its manager) → manager (parent the
    function's director) → director. A row exists only where a component
    falls into it, and only at the grains and levels the catalog lists.
-#}

with

kpi_components as (
    select * from {{ ref('int_kpi_components') }}
),

kpi_period_components as (
    select * from {{ ref('int_kpi_period_components') }}
),

kpi_catalog as (
    select * from {{ ref('kpi_catalog') }}
),

teams_resolved as (
    select * from {{ ref('int_teams_resolved') }}
),

period_grains as (
    select 'day' as period_grain
    union all
    select 'week' as period_grain
    union all
    select 'month' as period_grain
    union all
    select 'quarter' as period_grain
),

org_levels as (
    select 'agent' as org_level
    union all
    select 'team' as org_level
    union all
    select 'manager' as org_level
    union all
    select 'director' as org_level
),

kpi_grains as (
    select
        kpi_catalog.kpi_id,
        period_grains.period_grain
    from kpi_catalog
    inner join period_grains
        on {{ scorecard_list_contains('kpi_catalog.grains', 'period_grains.period_grain') }}
),

kpi_levels as (
    select
        kpi_catalog.kpi_id,
        org_levels.org_level
    from kpi_catalog
    inner join org_levels
        on {{ scorecard_list_contains('kpi_catalog.levels', 'org_levels.org_level') }}
),

-- Collapse repeated keys first, so each day is expanded once per grain.
daily_components as (
    select
        kpi_id,
        fact_date,
        agent_id,
        team_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from kpi_components
    group by
        kpi_id,
        fact_date,
        agent_id,
        team_id
),

daily_in_periods as (
    select
        daily_components.kpi_id,
        kpi_grains.period_grain,
        case kpi_grains.period_grain
            when 'day' then daily_components.fact_date
            when 'week' then cast({{ dbt.date_trunc('week', 'daily_components.fact_date') }} as date)
            when 'month' then cast({{ dbt.date_trunc('month', 'daily_components.fact_date') }} as date)
            when 'quarter' then cast({{ dbt.date_trunc('quarter', 'daily_components.fact_date') }} as date)
        end as period_start,
        daily_components.agent_id,
        daily_components.team_id,
        daily_components.numerator,
        daily_components.denominator
    from daily_components
    inner join kpi_grains
        on daily_components.kpi_id = kpi_grains.kpi_id
),

period_components as (
    select
        kpi_period_components.kpi_id,
        kpi_period_components.period_grain,
        kpi_period_components.period_start,
        kpi_period_components.agent_id,
        kpi_period_components.team_id,
        kpi_period_components.numerator,
        kpi_period_components.denominator
    from kpi_period_components
    inner join kpi_grains
        on
            kpi_period_components.kpi_id = kpi_grains.kpi_id
            and kpi_period_components.period_grain = kpi_grains.period_grain
),

all_components as (
    select * from daily_in_periods
    union all
    select * from period_components
),

-- The finest grain of the cascade: one row per (agent, team) per period. A
-- KPI may take its numerator from one input and its denominator from the
-- other; sum() ignores the missing side.
agent_team_sums as (
    select
        kpi_id,
        period_grain,
        period_start,
        agent_id,
        coalesce(team_id, 'unassigned') as team_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from all_components
    group by
        kpi_id,
        period_grain,
        period_start,
        agent_id,
        coalesce(team_id, 'unassigned')
),

-- The function's single director (every team carries the same one); an
-- aggregate always returns one row, so the cross join below keeps every row.
function_director as (
    select max(director_id) as director_id
    from teams_resolved
),

-- A team missing from the org (not expected: team ids are validated
-- upstream) still reaches the director through manager `unassigned`, so no
-- fact is dropped from the totals.
with_hierarchy as (
    select
        agent_team_sums.kpi_id,
        agent_team_sums.period_grain,
        agent_team_sums.period_start,
        agent_team_sums.agent_id,
        agent_team_sums.team_id,
        coalesce(teams_resolved.manager_id, 'unassigned') as manager_id,
        coalesce(teams_resolved.director_id, function_director.director_id, 'unassigned') as director_id,
        agent_team_sums.numerator,
        agent_team_sums.denominator
    from agent_team_sums
    left join teams_resolved
        on agent_team_sums.team_id = teams_resolved.team_id
    cross join function_director
),

-- Facts with no person have no agent row; a person in two teams within one
-- period has one row per team (the parent is part of the key).
agent_rows as (
    select
        kpi_id,
        period_grain,
        period_start,
        'agent' as level,
        agent_id as entity_id,
        'team' as parent_level,
        team_id as parent_entity_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from with_hierarchy
    where agent_id is not null
    group by
        kpi_id,
        period_grain,
        period_start,
        agent_id,
        team_id
),

team_rows as (
    select
        kpi_id,
        period_grain,
        period_start,
        'team' as level,
        team_id as entity_id,
        'manager' as parent_level,
        manager_id as parent_entity_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from with_hierarchy
    group by
        kpi_id,
        period_grain,
        period_start,
        team_id,
        manager_id
),

manager_rows as (
    select
        kpi_id,
        period_grain,
        period_start,
        'manager' as level,
        manager_id as entity_id,
        'director' as parent_level,
        director_id as parent_entity_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from with_hierarchy
    group by
        kpi_id,
        period_grain,
        period_start,
        manager_id,
        director_id
),

director_rows as (
    select
        kpi_id,
        period_grain,
        period_start,
        'director' as level,
        director_id as entity_id,
        cast(null as {{ dbt.type_string() }}) as parent_level,
        cast(null as {{ dbt.type_string() }}) as parent_entity_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from with_hierarchy
    group by
        kpi_id,
        period_grain,
        period_start,
        director_id
),

all_levels as (
    select * from agent_rows
    union all
    select * from team_rows
    union all
    select * from manager_rows
    union all
    select * from director_rows
),

-- Totals carry no denominator whatever their inputs say; for the other KPIs
-- a side no component fed is 0 (a fact entered the row, so it is a count or
-- sum of nothing, not unknown).
final as (
    select
        all_levels.kpi_id,
        all_levels.period_grain,
        all_levels.period_start,
        all_levels.level,
        all_levels.entity_id,
        all_levels.parent_level,
        all_levels.parent_entity_id,
        coalesce(all_levels.numerator, 0) as numerator,
        case
            when all_levels.kpi_id in {{ scorecard_sql_list(scorecard_total_kpi_ids()) }}
                then cast(null as {{ scorecard_type_double() }})
            else coalesce(all_levels.denominator, 0)
        end as denominator
    from all_levels
    inner join kpi_levels
        on
            all_levels.kpi_id = kpi_levels.kpi_id
            and all_levels.level = kpi_levels.org_level
)

select * from final
