{#-
    KPI components that are not additive over time and are therefore
    computed per period: the backlog, a point-in-time count. A period's
    backlog is the daily snapshot on its snapshot day,
    least(period_end, as_of_date); the day grain takes every day.
-#}

with

backlog_snapshots as (
    select * from {{ ref('int_backlog_snapshots_daily') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

daily_backlog as (
    select
        snapshot_date,
        agent_id,
        team_id,
        sum(open_tickets) as open_tickets,
        sum(case when age_bucket in ('48-72h', '72h+') then open_tickets else 0 end) as open_tickets_over_48h
    from backlog_snapshots
    group by snapshot_date, agent_id, team_id
),

snapshot_periods as (
    {%- for grain in ['day', 'week', 'month', 'quarter'] %}
    select
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'daily_backlog.snapshot_date') }} as date) as period_start,
        {% if grain == 'day' -%}
        daily_backlog.snapshot_date as period_end,
        {%- else -%}
        cast({{ dbt.last_day('daily_backlog.snapshot_date', grain) }} as date) as period_end,
        {%- endif %}
        daily_backlog.*
    from daily_backlog
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

on_snapshot_day as (
    select snapshot_periods.*
    from snapshot_periods
    cross join reporting_dates
    where
        snapshot_periods.snapshot_date
        = case
            when snapshot_periods.period_end < reporting_dates.as_of_date then snapshot_periods.period_end
            else reporting_dates.as_of_date
        end
),

final as (
    select
        'backlog_open' as kpi_id,
        period_grain,
        period_start,
        agent_id,
        team_id,
        cast(open_tickets as {{ scorecard_type_double() }}) as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from on_snapshot_day
    union all
    select
        'backlog_over_48h_rate' as kpi_id,
        period_grain,
        period_start,
        agent_id,
        team_id,
        cast(open_tickets_over_48h as {{ scorecard_type_double() }}) as numerator,
        cast(open_tickets as {{ scorecard_type_double() }}) as denominator
    from on_snapshot_day
)

select * from final
