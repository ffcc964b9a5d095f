{#-
    Incremental refresh of the ticket models (see the doc block
    `incremental_refresh`). DuckDB and PostgreSQL replace the refreshed keys
    with delete+insert. Spark's parquet tables offer only insert_overwrite of
    whole partitions, which would drop every row of an unrefreshed ticket in
    a rewritten partition, so on Spark these models stay full tables.
-#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'cs_scorecard')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}


{#-
    The invocation's start as a timestamp literal: the `_loaded_at` stamp of
    the rows a run writes. A downstream model refreshes the keys of the rows
    stamped later than its own newest stamp. Never reaches a mart.
-#}
{% macro run_loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#- Stops an incremental run that could not give the full refresh's result. -#}
{% macro require_full_refresh_unless(condition_sql, reason) -%}
    {%- if execute and is_incremental() -%}
        {%- set broken = run_query('select count(*) from (' ~ condition_sql ~ ') as offending').columns[0].values()[0] -%}
        {%- if broken > 0 -%}
            {{ exceptions.raise_compiler_error(
                "Incremental refresh of " ~ this ~ " is not possible: " ~ reason
                ~ " Run `dbt build --full-refresh`."
            ) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#-
    The base models trust that a raw file only grows by appended rows: a run
    reads the rows past the high-water mark and keeps every row below it. A
    raw file that was replaced (another data set), rewritten in another order
    or truncated breaks that trust, and an incremental run would mix old and
    new rows without any error. So before the run reads the new rows, the
    rows at or below the mark are fingerprinted in the raw file and in the
    table (`raw_row` keeps every non-personal raw value, and the position is
    part of the fingerprint, so a reordering counts as a change), and any
    difference stops the run with a request for a full refresh.
-#}
{% macro require_raw_prefix_unchanged(raw_sql, raw_table) -%}
    {%- if execute and is_incremental() -%}
        {%- set check_sql -%}
            with

            loaded as (
                select
                    count(*) as row_count,
                    coalesce(max(_row_number), 0) as high_water_mark,
                    coalesce({{ raw_rows_fingerprint('_row_number', 'raw_row') }}, 0) as fingerprint
                from {{ this }}
            ),

            raw_prefix as (
                select
                    count(*) as row_count,
                    coalesce({{ raw_rows_fingerprint('raw_rows._row_number', 'raw_rows._raw_row') }}, 0) as fingerprint
                from ({{ raw_sql }}) as raw_rows
                where raw_rows._row_number <= (select loaded.high_water_mark from loaded)
            )

            select
                loaded.row_count as loaded_rows,
                raw_prefix.row_count as raw_rows,
                case when loaded.fingerprint = raw_prefix.fingerprint then 0 else 1 end as changed
            from loaded
            cross join raw_prefix
        {%- endset -%}
        {%- set check = run_query(check_sql).rows[0] -%}
        {%- set loaded_rows = check[0] | int -%}
        {%- set raw_rows = check[1] | int -%}
        {%- if raw_rows < loaded_rows -%}
            {%- set problem = "the raw file of '" ~ raw_table ~ "' has " ~ raw_rows ~ " row(s) where "
                ~ loaded_rows ~ " are already loaded: it shrank (truncated or replaced by other data)." -%}
        {%- elif check[2] | int == 1 -%}
            {%- set problem = "the first " ~ loaded_rows ~ " row(s) of the raw file of '" ~ raw_table
                ~ "' are not the rows already loaded: the file was replaced or rewritten (another data"
                ~ " set, another row order, edited rows) instead of appended to." -%}
        {%- else -%}
            {{ return('') }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "Incremental refresh of " ~ this ~ " is not possible: " ~ problem
            ~ " An incremental run only reads rows appended after the ones it has loaded."
            ~ " Run `dbt build --full-refresh` to rebuild from the current raw files."
        ) }}
    {%- endif -%}
{%- endmacro %}


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
