with

valid_tickets as (
    {{ valid_rows('base_ticketing__tickets') }}
),

as_of as (
    select * from {{ ref('base_ticketing__as_of_date') }}
),

versions as (
    select
        valid_tickets.*,
        valid_tickets.updated_at <= as_of.as_of_end as is_exported_by_as_of
    from valid_tickets
    cross join as_of
),

-- Per ticket: the latest export at or before as_of_end (ties: the last in
-- file order); when every export is later, the earliest one.
deduplicated as (
    {{ deduplicate(
        'versions',
        'ticket_id',
        'case when is_exported_by_as_of then 0 else 1 end,'
        ~ ' case when is_exported_by_as_of then updated_at end desc,'
        ~ ' updated_at, _row_number desc'
    ) }}
),

final as (
    select
        ticket_id,
        created_at,
        updated_at,
        account_id,
        requester_id,
        requester_email_hash,
        channel,
        priority,
        severity,
        contact_reason,
        queue,
        _row_number as source_row_number
    from deduplicated
)

select * from final
