{#-
    Incremental (doc `incremental_refresh`): a run re-deduplicates only the
    event_ids of base rows (re)validated since this model's last run, over
    every valid base row of those event_ids, so an earlier row that became
    valid still wins over a later duplicate.
-#}
{{ config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy=refresh_strategy(),
    partition_by=refresh_partition_by(),
) }}

with

valid_ticket_events as (
    {{ valid_rows('base_ticketing__ticket_events') }}
),

refreshed_ticket_events as (
    select valid_ticket_events.*
    from valid_ticket_events
    {% if is_incremental() -%}
        where valid_ticket_events.event_id in (
            {{ keys_loaded_since_last_run('valid_ticket_events', 'event_id') }}
        )
    {%- endif %}
),

deduplicated as (
    {{ deduplicate('refreshed_ticket_events', 'event_id', '_row_number') }}
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
        _row_number as source_row_number,
        {{ run_loaded_at() }} as _loaded_at
    from deduplicated
)

{{ select_refreshed_rows('final', 'event_id', 'month', 'event_at') }}
