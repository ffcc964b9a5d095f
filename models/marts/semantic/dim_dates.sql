{#-
    One row per calendar day, the semantic layer's time spine (MetricFlow
    joins to it for time-based queries): the whole years from the first
    year of the reporting window to the year of as_of_date, which covers
    every fact and every month of fct_account_contract_months.
-#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

spine_range as (
    select
        cast({{ dbt.date_trunc('year', 'window_start') }} as date) as spine_start,
        cast({{ dbt.last_day('as_of_date', 'year') }} as date) as spine_end
    from reporting_dates
),

days as (
    {{ day_series('spine_start', 'spine_end', 'spine_range') }}
),

final as (
    select cast(calendar_date as date) as date_day
    from days
)

select * from final
