{#-
    An order-sensitive checksum of raw rows (position and text): the sum of a
    hash of each row, so it is one pass and needs no sort. Dispatched because
    hash functions are engine-specific.
-#}
{% macro raw_rows_fingerprint(row_number, raw_row) -%}
    {{ return(adapter.dispatch('raw_rows_fingerprint', 'cs_scorecard')(row_number, raw_row)) }}
{%- endmacro %}

{% macro duckdb__raw_rows_fingerprint(row_number, raw_row) -%}
    sum(hash({{ row_number }}, {{ raw_row }}))
{%- endmacro %}

{% macro postgres__raw_rows_fingerprint(row_number, raw_row) -%}
    sum(('x' || substr(md5(cast({{ row_number }} as text) || '|' || {{ raw_row }}), 1, 15))::bit(60)::bigint::numeric)
{%- endmacro %}

{#- Without a portable hash: a position-weighted sum of row lengths, weaker (an edit that keeps a row's length passes). -#}
{% macro default__raw_rows_fingerprint(row_number, raw_row) -%}
    sum((mod({{ row_number }}, 10007) + 1) * ({{ dbt.length(raw_row) }} + 1))
{%- endmacro %}


{#- Spark: xxhash64 of position and text, summed as decimal since ANSI mode stops a bigint sum that overflows. -#}
{% macro spark__raw_rows_fingerprint(row_number, raw_row) -%}
    sum(cast(xxhash64(cast({{ row_number }} as string), {{ raw_row }}) as decimal(38, 0)))
{%- endmacro %}
