{#- Every day of the reporting window, window_start to as_of_date. -#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

days as (
    {{ day_series('window_start', 'as_of_date', 'reporting_dates') }}
),

final as (
    select calendar_date
    from days
)

select * from final
