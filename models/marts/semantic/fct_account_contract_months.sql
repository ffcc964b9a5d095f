{#-
    One row per account and calendar month its contract (contract_start to
    contract_end, inclusive; no end = still running) overlaps, for the
    months of every quarter the reporting window touches. The
    cost_per_customer denominator of a month or quarter is the number of
    distinct accounts with a row in it: overlapping any month of a quarter
    is overlapping the quarter, and the whole calendar period counts, even
    after as_of_date, as in int_cost_kpi_period_components.
-#}

with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

-- Whole quarters, so a quarter's distinct count sees all of its months.
covered_range as (
    select
        cast({{ dbt.date_trunc('quarter', 'window_start') }} as date) as range_start,
        cast({{ dbt.last_day('as_of_date', 'quarter') }} as date) as range_end
    from reporting_dates
),

covered_days as (
    {{ day_series('range_start', 'range_end', 'covered_range') }}
),

months as (
    select distinct
        cast({{ dbt.date_trunc('month', 'calendar_date') }} as date) as month_start,
        cast({{ dbt.last_day('calendar_date', 'month') }} as date) as month_end
    from covered_days
),

final as (
    select
        months.month_start as contract_month,
        cast(accounts.account_id as {{ dbt.type_string() }}) as account_id
    from months
    inner join accounts
        on
            months.month_end >= accounts.contract_start
            and (accounts.contract_end is null or months.month_start <= accounts.contract_end)
)

select * from final
