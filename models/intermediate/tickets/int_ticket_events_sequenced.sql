{#-
    The events that shape a ticket's life as of the run: valid events stamped
    at or before as_of_end, numbered in event order (event_at, then
    event_id). Later events are ignored, not rejected.
-#}

with

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

in_scope as (
    select ticket_events.*
    from ticket_events
    cross join reporting_dates
    where ticket_events.event_at <= reporting_dates.as_of_end
),

final as (
    select
        ticket_id,
        event_id,
        event_at,
        event_type,
        agent_id,
        tier,
        handle_seconds,
        row_number() over (partition by ticket_id order by event_at, event_id) as event_order,
        event_type in ('created', 'reopened') as is_opening,
        event_type in ('solved', 'closed') as is_closing
    from in_scope
)

select * from final
