{#-
    Every cascade row with its value and what the scorecard compares it with:
    the parent's value, the targets and RAG status, the prior period's value
    and trend, the baseline of the three previous periods, and whether the
    level is accountable for the KPI.

    Previous periods are calendar periods, found by shifting each row's
    period_start forward by one to three periods and joining on the shifted
    date (a set-based lookup, no calendar scaffold): a period with no row of
    its own has no prior value, even when an older period has one.
-#}

{%- set total_kpi_ids = scorecard_sql_list(scorecard_total_kpi_ids()) %}

with

rolled_up as (
    select * from {{ ref('int_kpi_values_rolled_up') }}
),

kpi_catalog as (
    select * from {{ ref('kpi_catalog') }}
),

kpi_targets as (
    select * from {{ ref('kpi_targets') }}
),

kpi_accountability as (
    select * from {{ ref('kpi_accountability') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

valued as (
    select
        rolled_up.kpi_id,
        rolled_up.period_grain,
        rolled_up.period_start,
        rolled_up.level,
        rolled_up.entity_id,
        rolled_up.parent_level,
        rolled_up.parent_entity_id,
        rolled_up.numerator,
        rolled_up.denominator,
        kpi_catalog.direction,
        kpi_catalog.multiplier,
        case
            when rolled_up.kpi_id in {{ total_kpi_ids }} then rolled_up.numerator
            when rolled_up.denominator = 0 then null
            else rolled_up.numerator / rolled_up.denominator * kpi_catalog.multiplier
        end as value
    from rolled_up
    inner join kpi_catalog
        on rolled_up.kpi_id = kpi_catalog.kpi_id
),

-- Each row, once for each of the next three periods it is history for.
history as (
    {%- for periods_back in [1, 2, 3] %}
    select
        kpi_id,
        period_grain,
        {{ scorecard_shift_period_start('period_grain', periods_back, 'period_start') }} as period_start,
        level,
        entity_id,
        parent_entity_id,
        {{ periods_back }} as periods_back,
        numerator,
        denominator,
        value
    from valued
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

lookback as (
    select
        kpi_id,
        period_grain,
        period_start,
        level,
        entity_id,
        parent_entity_id,
        max(case when periods_back = 1 then value end) as prior_value,
        {{ scorecard_exact_sum('numerator') }} as baseline_numerator,
        {{ scorecard_exact_sum('denominator') }} as baseline_denominator,
        -- Totals: the mean over the previous periods that have a row.
        {{ scorecard_exact_sum('value') }} / nullif(count(value), 0) as baseline_mean_value
    from history
    group by
        kpi_id,
        period_grain,
        period_start,
        level,
        entity_id,
        parent_entity_id
),

compared as (
    select
        valued.kpi_id,
        valued.period_grain,
        valued.period_start,
        cast(
            {{ dbt.dateadd(
                'day', -1,
                scorecard_shift_period_start('valued.period_grain', 1, 'valued.period_start')
            ) }} as date
        ) as period_end,
        valued.level,
        valued.entity_id,
        valued.parent_level,
        valued.parent_entity_id,
        valued.numerator,
        valued.denominator,
        valued.value,
        valued.direction,
        parent_rows.value as parent_value,
        -- A level's own target row wins over the KPI's `*` row.
        case
            when level_targets.kpi_id is not null then level_targets.green_threshold
            else default_targets.green_threshold
        end as target_green,
        case
            when level_targets.kpi_id is not null then level_targets.amber_threshold
            else default_targets.amber_threshold
        end as target_amber,
        lookback.prior_value,
        case
            when valued.kpi_id in {{ total_kpi_ids }} then lookback.baseline_mean_value
            when lookback.baseline_denominator = 0 then null
            else lookback.baseline_numerator / lookback.baseline_denominator * valued.multiplier
        end as baseline_value,
        kpi_accountability.kpi_id is not null as is_accountable
    from valued
    -- Parents are unique per (level, entity): a team has one manager and a
    -- manager one director, so this join never multiplies rows.
    left join valued as parent_rows
        on
            valued.kpi_id = parent_rows.kpi_id
            and valued.period_grain = parent_rows.period_grain
            and valued.period_start = parent_rows.period_start
            and valued.parent_level = parent_rows.level
            and valued.parent_entity_id = parent_rows.entity_id
    left join kpi_targets as level_targets
        on
            valued.kpi_id = level_targets.kpi_id
            and valued.level = level_targets.level
    left join kpi_targets as default_targets
        on
            valued.kpi_id = default_targets.kpi_id
            and default_targets.level = '*'
    left join lookback
        on
            valued.kpi_id = lookback.kpi_id
            and valued.period_grain = lookback.period_grain
            and valued.period_start = lookback.period_start
            and valued.level = lookback.level
            and valued.entity_id = lookback.entity_id
            and valued.parent_entity_id is not distinct from lookback.parent_entity_id
    left join kpi_accountability
        on
            valued.kpi_id = kpi_accountability.kpi_id
            and valued.level = kpi_accountability.level
),

-- Status and trend compare values rounded to 9 decimal places.
rounded as (
    select
        *,
        {{ scorecard_round('value', 9) }} as rounded_value,
        {{ scorecard_round('target_green', 9) }} as rounded_green,
        {{ scorecard_round('target_amber', 9) }} as rounded_amber,
        {{ scorecard_round('prior_value', 9) }} as rounded_prior_value
    from compared
),

final as (
    select
        rounded.kpi_id,
        rounded.period_grain,
        rounded.period_start,
        rounded.period_end,
        rounded.period_end <= reporting_dates.as_of_date as is_complete_period,
        rounded.level,
        rounded.entity_id,
        rounded.parent_level,
        rounded.parent_entity_id,
        rounded.numerator,
        rounded.denominator,
        rounded.value,
        rounded.parent_value,
        rounded.target_green,
        rounded.target_amber,
        case
            when rounded.value is null then 'no_data'
            when rounded.direction = 'neutral' or rounded.target_green is null then 'no_target'
            when rounded.direction = 'higher_is_better'
                then case
                    when rounded.rounded_value >= rounded.rounded_green then 'green'
                    when rounded.rounded_value >= rounded.rounded_amber then 'amber'
                    else 'red'
                end
            when rounded.direction = 'lower_is_better'
                then case
                    when rounded.rounded_value <= rounded.rounded_green then 'green'
                    when rounded.rounded_value <= rounded.rounded_amber then 'amber'
                    else 'red'
                end
            else 'no_target'
        end as rag_status,
        rounded.prior_value,
        rounded.value - rounded.prior_value as change,
        case
            when rounded.value is null or rounded.prior_value is null then null
            when rounded.direction = 'neutral' then 'flat'
            when rounded.rounded_value = rounded.rounded_prior_value then 'flat'
            when rounded.direction = 'higher_is_better'
                then case
                    when rounded.rounded_value > rounded.rounded_prior_value then 'improving'
                    else 'worsening'
                end
            when rounded.direction = 'lower_is_better'
                then case
                    when rounded.rounded_value < rounded.rounded_prior_value then 'improving'
                    else 'worsening'
                end
        end as trend_direction,
        rounded.baseline_value,
        rounded.is_accountable
    from rounded
    cross join reporting_dates
)

select * from final
