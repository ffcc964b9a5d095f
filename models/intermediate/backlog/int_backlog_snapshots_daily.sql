{#-
    Open tickets at each day's snapshot (23:59:59.999, the last one at
    as_of_end) per holding agent, their team on that day, the tickets'
    contact profile (for the semantic layer's slices) and age bucket.
    Built from +1/-1 deltas where a holding interval starts or ends, where
    the agent's team changes and where a ticket crosses 24, 48 and 72 hours
    of age; a running sum turns the deltas into counts, which hold until the
    next change. No ticket × day expansion: the only join with the calendar
    is between change points, per (agent, team, bucket).
-#}

{%- set age_bucket_hours = [0, 24, 48, 72] -%}

with

holdings as (
    select * from {{ ref('int_ticket_holdings_intervaled') }}
),

team_timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

holding_days as (
    -- Snapshot days [first_day, end_day) on which the holding is seen.
    select
        holdings.ticket_id,
        holdings.agent_id,
        holdings.contact_profile_id,
        holdings.created_at,
        {{ first_snapshot_day('holdings.held_from') }} as first_day,
        case
            when holdings.held_until is null
                then cast({{ dbt.dateadd('day', 1, 'reporting_dates.as_of_date') }} as date)
            else {{ first_snapshot_day('holdings.held_until') }}
        end as end_day
    from holdings
    cross join reporting_dates
),

team_pieces as (
    -- The holding agent's team changes at role boundaries: split there.
    select
        holding_days.ticket_id,
        holding_days.agent_id,
        holding_days.contact_profile_id,
        holding_days.created_at,
        coalesce(team_timeline.team_id, 'unassigned') as team_id,
        case
            when team_timeline.valid_from > holding_days.first_day then team_timeline.valid_from
            else holding_days.first_day
        end as first_day,
        case
            when team_timeline.valid_until < holding_days.end_day then team_timeline.valid_until
            else holding_days.end_day
        end as end_day
    from holding_days
    left join team_timeline
        on
            holding_days.agent_id = team_timeline.agent_id
            and holding_days.end_day > team_timeline.valid_from
            and holding_days.first_day < team_timeline.valid_until
    where holding_days.end_day > holding_days.first_day
),

bucket_pieces as (
    {%- for low_hours in age_bucket_hours %}
    {%- set high_hours = age_bucket_hours[loop.index] if not loop.last else none %}
    {%- set bucket_start = first_snapshot_day(dbt.dateadd('hour', low_hours, 'created_at')) %}
    {%- set bucket_end = none if high_hours is none else first_snapshot_day(
        dbt.dateadd('hour', high_hours, 'created_at')
    ) %}
    select
        agent_id,
        team_id,
        contact_profile_id,
        '{{ low_hours ~ "-" ~ high_hours ~ "h" if high_hours is not none else low_hours ~ "h+" }}' as age_bucket,
        case when {{ bucket_start }} > first_day then {{ bucket_start }} else first_day end as first_day,
        {% if bucket_end is not none -%}
        case when {{ bucket_end }} < end_day then {{ bucket_end }} else end_day end as end_day
        {%- else -%}
        end_day
        {%- endif %}
    from team_pieces
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

deltas as (
    select
        agent_id,
        team_id,
        contact_profile_id,
        age_bucket,
        change_day,
        cast(sum(delta) as bigint) as delta
    from (
        select
            agent_id,
            team_id,
            contact_profile_id,
            age_bucket,
            first_day as change_day,
            1 as delta
        from bucket_pieces
        where end_day > first_day
        union all
        select
            agent_id,
            team_id,
            contact_profile_id,
            age_bucket,
            end_day as change_day,
            -1 as delta
        from bucket_pieces
        where end_day > first_day
    ) as signed_changes
    group by agent_id, team_id, contact_profile_id, age_bucket, change_day
),

running_counts as (
    select
        agent_id,
        team_id,
        contact_profile_id,
        age_bucket,
        change_day as count_from,
        lead(change_day) over (
            partition by agent_id, team_id, contact_profile_id, age_bucket
            order by change_day
        ) as count_until,
        cast(sum(delta) over (
            partition by agent_id, team_id, contact_profile_id, age_bucket
            order by change_day
            rows between unbounded preceding and current row
        ) as bigint) as open_tickets
    from deltas
),

final as (
    select
        reporting_days.calendar_date as snapshot_date,
        running_counts.agent_id,
        running_counts.team_id,
        running_counts.contact_profile_id,
        running_counts.age_bucket,
        running_counts.open_tickets
    from running_counts
    inner join reporting_days
        on
            running_counts.count_from <= reporting_days.calendar_date
            and running_counts.count_until > reporting_days.calendar_date
    where running_counts.open_tickets > 0
)

select * from final
