{#-
    Speed against quality, per agent and quarter: does pushing handle time
    down cost satisfaction or first-contact resolution? Each agent's AHT,
    CSAT and FCR rate is placed in a quadrant against the whole function's
    value in the same quarter, and the quarter's correlation across agents
    says whether the trade-off is systematic or a few individuals.
-#}

with

kpi_cascade as (
    select * from {{ ref('fct_kpi_cascade') }}
),

speed_quality_rows as (
    select *
    from kpi_cascade
    where
        period_grain = 'quarter'
        and kpi_id in ('aht_minutes', 'csat', 'fcr_rate')
),

-- An agent who moved team within a quarter has one row per team: pool the
-- numerators and denominators (never average the values).
agent_quarters as (
    select
        period_start,
        entity_id as agent_id,
        max(period_end) as period_end,
        max(entity_name) as agent_name,
        max(case when is_complete_period then 1 else 0 end) = 1 as is_complete_period,
        sum(case when kpi_id = 'aht_minutes' then numerator end) as handle_minutes,
        sum(case when kpi_id = 'aht_minutes' then denominator end) as solved_tickets,
        sum(case when kpi_id = 'csat' then numerator end) as csat_score_sum,
        sum(case when kpi_id = 'csat' then denominator end) as csat_responses,
        sum(case when kpi_id = 'fcr_rate' then numerator end) as fcr_tickets,
        sum(case when kpi_id = 'fcr_rate' then denominator end) as fcr_solved_tickets
    from speed_quality_rows
    where level = 'agent'
    group by period_start, entity_id
),

agent_values as (
    select
        *,
        handle_minutes / nullif(solved_tickets, 0) as aht_minutes,
        csat_score_sum / nullif(csat_responses, 0) as csat,
        fcr_tickets / nullif(fcr_solved_tickets, 0) as fcr_rate
    from agent_quarters
),

-- The yardstick: the director row, i.e. the whole function in that quarter.
function_values as (
    select
        period_start,
        max(case when kpi_id = 'aht_minutes' then value end) as function_aht_minutes,
        max(case when kpi_id = 'csat' then value end) as function_csat,
        max(case when kpi_id = 'fcr_rate' then value end) as function_fcr_rate
    from speed_quality_rows
    where level = 'director'
    group by period_start
),

quarter_correlations as (
    select
        period_start,
        count(*) as agents_in_quarter,
        corr(aht_minutes, csat) as aht_csat_correlation,
        corr(aht_minutes, fcr_rate) as aht_fcr_correlation
    from agent_values
    group by period_start
),

final as (
    select
        agent_values.period_start,
        agent_values.period_end,
        agent_values.is_complete_period,
        agent_values.agent_id,
        agent_values.agent_name,
        agent_values.solved_tickets,
        agent_values.csat_responses,
        agent_values.aht_minutes,
        agent_values.csat,
        agent_values.fcr_rate,
        function_values.function_aht_minutes,
        function_values.function_csat,
        function_values.function_fcr_rate,
        case
            when agent_values.aht_minutes is null or agent_values.csat is null then null
            when
                agent_values.aht_minutes <= function_values.function_aht_minutes
                and agent_values.csat >= function_values.function_csat
                then 'fast_and_good'
            when agent_values.aht_minutes <= function_values.function_aht_minutes then 'fast_but_poor'
            when agent_values.csat >= function_values.function_csat then 'slow_but_good'
            else 'slow_and_poor'
        end as aht_csat_quadrant,
        case
            when agent_values.aht_minutes is null or agent_values.fcr_rate is null then null
            when
                agent_values.aht_minutes <= function_values.function_aht_minutes
                and agent_values.fcr_rate >= function_values.function_fcr_rate
                then 'fast_and_good'
            when agent_values.aht_minutes <= function_values.function_aht_minutes then 'fast_but_poor'
            when agent_values.fcr_rate >= function_values.function_fcr_rate then 'slow_but_good'
            else 'slow_and_poor'
        end as aht_fcr_quadrant,
        quarter_correlations.agents_in_quarter,
        quarter_correlations.aht_csat_correlation,
        quarter_correlations.aht_fcr_correlation
    from agent_values
    left join function_values
        on agent_values.period_start = function_values.period_start
    left join quarter_correlations
        on agent_values.period_start = quarter_correlations.period_start
)

select * from final
order by period_start, agent_id
