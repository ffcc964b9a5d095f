{#-
    The cost lines the scorecard reports, one row per valid line of
    stg_finance__costs whose cost_month falls in the reporting window
    (window_start's month to as_of_date), with its amount converted to the
    reporting currency at the fx_rates rate of (currency, cost_month); the
    reporting currency itself has rate 1. Negative amounts are credits and
    are kept as they are. Staging already rejected lines with no rate, so
    every line here converts.
-#}

with

costs as (
    select * from {{ ref('stg_finance__costs') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

in_window as (
    select costs.*
    from costs
    cross join reporting_dates
    where
        -- window_start is a month's first day, as is cost_month; a month
        -- still in progress at as_of_date is reported with its lines so far.
        costs.cost_month >= reporting_dates.window_start
        and costs.cost_month <= reporting_dates.as_of_date
),

converted as (
    select
        in_window.source_row_number,
        in_window.cost_month,
        in_window.team_id,
        in_window.team_id is null as is_shared,
        in_window.category,
        in_window.currency,
        cast(in_window.amount as {{ scorecard_type_double() }}) as amount,
        -- The reporting currency needs no seed row (and ignores one if present).
        cast(
            case
                when in_window.currency = '{{ var("reporting_currency") }}' then 1.0
                else fx_rates.rate_to_reporting
            end as {{ scorecard_type_double() }}
        ) as fx_rate
    from in_window
    left join fx_rates
        on
            in_window.currency = fx_rates.currency
            and in_window.cost_month = fx_rates.month
),

final as (
    select
        source_row_number,
        cost_month,
        team_id,
        is_shared,
        category,
        currency,
        amount,
        fx_rate,
        amount * fx_rate as amount_reporting
    from converted
)

select * from final
