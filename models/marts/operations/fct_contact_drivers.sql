{#-
    Per contact driver and period (week, month): the input metrics that
    explain why CSAT or cost moved. Each measure uses its KPI's period
    membership: volume by created_at, DSAT by the response's responded_at,
    FCR, escalation and handle time by final_solved_at.
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_attributed') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

driver_facts as (
    select
        driver,
        driver_category,
        created_at as fact_at,
        1 as created_tickets,
        0 as csat_responses,
        0 as dsat_responses,
        0 as solved_tickets,
        0 as fcr_tickets,
        0 as escalated_tickets,
        0 as handle_seconds
    from tickets
    union all
    select
        driver,
        driver_category,
        final_solved_at as fact_at,
        0 as created_tickets,
        0 as csat_responses,
        0 as dsat_responses,
        1 as solved_tickets,
        case when is_fcr then 1 else 0 end as fcr_tickets,
        case when is_escalated then 1 else 0 end as escalated_tickets,
        handle_seconds
    from tickets
    where is_solved
    union all
    select
        coalesce(driver, 'unclassified') as driver,
        coalesce(driver_category, 'unclassified') as driver_category,
        responded_at as fact_at,
        0 as created_tickets,
        1 as csat_responses,
        case when score <= 2 then 1 else 0 end as dsat_responses,
        0 as solved_tickets,
        0 as fcr_tickets,
        0 as escalated_tickets,
        0 as handle_seconds
    from survey_responses
    where survey_type = 'csat'
),

in_window as (
    select driver_facts.*
    from driver_facts
    cross join reporting_dates
    where
        driver_facts.fact_at <= reporting_dates.as_of_end
        and cast(driver_facts.fact_at as date) >= reporting_dates.window_start
),

by_period as (
    {%- for grain in ['week', 'month'] %}
    select
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'fact_at') }} as date) as period_start,
        driver,
        driver_category,
        sum(created_tickets) as ticket_volume,
        sum(csat_responses) as csat_responses,
        sum(dsat_responses) as dsat_responses,
        sum(solved_tickets) as solved_tickets,
        sum(fcr_tickets) as fcr_tickets,
        sum(escalated_tickets) as escalated_tickets,
        sum(handle_seconds) as handle_seconds
    from in_window
    group by 2, 3, 4
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        period_grain,
        period_start,
        cast(
            case period_grain
                when 'week' then {{ dbt.dateadd('day', 6, 'period_start') }}
                else {{ dbt.last_day('period_start', 'month') }}
            end as date
        ) as period_end,
        driver,
        driver_category,
        cast(ticket_volume as bigint) as ticket_volume,
        -- Cast: on PostgreSQL `* 1.0` makes a numeric; DuckDB's result is a double already.
        cast(
            ticket_volume * 1.0 / nullif(sum(ticket_volume) over (partition by period_grain, period_start), 0)
            as {{ scorecard_type_double() }}
        ) as volume_share,
        cast(csat_responses as bigint) as csat_responses,
        cast(dsat_responses as bigint) as dsat_responses,
        cast(dsat_responses * 1.0 / nullif(csat_responses, 0) as {{ scorecard_type_double() }}) as dsat_rate,
        cast(solved_tickets as bigint) as solved_tickets,
        cast(fcr_tickets as bigint) as fcr_tickets,
        cast(fcr_tickets * 1.0 / nullif(solved_tickets, 0) as {{ scorecard_type_double() }}) as fcr_rate,
        cast(escalated_tickets as bigint) as escalated_tickets,
        cast(escalated_tickets * 1.0 / nullif(solved_tickets, 0) as {{ scorecard_type_double() }}) as escalation_rate,
        cast(handle_seconds as {{ scorecard_type_double() }}) / 60.0 / nullif(solved_tickets, 0) as aht_minutes
    from by_period
)

select * from final
