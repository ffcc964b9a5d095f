with

valid_ticket_events as (
    {{ valid_rows('base_ticketing__ticket_events') }}
),

deduplicated as (
    {{ deduplicate('valid_ticket_events', 'event_id', '_row_number') }}
),

final as (
    select
        event_id,
        ticket_id,
        event_at,
        event_type,
        agent_id,
        tier,
        coalesce(handle_seconds, 0) as handle_seconds,
        _row_number as source_row_number
    from deduplicated
)

select * from final
