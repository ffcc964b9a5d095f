{#-
    What green and amber thresholds recent history supports, per KPI and
    level, beside the targets in force. Over the complete periods of the
    last quarters, every entity-period value of a KPI at a level is one
    observation; the suggested green threshold is the value the better
    `green_share` of them reached, the amber threshold the value beyond which
    only the worst `red_share` fell, both read in the KPI's direction (for a
    lower-is-better KPI the low values are the good ones). The current
    bands are scored on the same history: the share that would have been
    green and red. Neutral KPIs have no target and are left out.

    Vars: target_suggestion_grain (default month: more observations than
    quarters, and the bands apply to every grain), target_suggestion_quarters
    (default 4), target_suggestion_green_share (default 0.5),
    target_suggestion_red_share (default 0.2).
-#}

{%- set grain = var('target_suggestion_grain', 'month') -%}
{%- set lookback_quarters = var('target_suggestion_quarters', 4) | int -%}
{%- set green_share = var('target_suggestion_green_share', 0.5) | float -%}
{%- set red_share = var('target_suggestion_red_share', 0.2) | float -%}

with

kpi_cascade as (
    select * from {{ ref('fct_kpi_cascade') }}
),

kpis as (
    select * from {{ ref('dim_kpis') }}
),

-- The look-back ends with the latest complete period of the grain.
lookback as (
    select
        max(period_end) as last_period_end,
        cast(
            {{ dbt.dateadd('month', -3 * lookback_quarters, 'max(period_end)') }}
            as date
        ) as lookback_start_after
    from kpi_cascade
    where
        period_grain = '{{ grain }}'
        and is_complete_period
),

history as (
    select
        kpi_cascade.kpi_id,
        kpi_cascade.level,
        kpi_cascade.direction,
        kpi_cascade.entity_id,
        kpi_cascade.period_start,
        kpi_cascade.value
    from kpi_cascade
    cross join lookback
    where
        kpi_cascade.period_grain = '{{ grain }}'
        and kpi_cascade.is_complete_period
        and kpi_cascade.period_start > lookback.lookback_start_after
        and kpi_cascade.value is not null
        and kpi_cascade.direction <> 'neutral'
),

percentiles as (
    select
        kpi_id,
        level,
        direction,
        count(*) as observations,
        count(distinct entity_id) as entities,
        count(distinct period_start) as periods,
        min(period_start) as first_period_start,
        max(period_start) as last_period_start,
        min(value) as min_value,
        max(value) as max_value,
        percentile_cont({{ 1 - green_share }}) within group (order by value) as green_if_higher_is_better,
        percentile_cont({{ red_share }}) within group (order by value) as amber_if_higher_is_better,
        percentile_cont({{ green_share }}) within group (order by value) as green_if_lower_is_better,
        percentile_cont({{ 1 - red_share }}) within group (order by value) as amber_if_lower_is_better
    from history
    group by kpi_id, level, direction
),

current_targets as (
    select
        percentiles.kpi_id,
        percentiles.level,
        case percentiles.level
            when 'agent' then kpis.target_green_agent
            when 'team' then kpis.target_green_team
            when 'manager' then kpis.target_green_manager
            when 'director' then kpis.target_green_director
        end as current_green,
        case percentiles.level
            when 'agent' then kpis.target_amber_agent
            when 'team' then kpis.target_amber_team
            when 'manager' then kpis.target_amber_manager
            when 'director' then kpis.target_amber_director
        end as current_amber
    from percentiles
    inner join kpis
        on percentiles.kpi_id = kpis.kpi_id
),

-- How the bands in force would have scored the same history.
current_scored as (
    select
        history.kpi_id,
        history.level,
        avg(
            case
                when current_targets.current_green is null then null
                when history.direction = 'higher_is_better' and history.value >= current_targets.current_green then 1.0
                when history.direction = 'lower_is_better' and history.value <= current_targets.current_green then 1.0
                else 0.0
            end
        ) as current_green_share,
        avg(
            case
                when current_targets.current_amber is null then null
                when history.direction = 'higher_is_better' and history.value < current_targets.current_amber then 1.0
                when history.direction = 'lower_is_better' and history.value > current_targets.current_amber then 1.0
                else 0.0
            end
        ) as current_red_share
    from history
    inner join current_targets
        on
            history.kpi_id = current_targets.kpi_id
            and history.level = current_targets.level
    group by history.kpi_id, history.level
),

suggested as (
    select
        percentiles.*,
        case
            when percentiles.direction = 'higher_is_better' then percentiles.green_if_higher_is_better
            else percentiles.green_if_lower_is_better
        end as suggested_green,
        case
            when percentiles.direction = 'higher_is_better' then percentiles.amber_if_higher_is_better
            else percentiles.amber_if_lower_is_better
        end as suggested_amber
    from percentiles
),

final as (
    select
        suggested.kpi_id,
        kpis.kpi_name,
        kpis.unit,
        suggested.direction,
        suggested.level,
        '{{ grain }}' as period_grain,
        suggested.first_period_start,
        suggested.last_period_start,
        suggested.periods,
        suggested.entities,
        suggested.observations,
        suggested.min_value,
        suggested.max_value,
        suggested.suggested_green,
        suggested.suggested_amber,
        current_targets.current_green,
        current_targets.current_amber,
        current_scored.current_green_share,
        current_scored.current_red_share,
        case
            when current_targets.current_green is null then 'no_current_target'
            when current_targets.current_green = suggested.suggested_green then 'as_suggested'
            when
                (suggested.direction = 'higher_is_better')
                = (current_targets.current_green > suggested.suggested_green)
                then 'stricter_than_history'
            else 'looser_than_history'
        end as current_green_reading
    from suggested
    inner join kpis
        on suggested.kpi_id = kpis.kpi_id
    left join current_targets
        on
            suggested.kpi_id = current_targets.kpi_id
            and suggested.level = current_targets.level
    left join current_scored
        on
            suggested.kpi_id = current_scored.kpi_id
            and suggested.level = current_scored.level
)

select * from final
order by kpi_id, level
