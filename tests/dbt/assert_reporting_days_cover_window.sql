{#-
    int_reporting_days holds every day from window_start to as_of_date exactly
    once: the first day is window_start, the last is as_of_date, no day
    repeats and each day follows the previous one by exactly one day. Returns
    the run's dates with the day summary when any of that is off.
-#}

with

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

day_steps as (
    select
        calendar_date,
        lag(calendar_date) over (order by calendar_date) as previous_date
    from reporting_days
),

day_summary as (
    select
        count(*) as day_count,
        count(distinct calendar_date) as distinct_day_count,
        min(calendar_date) as first_day,
        max(calendar_date) as last_day,
        sum(
            case
                when
                    previous_date is not null
                    and calendar_date != cast({{ dbt.dateadd('day', 1, 'previous_date') }} as date)
                    then 1
                else 0
            end
        ) as gap_count
    from day_steps
)

select
    reporting_dates.window_start,
    reporting_dates.as_of_date,
    day_summary.day_count,
    day_summary.distinct_day_count,
    day_summary.first_day,
    day_summary.last_day,
    day_summary.gap_count
from reporting_dates
cross join day_summary
where
    reporting_dates.window_start <= reporting_dates.as_of_date
    and (
        day_summary.day_count != day_summary.distinct_day_count
        or day_summary.first_day is null
        or day_summary.first_day != reporting_dates.window_start
        or day_summary.last_day != reporting_dates.as_of_date
        or day_summary.gap_count > 0
    )
