{#-
    Incremental (doc `incremental_refresh`): every rule looks at the row
    alone, so a run validates only the raw rows past the last build's
    high-water mark (`_row_number`); a re-exported ticket is a new row.
-#}
{{ config(
    materialized='incremental',
    unique_key='_row_number',
    incremental_strategy=refresh_strategy(),
    partition_by=refresh_partition_by(),
) }}

{%- set raw_sql = raw_source_as_text(source('ticketing', 'tickets')) -%}
{{ require_raw_prefix_unchanged(raw_sql, 'tickets') }}

with

raw_rows as (
    {{ raw_sql }}
),

source as (
    select raw_rows.*
    from raw_rows
    {% if is_incremental() -%}
        where raw_rows._row_number > (select coalesce(max(previous._row_number), 0) from {{ this }} as previous)
    {%- endif %}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ try_parse_timestamp_utc('created_at') }} as created_at,
        {{ clean_text('created_at') }} as created_at_text,
        {{ try_parse_timestamp_utc('updated_at') }} as updated_at,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('requester_id') }} as requester_id,
        {{ salted_hash(clean_code('requester_email')) }} as requester_email_hash,
        {{ clean_code('channel') }} as channel,
        {{ clean_code('priority') }} as priority,
        {{ severity_from_priority(clean_code('priority')) }} as severity,
        {{ clean_code('contact_reason') }} as contact_reason,
        {{ clean_text('queue') }} as queue
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('ticket_id') }}
            {{ reject_missing('created_at', 'created_at_text') }}
            {{ reject_invalid('created_at', 'an ISO 8601 timestamp') }}
            {{ reject_missing('updated_at', 'updated_at_text') }}
            {{ reject_invalid('updated_at', 'an ISO 8601 timestamp') }}
            {{ reject_missing('requester_id') }}
            {{ reject_missing('channel') }}
            {{ reject_missing('priority') }}
            {{ reject_not_accepted('tickets', 'channel') }}
            {{ reject_value(
                'not_allowed', 'priority', 'severity is null', 'is not a known priority or severity spelling'
            ) }}
        end as rejection_reason
    from parsed
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        {{ raw_row_hash('_row_number', 'raw_row') }} as raw_row_hash,
        rejection_reason,
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
        {{ run_loaded_at() }} as _loaded_at
    from validated
)

{{ select_refreshed_rows('final', '_row_number', 'row_block', '_row_number') }}
