{#-
    Every breached ticket of a known account is a service-credit fact (even
    with a credit of 0), and nothing else is: int_service_credits_capped and
    the breached known-account tickets of int_tickets_enriched match one to
    one, with the ticket's account and the month of its sla_outcome_at.
    Returns the mismatches.
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

service_credits as (
    select * from {{ ref('int_service_credits_capped') }}
),

breaches as (
    select
        ticket_id,
        account_id,
        cast({{ dbt.date_trunc('month', 'sla_outcome_at') }} as date) as credit_month
    from tickets
    where sla_outcome = 'breached' and is_known_account
)

select
    coalesce(breaches.ticket_id, service_credits.ticket_id) as ticket_id,
    breaches.account_id as expected_account_id,
    service_credits.account_id,
    breaches.credit_month as expected_credit_month,
    service_credits.credit_month
from breaches
full outer join service_credits
    on breaches.ticket_id = service_credits.ticket_id
where
    breaches.ticket_id is null
    or service_credits.ticket_id is null
    or breaches.account_id != service_credits.account_id
    or breaches.credit_month != service_credits.credit_month
