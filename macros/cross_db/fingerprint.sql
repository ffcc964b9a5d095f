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


{#-
    The `_row_number` and `_raw_row` of the raw rows in the sample windows
    (`raw_prefix_windows`) of the rewritten-file guard.
-#}
{% macro raw_rows_in_windows(raw_sql, in_windows) -%}
    {{ return(adapter.dispatch('raw_rows_in_windows', 'cs_scorecard')(raw_sql, in_windows)) }}
{%- endmacro %}

{% macro default__raw_rows_in_windows(raw_sql, in_windows) -%}
    select raw_rows._row_number, raw_rows._raw_row from ({{ raw_sql }}) as raw_rows where {{ in_windows | join(' or ') }}
{%- endmacro %}

{#- Parquet files: one query per window, so DuckDB reads only the row groups that hold it. -#}
{% macro duckdb__raw_rows_in_windows(raw_sql, in_windows) -%}
    {%- if env_var('SCORECARD_RAW_FORMAT', 'parquet') | trim | lower != 'parquet' -%}
        {{ return(default__raw_rows_in_windows(raw_sql, in_windows)) }}
    {%- endif -%}
    {%- set sampled_raw = [] -%}
    {%- for condition in in_windows -%}
        {%- do sampled_raw.append(
            'select sampled._row_number, sampled._raw_row from (' ~ raw_sql ~ ') as sampled where sampled.' ~ condition
        ) -%}
    {%- endfor -%}
    {{ return(sampled_raw | join('\nunion all\n')) }}
{%- endmacro %}

