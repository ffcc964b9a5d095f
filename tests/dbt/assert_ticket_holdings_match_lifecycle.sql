{#-
    The holdings and the derived lifecycle agree at as_of_end: a ticket has an
    open-ended holding (held_until null) exactly when it is not solved, it has
    at most one, and its holder is the open ticket's owner (its latest
    assignment). Returns the tickets where they disagree.
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

holdings as (
    select * from {{ ref('int_ticket_holdings_intervaled') }}
),

open_holdings as (
    select
        ticket_id,
        max(agent_id) as agent_id,
        count(*) as open_holding_count
    from holdings
    where held_until is null
    group by ticket_id
)

select
    tickets.ticket_id,
    tickets.is_solved,
    tickets.owner_agent_id,
    open_holdings.agent_id as open_holding_agent_id,
    open_holdings.open_holding_count
from tickets
left join open_holdings
    on tickets.ticket_id = open_holdings.ticket_id
where
    tickets.is_solved != (open_holdings.ticket_id is null)
    or open_holdings.open_holding_count > 1
    or (open_holdings.ticket_id is not null and open_holdings.agent_id is distinct from tickets.owner_agent_id)
