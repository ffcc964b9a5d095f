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
                lag(toggles.toggle_state) over (partition by toggles.ticket_id order by toggles.event_order), 'open'
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

first_assignments as (
    select
        ticket_id,
        min(assigned_from) as first_assigned_at
    from assignments
    group by ticket_id
),

assignment_intervals as (
    -- Before the first assignment (or ever, without one) nobody holds the
    -- ticket. Open ends use far sentinels so that the overlap join below is
    -- plain comparisons on top of the ticket_id equality: DuckDB then keeps
    -- a hash join instead of falling back to a nested loop.
    select
        ticket_id,
        assigned_from,
        coalesce(assigned_until, cast('9999-12-31' as {{ dbt.type_timestamp() }})) as assigned_until,
        agent_id
    from assignments
    union all
    select
        tickets.ticket_id,
        cast('0001-01-01' as {{ dbt.type_timestamp() }}) as assigned_from,
        coalesce(first_assignments.first_assigned_at, cast('9999-12-31' as {{ dbt.type_timestamp() }}))
            as assigned_until,
        cast(null as {{ dbt.type_string() }}) as agent_id
    from tickets
    left join first_assignments
        on tickets.ticket_id = first_assignments.ticket_id
),

bounded_open_intervals as (
    select
        ticket_id,
        open_from,
        coalesce(open_until, cast('9999-12-31' as {{ dbt.type_timestamp() }})) as open_until
    from open_intervals
),

holdings as (
    select
        bounded_open_intervals.ticket_id,
        assignment_intervals.agent_id,
        case
            when assignment_intervals.assigned_from > bounded_open_intervals.open_from
                then assignment_intervals.assigned_from
            else bounded_open_intervals.open_from
        end as held_from,
        case
            when assignment_intervals.assigned_until < bounded_open_intervals.open_until
                then assignment_intervals.assigned_until
            else bounded_open_intervals.open_until
        end as held_until
    from bounded_open_intervals
    inner join assignment_intervals
        on
            bounded_open_intervals.ticket_id = assignment_intervals.ticket_id
            and bounded_open_intervals.open_until > assignment_intervals.assigned_from
            and bounded_open_intervals.open_from < assignment_intervals.assigned_until
),

final as (
    select
        holdings.ticket_id,
        holdings.agent_id,
        holdings.held_from,
        case
            when holdings.held_until < cast('9999-12-31' as {{ dbt.type_timestamp() }}) then holdings.held_until
        end as held_until,
        tickets.created_at,
        tickets.contact_profile_id
    from holdings
    inner join tickets
        on holdings.ticket_id = tickets.ticket_id
    where holdings.held_until > holdings.held_from
)

select * from final
