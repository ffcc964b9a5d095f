{#-
    Frontline headcount per team and day of the reporting window: the
    number of people employed (hire_date to termination_date inclusive) and
    in a frontline role (agent or senior_agent) in that team on that day.
    Summed over the days of a period it gives the period's headcount days,
    the attrition_rate denominator that int_people_kpi_period_components
    computes per period with the same interval rules; this daily form lets
    the semantic layer add it up over any period.

    Built like the backlog: +1 / -1 deltas where a frontline spell starts
    and ends, a running sum per team, and one range join of the resulting
    constant stretches with the reporting days; never one row per person
    per day.
-#}

with

frontline_spells as (
    select * from {{ ref('int_frontline_spells_bounded') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

-- Only the reported days count: [window_start, as_of_date].
reported_spells as (
    select
        frontline_spells.team_id,
        greatest(frontline_spells.frontline_from, reporting_dates.window_start) as counted_from,
        least(
            frontline_spells.frontline_until,
            cast({{ dbt.dateadd('day', 1, 'reporting_dates.as_of_date') }} as date)
        ) as counted_until
    from frontline_spells
    cross join reporting_dates
),

deltas as (
    select
        team_id,
        change_day,
        sum(delta) as delta
    from (
        select
            team_id,
            counted_from as change_day,
            1 as delta
        from reported_spells
        where counted_until > counted_from
        union all
        select
            team_id,
            counted_until as change_day,
            -1 as delta
        from reported_spells
        where counted_until > counted_from
    ) as signed_changes
    group by team_id, change_day
),

running_counts as (
    select
        team_id,
        change_day as count_from,
        lead(change_day) over (partition by team_id order by change_day) as count_until,
        sum(delta) over (
            partition by team_id
            order by change_day
            rows between unbounded preceding and current row
        ) as headcount
    from deltas
),

final as (
    select
        reporting_days.calendar_date,
        running_counts.team_id,
        cast(running_counts.headcount as {{ dbt.type_int() }}) as frontline_headcount
    from running_counts
    inner join reporting_days
        on
            running_counts.count_from <= reporting_days.calendar_date
            and running_counts.count_until > reporting_days.calendar_date
    where running_counts.headcount > 0
)

select * from final
