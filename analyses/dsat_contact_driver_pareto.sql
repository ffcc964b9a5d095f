{#-
    Which contact drivers produce the dissatisfied customers: DSAT responses
    (CSAT score 1 or 2) per driver over the whole reporting window, ranked,
    with each driver's share and the cumulative share, so the few drivers
    behind most DSAT (the "vital few", up to 80 %) stand out. DSAT follows its
    KPI's period membership (the response's responded_at), so the total
    equals the director's dsat_rate numerator over the window.
-#}

{%- set vital_few_share = 0.8 -%}

with

contact_drivers as (
    select * from {{ ref('fct_contact_drivers') }}
),

-- Months partition the window (weeks straddle its edges), so summing the
-- monthly rows counts every response once.
by_driver as (
    select
        driver,
        driver_category,
        sum(dsat_responses) as dsat_responses,
        sum(csat_responses) as csat_responses
    from contact_drivers
    where period_grain = 'month'
    group by driver, driver_category
),

ranked as (
    select
        *,
        row_number() over (order by dsat_responses desc, driver asc) as pareto_rank,
        sum(dsat_responses) over () as total_dsat_responses
    from by_driver
),

cumulated as (
    select
        *,
        sum(dsat_responses) over (
            order by pareto_rank
            rows between unbounded preceding and current row
        ) as cumulative_dsat_responses
    from ranked
),

final as (
    select
        pareto_rank,
        driver,
        driver_category,
        dsat_responses,
        csat_responses,
        dsat_responses * 1.0 / nullif(csat_responses, 0) as dsat_rate,
        dsat_responses * 1.0 / nullif(total_dsat_responses, 0) as dsat_share,
        cumulative_dsat_responses * 1.0 / nullif(total_dsat_responses, 0) as cumulative_dsat_share,
        -- A driver belongs to the vital few when the drivers ranked above it
        -- have not yet reached the threshold.
        (cumulative_dsat_responses - dsat_responses) * 1.0
        / nullif(total_dsat_responses, 0) < {{ vital_few_share }}
        and dsat_responses > 0 as is_vital_few
    from cumulated
)

select * from final
order by pareto_rank
