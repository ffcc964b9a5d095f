{#-
    The events that shape a ticket's life as of the run: valid events stamped
    at or before as_of_end, numbered in event order (event_at, then
    event_id). Later events are ignored, not rejected.

    Incremental (doc `incremental_refresh`), keyed by ticket: a run
    renumbers every event of the tickets that have a new or changed event
    (late ones included: the key is the ticket, not the day) or an event that
    the advancing as_of_end brings into scope. An as_of_end moved before
    events already numbered, or a numbered event that a re-validated earlier
    duplicate moves to another ticket or past as_of_end, needs a full
    refresh: the run stops and says so.
-#}
{{ config(
    materialized='incremental',
    unique_key='ticket_id',
    incremental_strategy=refresh_strategy(),
    partition_by=refresh_partition_by(),
) }}

{%- if is_incremental() -%}
    {%- set events_relation = ref('stg_ticketing__ticket_events') -%}
    {%- set dates_relation = ref('int_reporting_dates') -%}
    {{ require_full_refresh_unless(
        'select 1 from ' ~ this ~ ' as previous where previous.event_at > (select max(as_of_end) from '
        ~ dates_relation ~ ')',
        'as_of_end is earlier than events the last build counted.'
    ) }}
    {{ require_full_refresh_unless(
        'select 1 from ' ~ this ~ ' as previous inner join ' ~ events_relation ~ ' as current_events'
        ~ ' on previous.event_id = current_events.event_id'
        ~ ' where current_events._loaded_at > (select max(_loaded_at) from ' ~ this ~ ')'
        ~ ' and (previous.ticket_id <> current_events.ticket_id or current_events.event_at > (select max(as_of_end) from '
        ~ dates_relation ~ '))',
        'an event already numbered now belongs to another ticket or falls after as_of_end.'
    ) }}
{%- endif %}

with

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

refreshed_events as (
    select ticket_events.*
    from ticket_events
    {% if is_incremental() -%}
        where ticket_events.ticket_id in (
            {{ keys_loaded_since_last_run('ticket_events', 'ticket_id') }}
            union
            select entering.ticket_id
            from ticket_events as entering
            cross join reporting_dates
            where
                entering.event_at > (select max(previous.event_at) from {{ this }} as previous)
                and entering.event_at <= reporting_dates.as_of_end
        )
    {%- endif %}
),

in_scope as (
    select refreshed_events.*
    from refreshed_events
    cross join reporting_dates
    where refreshed_events.event_at <= reporting_dates.as_of_end
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
        event_type in ('solved', 'closed') as is_closing,
        {{ run_loaded_at() }} as _loaded_at
    from in_scope
)

{{ select_refreshed_rows('final', 'ticket_id', 'month', 'event_at') }}
