{#-
    Incremental (doc `incremental_refresh`): a run validates the raw rows
    past the last build's high-water mark (`_row_number`) and re-validates
    the rows rejected only for an unknown ticket, since their ticket may have
    arrived since. Every other rule looks at the row alone.
-#}
{{ config(
    materialized='incremental',
    unique_key='_row_number',
    incremental_strategy=refresh_strategy(),
    partition_by=refresh_partition_by(),
) }}

{%- set raw_sql = raw_source_as_text(source('ticketing', 'ticket_events')) -%}
{{ require_raw_prefix_unchanged(raw_sql, 'ticket_events') }}

with

raw_rows as (
    {{ raw_sql }}
),

source as (
    select raw_rows.*
    from raw_rows
    {% if is_incremental() -%}
        where
            raw_rows._row_number > (select coalesce(max(previous._row_number), 0) from {{ this }} as previous)
            or raw_rows._row_number in (
                select previous._row_number
                from {{ this }} as previous
                where previous.rejection_reason like 'unknown_ticket:%'
            )
    {%- endif %}
),

valid_tickets as (
    select ticket_id from {{ ref('base_ticketing__tickets') }}
    where rejection_reason is null
    group by ticket_id
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ try_parse_timestamp_utc('event_at') }} as event_at,
        {{ clean_text('event_at') }} as event_at_text,
        {{ clean_code('event_type') }} as event_type,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_code('tier') }} as tier,
        {{ try_parse_integer('handle_seconds') }} as handle_seconds,
        {{ clean_text('handle_seconds') }} as handle_seconds_text
    from source
),

validated as (
    select
        parsed.*,
        case
            {{ reject_malformed() }}
            {{ reject_missing('event_id') }}
            {{ reject_missing('ticket_id', 'parsed.ticket_id') }}
            {{ reject_missing('event_at', 'event_at_text') }}
            {{ reject_invalid('event_at', 'an ISO 8601 timestamp') }}
            {{ reject_missing('event_type') }}
            {{ reject_invalid('handle_seconds', 'a whole number of seconds') }}
            {{ reject_not_accepted('ticket_events', 'event_type') }}
            {{ reject_not_accepted('ticket_events', 'tier') }}
            {{ reject_out_of_range('handle_seconds', 'handle_seconds < 0', '>= 0') }}
            {{ reject_unknown_ticket('parsed.ticket_id', 'valid_tickets.ticket_id') }}
        end as rejection_reason
    from parsed
    left join valid_tickets
        on parsed.ticket_id = valid_tickets.ticket_id
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        {{ raw_row_hash('_row_number', 'raw_row') }} as raw_row_hash,
        rejection_reason,
        event_id,
        ticket_id,
        event_at,
        event_type,
        agent_id,
        tier,
        handle_seconds,
        {{ run_loaded_at() }} as _loaded_at
    from validated
)

{{ select_refreshed_rows('final', '_row_number', 'row_block', '_row_number') }}
