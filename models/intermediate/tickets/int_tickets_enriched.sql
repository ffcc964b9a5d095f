{#-
    Every ticket created at or before as_of_end with all its derived fields:
    lifecycle, owner and owner team, severity, contract tier, account
    segment, contact driver, contact profile (the key of its slicing
    attributes in the semantic layer), SLA due / outcome / outcome_at and
    first-contact resolution.
-#}

with

tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

lifecycles as (
    select * from {{ ref('int_ticket_lifecycles_derived') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

contact_drivers as (
    select * from {{ ref('contact_drivers') }}
),

team_timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

in_scope_tickets as (
    select
        tickets.*,
        reporting_dates.as_of_date,
        reporting_dates.as_of_end
    from tickets
    cross join reporting_dates
    where tickets.created_at <= reporting_dates.as_of_end
),

classified as (
    select
        in_scope_tickets.ticket_id,
        in_scope_tickets.created_at,
        in_scope_tickets.account_id,
        in_scope_tickets.requester_id,
        in_scope_tickets.requester_email_hash,
        in_scope_tickets.channel,
        in_scope_tickets.queue,
        in_scope_tickets.priority,
        in_scope_tickets.severity,
        in_scope_tickets.contact_reason,
        in_scope_tickets.as_of_date,
        in_scope_tickets.as_of_end,
        accounts.account_id is not null as is_known_account,
        coalesce(accounts.contract_tier, 'standard') as contract_tier,
        coalesce(accounts.segment, 'unknown') as segment,
        coalesce(contact_drivers.driver, 'unclassified') as driver,
        coalesce(contact_drivers.driver_category, 'unclassified') as driver_category,
        lifecycles.first_reply_at,
        lifecycles.final_solved_at,
        coalesce(lifecycles.is_solved, false) as is_solved,
        coalesce(lifecycles.reopen_count, 0) as reopen_count,
        coalesce(lifecycles.handle_seconds, 0) as handle_seconds,
        coalesce(lifecycles.is_escalated, false) as is_escalated,
        coalesce(lifecycles.follow_up_count, 0) as follow_up_count,
        lifecycles.owner_agent_id,
        -- Ticket facts follow the owner's team on the attribution date.
        cast(coalesce(lifecycles.final_solved_at, in_scope_tickets.as_of_end) as date) as attribution_date
    from in_scope_tickets
    left join lifecycles
        on in_scope_tickets.ticket_id = lifecycles.ticket_id
    left join accounts
        on in_scope_tickets.account_id = accounts.account_id
    left join contact_drivers
        on in_scope_tickets.contact_reason = lower(trim(contact_drivers.contact_reason))
),

owned as (
    select
        classified.*,
        coalesce(team_timeline.team_id, 'unassigned') as owner_team_id
    from classified
    left join team_timeline
        on
            classified.owner_agent_id = team_timeline.agent_id
            and classified.attribution_date >= team_timeline.valid_from
            and classified.attribution_date < team_timeline.valid_until
),

with_sla as (
    select
        owned.*,
        sla_policies.resolution_target_minutes,
        {{ dbt.dateadd('minute', 'sla_policies.resolution_target_minutes', 'owned.created_at') }} as sla_due_at
    from owned
    left join sla_policies
        on
            owned.contract_tier = sla_policies.contract_tier
            and owned.severity = sla_policies.severity
),

sla_judged as (
    select
        *,
        case
            when final_solved_at is not null and final_solved_at <= sla_due_at then 'met'
            when sla_due_at <= as_of_end then 'breached'
            else 'pending'
        end as sla_outcome
    from with_sla
),

repeat_points as (
    -- The next contact of the same requester about the same driver after a
    -- solve, found with one window over creations and solves in time order
    -- instead of a requester self-join. A creation at the very instant of
    -- the solve sorts before it, so the window (solve, solve + N days] is
    -- open at its start.
    select
        ticket_id,
        requester_id,
        driver,
        created_at as point_at,
        0 as point_kind
    from sla_judged
    union all
    select
        ticket_id,
        requester_id,
        driver,
        final_solved_at as point_at,
        1 as point_kind
    from sla_judged
    where final_solved_at is not null
),

next_contacts as (
    select
        ticket_id,
        point_kind,
        min(case when point_kind = 0 then point_at end) over (
            partition by requester_id, driver
            order by point_at, point_kind
            rows between 1 following and unbounded following
        ) as next_contact_at
    from repeat_points
),

solve_next_contacts as (
    select
        ticket_id,
        next_contact_at
    from next_contacts
    where point_kind = 1
),

final as (
    select
        sla_judged.ticket_id,
        sla_judged.created_at,
        sla_judged.account_id,
        sla_judged.is_known_account,
        sla_judged.requester_id,
        sla_judged.requester_email_hash,
        sla_judged.channel,
        sla_judged.queue,
        sla_judged.priority,
        sla_judged.severity,
        sla_judged.contract_tier,
        sla_judged.segment,
        sla_judged.contact_reason,
        sla_judged.driver,
        sla_judged.driver_category,
        {{ contact_profile_key(
            'sla_judged.severity', 'sla_judged.channel', 'sla_judged.driver',
            'sla_judged.driver_category', 'sla_judged.contract_tier', 'sla_judged.segment',
        ) }} as contact_profile_id,
        sla_judged.first_reply_at,
        sla_judged.final_solved_at,
        sla_judged.is_solved,
        sla_judged.reopen_count,
        sla_judged.handle_seconds,
        sla_judged.is_escalated,
        sla_judged.follow_up_count,
        sla_judged.owner_agent_id,
        sla_judged.owner_team_id,
        sla_judged.attribution_date,
        sla_judged.resolution_target_minutes,
        sla_judged.sla_due_at,
        sla_judged.sla_outcome,
        case
            when sla_judged.sla_outcome = 'met' then sla_judged.final_solved_at
            when sla_judged.sla_outcome = 'breached' then sla_judged.sla_due_at
        end as sla_outcome_at,
        solve_next_contacts.next_contact_at,
        case
            when not sla_judged.is_solved then null
            else
                sla_judged.reopen_count = 0
                and sla_judged.follow_up_count = 0
                and not coalesce(
                    solve_next_contacts.next_contact_at
                    <= {{ dbt.dateadd('day', var('fcr_repeat_window_days'), 'sla_judged.final_solved_at') }},
                    false
                )
        end as is_fcr
    from sla_judged
    left join solve_next_contacts
        on sla_judged.ticket_id = solve_next_contacts.ticket_id
)

select * from final
