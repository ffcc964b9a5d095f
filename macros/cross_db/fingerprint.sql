{#-
    A hash of one raw row's position and text. The incremental base models
    store it as `raw_row_hash`, so the rewritten-file guard can compare the
    raw file with what was loaded without keeping every row's text (only
    rejected rows keep `raw_row`). Dispatched because hash functions are
    engine-specific; the result is an integer that `raw_row_hashes_sum` adds
    up.
-#}
{% macro raw_row_hash(row_number, raw_row) -%}
    {{ return(adapter.dispatch('raw_row_hash', 'cs_scorecard')(row_number, raw_row)) }}
{%- endmacro %}

{% macro duckdb__raw_row_hash(row_number, raw_row) -%}
    hash({{ row_number }}, {{ raw_row }})
{%- endmacro %}

{% macro postgres__raw_row_hash(row_number, raw_row) -%}
    ('x' || substr(md5(cast({{ row_number }} as text) || '|' || {{ raw_row }}), 1, 15))::bit(60)::bigint
{%- endmacro %}

{#- Spark: xxhash64 of position and text. -#}
{% macro spark__raw_row_hash(row_number, raw_row) -%}
    xxhash64(cast({{ row_number }} as string), {{ raw_row }})
{%- endmacro %}

{#- Without a portable hash: the position-weighted row length, weaker (an edit that keeps a row's length passes). -#}
{% macro default__raw_row_hash(row_number, raw_row) -%}
    (mod({{ row_number }}, 10007) + 1) * ({{ dbt.length(raw_row) }} + 1)
{%- endmacro %}


{#-
    An aggregate expression: the order-sensitive checksum of raw rows, the
    sum of their `raw_row_hash` (one pass, no sort), in a type that cannot
    overflow on the engine.
-#}
{% macro raw_row_hashes_sum(row_hash) -%}
    {{ return(adapter.dispatch('raw_row_hashes_sum', 'cs_scorecard')(row_hash)) }}
{%- endmacro %}

{#- DuckDB sums a ubigint into a hugeint. -#}
{% macro default__raw_row_hashes_sum(row_hash) -%}
    sum({{ row_hash }})
{%- endmacro %}

{% macro postgres__raw_row_hashes_sum(row_hash) -%}
    sum(cast({{ row_hash }} as numeric))
{%- endmacro %}

{#- Spark: as decimal, since ANSI mode stops a bigint sum that overflows. -#}
{% macro spark__raw_row_hashes_sum(row_hash) -%}
    sum(cast({{ row_hash }} as decimal(38, 0)))
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

