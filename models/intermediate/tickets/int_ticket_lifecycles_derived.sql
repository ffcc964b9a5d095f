{#-
    One row per ticket that has events: the fields its event history decides
    (kpis.md, "The ticket's derived fields"). A ticket is open after
    `created`/`reopened` and closed after `solved`/`closed`; a close of a
    closed ticket or a reopen of an open one changes nothing. So the ticket is
    closed at as_of_end exactly when a closing event follows its last opening
    event, and the first such closing event set final_solved_at.

    Three grouped passes over the events, joined on ticket_id, instead of
    per-event windows: each pass needs what the previous one decided.

    Incremental (doc `incremental_refresh`), keyed by ticket: a run derives
    again the tickets whose events `int_ticket_events_sequenced` renumbered
    since this model's last run. A ticket's fields depend on its in-scope
    events alone (as_of_end only bounds them, and the sequenced model already
    applied it), so every other ticket keeps its row.
-#}
{{ config(
    materialized='incremental',
    unique_key='ticket_id',
    incremental_strategy=refresh_strategy(),
    partition_by=refresh_partition_by(),
) }}

with

all_ticket_events as (
    select * from {{ ref('int_ticket_events_sequenced') }}
),

ticket_events as (
    select all_ticket_events.*
    from all_ticket_events
    {% if is_incremental() -%}
        where all_ticket_events.ticket_id in (
            {{ keys_loaded_since_last_run('all_ticket_events', 'ticket_id') }}
        )
    {%- endif %}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

event_summaries as (
    select
        ticket_id,
        min(event_at) as first_event_at,
        coalesce(max(case when is_opening then event_order end), 0) as last_opening_order,
        min(case when event_type = 'agent_reply' then event_order end) as first_reply_order,
        min(case when event_type = 'agent_reply' then event_at end) as first_reply_at,
        count(case when event_type = 'reopened' then 1 end) as reopen_count,
        cast(sum(handle_seconds) as bigint) as handle_seconds,
        count(case when event_type = 'escalated' then 1 end) > 0 as is_escalated
    from ticket_events
    group by ticket_id
),

final_closes as (
    -- Event order follows event_at, so the earliest closing event after the
    -- last opening is also the one with the smallest order.
    select
        ticket_events.ticket_id,
        min(ticket_events.event_order) as final_close_order,
        min(ticket_events.event_at) as final_solved_at
    from ticket_events
    inner join event_summaries
        on ticket_events.ticket_id = event_summaries.ticket_id
    where
        ticket_events.is_closing
        and ticket_events.event_order > event_summaries.last_opening_order
    group by ticket_events.ticket_id
),

solve_details as (
    -- A customer reply between the first agent reply and the solving event
    -- (before the solve when there is no agent reply) is a follow-up.
    select
        ticket_events.ticket_id,
        max(
            case when ticket_events.event_order = final_closes.final_close_order then ticket_events.agent_id end
        ) as solving_agent_id,
        count(
            case
                when
                    ticket_events.event_type = 'customer_reply'
                    and ticket_events.event_order > coalesce(event_summaries.first_reply_order, 0)
                    and ticket_events.event_order < final_closes.final_close_order
                    then 1
            end
        ) as follow_up_count
    from ticket_events
    inner join event_summaries
        on ticket_events.ticket_id = event_summaries.ticket_id
    inner join final_closes
        on ticket_events.ticket_id = final_closes.ticket_id
    group by ticket_events.ticket_id
),

ranked_assignments as (
    -- The latest assignment at or before the solve (open ticket: as_of_end);
    -- an assignment with no agent unassigns the ticket.
    select
        ticket_events.ticket_id,
        ticket_events.agent_id,
        row_number() over (
            partition by ticket_events.ticket_id
            order by ticket_events.event_order desc
        ) as assignment_rank
    from ticket_events
    cross join reporting_dates
    left join final_closes
        on ticket_events.ticket_id = final_closes.ticket_id
    where
        ticket_events.event_type = 'assigned'
        and ticket_events.event_at <= coalesce(final_closes.final_solved_at, reporting_dates.as_of_end)
),

latest_assignments as (
    select
        ticket_id,
        agent_id as assigned_agent_id
    from ranked_assignments
    where assignment_rank = 1
),

final as (
    select
        event_summaries.ticket_id,
        event_summaries.first_event_at,
        event_summaries.first_reply_at,
        final_closes.final_solved_at,
        final_closes.final_solved_at is not null as is_solved,
        event_summaries.reopen_count,
        event_summaries.handle_seconds,
        event_summaries.is_escalated,
        coalesce(solve_details.follow_up_count, 0) as follow_up_count,
        solve_details.solving_agent_id,
        latest_assignments.assigned_agent_id,
        case
            when final_closes.final_solved_at is not null and solve_details.solving_agent_id is not null
                then solve_details.solving_agent_id
            else latest_assignments.assigned_agent_id
        end as owner_agent_id,
        {{ run_loaded_at() }} as _loaded_at
    from event_summaries
    left join final_closes
        on event_summaries.ticket_id = final_closes.ticket_id
    left join solve_details
        on event_summaries.ticket_id = solve_details.ticket_id
    left join latest_assignments
        on event_summaries.ticket_id = latest_assignments.ticket_id
)

{{ select_refreshed_rows('final', 'ticket_id', 'month', 'first_event_at') }}
