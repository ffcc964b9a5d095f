{#-
    The KPI catalog as BI tools read it: one row per KPI with its definition,
    the grains and levels it is reported at, whether it is a total, its
    default tolerance bands and the bands in force at each level it is
    reported at, and the levels accountable for it.
-#}

with

kpi_catalog as (
    select * from {{ ref('kpi_catalog') }}
),

kpi_targets as (
    select * from {{ ref('kpi_targets') }}
),

kpi_accountability as (
    select * from {{ ref('kpi_accountability') }}
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

-- The bands in force at each level the KPI is reported at: the level's own
-- row, else the KPI's `*` row (the rule of fct_kpi_cascade).
targets_in_force as (
    select
        kpi_catalog.kpi_id,
        org_levels.org_level,
        case
            when level_targets.kpi_id is not null then level_targets.green_threshold
            else default_targets.green_threshold
        end as green_threshold,
        case
            when level_targets.kpi_id is not null then level_targets.amber_threshold
            else default_targets.amber_threshold
        end as amber_threshold
    from kpi_catalog
    inner join org_levels
        on {{ scorecard_list_contains('kpi_catalog.levels', 'org_levels.org_level') }}
    left join kpi_targets as level_targets
        on
            kpi_catalog.kpi_id = level_targets.kpi_id
            and org_levels.org_level = level_targets.level
    left join kpi_targets as default_targets
        on
            kpi_catalog.kpi_id = default_targets.kpi_id
            and default_targets.level = '*'
),

targets_pivoted as (
    select
        kpi_id,
        max(case when org_level = 'agent' then green_threshold end) as target_green_agent,
        max(case when org_level = 'agent' then amber_threshold end) as target_amber_agent,
        max(case when org_level = 'team' then green_threshold end) as target_green_team,
        max(case when org_level = 'team' then amber_threshold end) as target_amber_team,
        max(case when org_level = 'manager' then green_threshold end) as target_green_manager,
        max(case when org_level = 'manager' then amber_threshold end) as target_amber_manager,
        max(case when org_level = 'director' then green_threshold end) as target_green_director,
        max(case when org_level = 'director' then amber_threshold end) as target_amber_director
    from targets_in_force
    group by kpi_id
),

default_targets as (
    select
        kpi_id,
        green_threshold,
        amber_threshold
    from kpi_targets
    where level = '*'
),

accountability_pivoted as (
    select
        kpi_id,
        max(case when level = 'agent' then 1 else 0 end) = 1 as is_agent_accountable,
        max(case when level = 'team' then 1 else 0 end) = 1 as is_team_accountable,
        max(case when level = 'manager' then 1 else 0 end) = 1 as is_manager_accountable,
        max(case when level = 'director' then 1 else 0 end) = 1 as is_director_accountable
    from kpi_accountability
    group by kpi_id
),

final as (
    select
        cast(kpi_catalog.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpi_catalog.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpi_catalog.perspective as {{ dbt.type_string() }}) as perspective,
        cast(kpi_catalog.unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_catalog.direction as {{ dbt.type_string() }}) as direction,
        cast(kpi_catalog.multiplier as {{ scorecard_type_double() }}) as multiplier,
        cast(kpi_catalog.grains as {{ dbt.type_string() }}) as grains,
        cast(kpi_catalog.levels as {{ dbt.type_string() }}) as levels,
        cast(kpi_catalog.definition as {{ dbt.type_string() }}) as definition,
        cast(
            kpi_catalog.kpi_id in {{ scorecard_sql_list(scorecard_total_kpi_ids()) }}
            as {{ dbt.type_boolean() }}
        ) as is_total,
        cast(default_targets.green_threshold as {{ scorecard_type_double() }}) as target_green_default,
        cast(default_targets.amber_threshold as {{ scorecard_type_double() }}) as target_amber_default,
        cast(targets_pivoted.target_green_agent as {{ scorecard_type_double() }}) as target_green_agent,
        cast(targets_pivoted.target_amber_agent as {{ scorecard_type_double() }}) as target_amber_agent,
        cast(targets_pivoted.target_green_team as {{ scorecard_type_double() }}) as target_green_team,
        cast(targets_pivoted.target_amber_team as {{ scorecard_type_double() }}) as target_amber_team,
        cast(targets_pivoted.target_green_manager as {{ scorecard_type_double() }}) as target_green_manager,
        cast(targets_pivoted.target_amber_manager as {{ scorecard_type_double() }}) as target_amber_manager,
        cast(targets_pivoted.target_green_director as {{ scorecard_type_double() }}) as target_green_director,
        cast(targets_pivoted.target_amber_director as {{ scorecard_type_double() }}) as target_amber_director,
        -- Bottom to top; concat_ws skips nulls (DuckDB, PostgreSQL, Spark).
        cast(
            nullif(
                concat_ws(
                    ',',
                    case when accountability_pivoted.is_agent_accountable then 'agent' end,
                    case when accountability_pivoted.is_team_accountable then 'team' end,
                    case when accountability_pivoted.is_manager_accountable then 'manager' end,
                    case when accountability_pivoted.is_director_accountable then 'director' end
                ),
                ''
            ) as {{ dbt.type_string() }}
        ) as accountable_levels,
        coalesce(accountability_pivoted.is_agent_accountable, false) as is_agent_accountable,
        coalesce(accountability_pivoted.is_team_accountable, false) as is_team_accountable,
        coalesce(accountability_pivoted.is_manager_accountable, false) as is_manager_accountable,
        coalesce(accountability_pivoted.is_director_accountable, false) as is_director_accountable
    from kpi_catalog
    left join default_targets
        on kpi_catalog.kpi_id = default_targets.kpi_id
    left join targets_pivoted
        on kpi_catalog.kpi_id = targets_pivoted.kpi_id
    left join accountability_pivoted
        on kpi_catalog.kpi_id = accountability_pivoted.kpi_id
)

select * from final
