{#-
    The scorecard: every KPI at every level, grain and period, with its
    numerator, denominator and value, the parent's value, targets and RAG
    status, prior value and trend, baseline and accountability. Columns and
    order are the mart contract (shared spec marts.md).
-#}

with

scored as (
    select * from {{ ref('int_kpi_values_scored') }}
),

kpi_catalog as (
    select * from {{ ref('kpi_catalog') }}
),

teams_resolved as (
    select * from {{ ref('int_teams_resolved') }}
),

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

final as (
    select
        cast(scored.kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(kpi_catalog.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpi_catalog.perspective as {{ dbt.type_string() }}) as perspective,
        cast(kpi_catalog.unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_catalog.direction as {{ dbt.type_string() }}) as direction,
        cast(scored.period_grain as {{ dbt.type_string() }}) as period_grain,
        cast(scored.period_start as date) as period_start,
        cast(scored.period_end as date) as period_end,
        cast(scored.is_complete_period as {{ dbt.type_boolean() }}) as is_complete_period,
        cast(scored.level as {{ dbt.type_string() }}) as level,
        cast(scored.entity_id as {{ dbt.type_string() }}) as entity_id,
        -- Managers and directors are people of HR like agents. A person or
        -- team missing from HR shows its id rather than a blank name.
        cast(
            case
                when scored.entity_id = 'unassigned' then 'Unassigned'
                when scored.level = 'team' then coalesce(teams_resolved.team_name, scored.entity_id)
                else coalesce(agents.full_name, scored.entity_id)
            end as {{ dbt.type_string() }}
        ) as entity_name,
        cast(scored.parent_level as {{ dbt.type_string() }}) as parent_level,
        cast(scored.parent_entity_id as {{ dbt.type_string() }}) as parent_entity_id,
        cast(scored.numerator as {{ scorecard_type_double() }}) as numerator,
        cast(scored.denominator as {{ scorecard_type_double() }}) as denominator,
        cast(scored.value as {{ scorecard_type_double() }}) as value,
        cast(scored.parent_value as {{ scorecard_type_double() }}) as parent_value,
        cast(scored.target_green as {{ scorecard_type_double() }}) as target_green,
        cast(scored.target_amber as {{ scorecard_type_double() }}) as target_amber,
        cast(scored.rag_status as {{ dbt.type_string() }}) as rag_status,
        cast(scored.prior_value as {{ scorecard_type_double() }}) as prior_value,
        cast(scored.change as {{ scorecard_type_double() }}) as change,
        cast(scored.trend_direction as {{ dbt.type_string() }}) as trend_direction,
        cast(scored.baseline_value as {{ scorecard_type_double() }}) as baseline_value,
        cast(scored.is_accountable as {{ dbt.type_boolean() }}) as is_accountable
    from scored
    inner join kpi_catalog
        on scored.kpi_id = kpi_catalog.kpi_id
    left join teams_resolved
        on
            scored.level = 'team'
            and scored.entity_id = teams_resolved.team_id
    left join agents
        on
            scored.level in ('agent', 'manager', 'director')
            and scored.entity_id = agents.agent_id
)

select * from final
