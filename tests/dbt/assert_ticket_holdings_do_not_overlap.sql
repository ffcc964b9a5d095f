{#-
    A ticket is held by at most one holder at a time: per ticket, ordered by
    held_from, each piece ends at or before the next one starts, and only the
    last piece may be open-ended. Returns the overlapping pieces.
-#}

with

holdings as (
    select * from {{ ref('int_ticket_holdings_intervaled') }}
),

ordered as (
    select
        ticket_id,
        agent_id,
        held_from,
        held_until,
        lead(held_from) over (partition by ticket_id order by held_from) as next_held_from
    from holdings
)

select *
from ordered
where
    next_held_from is not null
    and (held_until is null or held_until > next_held_from)
