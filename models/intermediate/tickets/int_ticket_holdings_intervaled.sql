{#-
    When each ticket was open and with whom, as intervals [held_from,
    held_until): the intersection of its open intervals with its assignment
    intervals. A snapshot at instant s sees the ticket open, assigned to
    agent_id, exactly when held_from <= s < held_until. held_until is null
    while the ticket is still open at as_of_end with that assignee.

    Open intervals: the first opens at the ticket's created_at; afterwards
    only effective toggles count (a close of a closed ticket or a reopen of
    an open one changes nothing), and effective toggles alternate close,
    open, close... Assignment intervals run from one `assigned` event to the
    next; before the first one the ticket has no assignee.
-#}

with

ticket_events as (
    select * from {{ ref('int_ticket_events_sequenced') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

toggles as (
    select
        ticket_id,
        event_order,
        event_at,
        case when is_opening then 'open' else 'closed' end as toggle_state
    from ticket_events
    where is_opening or is_closing
),

effective_toggles as (
    select
        ticket_id,
        event_at,
        toggle_state,
        row_number() over (partition by ticket_id, toggle_state order by event_order) as toggle_number
    from (
        select
            toggles.*,
            coalesce(
                lag(toggle_state) over (partition by ticket_id order by event_order), 'open'
            ) as previous_state
        from toggles
    ) as toggles_with_previous
    where toggle_state != previous_state
),

opening_points as (
    -- Interval 0 opens at created_at, interval n at the n-th effective reopen.
    select
        ticket_id,
        0 as interval_number,
        created_at as open_from
    from tickets
    union all
    select
        ticket_id,
        toggle_number as interval_number,
        event_at as open_from
    from effective_toggles
    where toggle_state = 'open'
),

open_intervals as (
    -- Interval n ends at the (n + 1)-th effective close, if any.
    select
        opening_points.ticket_id,
        opening_points.open_from,
        closes.event_at as open_until
    from opening_points
    left join effective_toggles as closes
        on
            opening_points.ticket_id = closes.ticket_id
            and closes.toggle_state = 'closed'
            and closes.toggle_number = opening_points.interval_number + 1
),

assignments as (
    select
        ticket_id,
        event_at as assigned_from,
        lead(event_at) over (partition by ticket_id order by event_order) as assigned_until,
        agent_id
    from ticket_events
    where event_type = 'assigned'
),

assignment_intervals as (
    select * from assignments
    union all
    -- Before the first assignment nobody holds the ticket.
    select
        ticket_id,
        cast(null as {{ dbt.type_timestamp() }}) as assigned_from,
        min(assigned_from) as assigned_until,
        cast(null as {{ dbt.type_string() }}) as agent_id
    from assignments
    group by ticket_id
),

holdings as (
    select
        open_intervals.ticket_id,
        assignment_intervals.agent_id,
        case
            when assignment_intervals.assigned_from > open_intervals.open_from
                then assignment_intervals.assigned_from
            else open_intervals.open_from
        end as held_from,
        case
            when open_intervals.open_until is null then assignment_intervals.assigned_until
            when assignment_intervals.assigned_until is null then open_intervals.open_until
            when assignment_intervals.assigned_until < open_intervals.open_until
                then assignment_intervals.assigned_until
            else open_intervals.open_until
        end as held_until
    from open_intervals
    left join assignment_intervals
        on
            open_intervals.ticket_id = assignment_intervals.ticket_id
            and coalesce(
                assignment_intervals.assigned_from < open_intervals.open_until, true
            )
            and coalesce(assignment_intervals.assigned_until > open_intervals.open_from, true)
),

final as (
    select
        holdings.ticket_id,
        holdings.agent_id,
        holdings.held_from,
        holdings.held_until,
        tickets.created_at
    from holdings
    inner join tickets
        on holdings.ticket_id = tickets.ticket_id
    where holdings.held_until is null or holdings.held_until > holdings.held_from
)

select * from final
