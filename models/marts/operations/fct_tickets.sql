with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

service_credits as (
    select * from {{ ref('int_service_credits_capped') }}
),

final as (
    select
        tickets.ticket_id,
        tickets.created_at,
        cast(tickets.created_at as date) as created_date,
        tickets.account_id,
        tickets.is_known_account,
        {{ salted_hash('tickets.requester_id') }} as requester_hash,
        tickets.requester_email_hash,
        tickets.channel,
        tickets.queue,
        tickets.priority,
        tickets.severity,
        tickets.contract_tier,
        tickets.contact_reason,
        tickets.driver,
        tickets.driver_category,
        tickets.owner_agent_id,
        tickets.owner_team_id,
        tickets.attribution_date,
        tickets.first_reply_at,
        tickets.final_solved_at,
        tickets.is_solved,
        tickets.reopen_count,
        tickets.handle_seconds,
        tickets.is_escalated,
        tickets.follow_up_count,
        tickets.next_contact_at is not null
        and tickets.next_contact_at
        <= {{ dbt.dateadd('day', var('fcr_repeat_window_days'), 'tickets.final_solved_at') }} as has_repeat_contact,
        tickets.is_fcr,
        {{ seconds_between('tickets.created_at', 'tickets.first_reply_at') }} / 60.0 as first_response_minutes,
        {{ seconds_between('tickets.created_at', 'tickets.final_solved_at') }} / 3600.0 as resolution_hours,
        tickets.resolution_target_minutes,
        tickets.sla_due_at,
        tickets.sla_outcome,
        tickets.sla_outcome_at,
        service_credits.uncapped_credit as service_credit_uncapped,
        service_credits.service_credit,
        coalesce(service_credits.is_capped, false) as is_service_credit_capped
    from tickets
    left join service_credits
        on tickets.ticket_id = service_credits.ticket_id
)

select * from final
