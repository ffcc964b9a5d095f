{#-
    The invocation's start as a timestamp literal: the `_loaded_at` stamp of
    the rows a run writes. A downstream model refreshes the keys of the rows
    stamped later than its own newest stamp. Never reaches a mart.
-#}
{% macro run_loaded_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{#-
    The `key` values of `relation` (a CTE or table with `_loaded_at`) that
    have a row stamped after this model's newest stamp: the keys an
    incremental run must refresh, every row of them.
-#}
{% macro keys_loaded_since_last_run(relation, key) -%}
    select changed.{{ key }}
    from {{ relation }} as changed
    where changed._loaded_at > (select max(previous._loaded_at) from {{ this }} as previous)
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
    new rows without any error. So before the run reads the new rows, it
    checks that the raw file still holds as many rows up to the mark as the
    table, and that a sample of them, fingerprinted by position and text
    (the table keeps each loaded row's `raw_row_hash`), equals the table's. Any
    difference stops the run with a request for a full refresh.

    The sample, not every row, because hashing every loaded row costs a full
    read of the raw file on every run (2.5 s at 644k events on 2 cores, so
    minutes at 10M tickets), which would undo the point of the incremental
    run; windows of a Parquet file cost one row group each. The sample is
    `raw_prefix_windows`: windows spread evenly over the loaded rows, the last
    one ending at the mark. A rewrite of a whole file (another data set or
    row order), a truncation and a rewritten tail are caught; an edit of a few
    rows between two windows is not.
-#}
{% macro require_raw_prefix_unchanged(raw_sql, raw_table) -%}
    {%- if execute and is_incremental() -%}
        {%- set loaded = run_query(
            'select count(*), coalesce(max(_row_number), 0) from ' ~ this
        ).rows[0] -%}
        {%- set loaded_rows = loaded[0] | int -%}
        {%- if loaded[1] | int == 0 -%}
            {{ return('') }}
        {%- endif -%}
        {%- set windows = raw_prefix_windows(loaded[1] | int) -%}
        {%- set in_windows = [] -%}
        {%- for window in windows -%}
            {%- do in_windows.append(
                '_row_number between ' ~ window[0] ~ ' and ' ~ window[1]
            ) -%}
        {%- endfor -%}
        {%- set sampled_raw_sql = raw_rows_in_windows(raw_sql, in_windows) -%}
        {%- set check_sql -%}
            with

            raw_prefix as (
                select count(*) as row_count
                from ({{ raw_sql }}) as raw_rows
                where raw_rows._row_number <= {{ loaded[1] | int }}
            ),

            raw_sample as (
                select coalesce(
                    {{ raw_row_hashes_sum(raw_row_hash('sampled._row_number', 'sampled._raw_row')) }}, 0
                ) as fingerprint
                from ({{ sampled_raw_sql }}) as sampled
            ),

            loaded_sample as (
                select coalesce({{ raw_row_hashes_sum('loaded.raw_row_hash') }}, 0) as fingerprint
                from {{ this }} as loaded
                where {{ in_windows | join(' or ') }}
            )

            select
                raw_prefix.row_count as raw_rows,
                case when raw_sample.fingerprint = loaded_sample.fingerprint then 0 else 1 end as changed
            from raw_prefix
            cross join raw_sample
            cross join loaded_sample
        {%- endset -%}
        {%- set check = run_query(check_sql).rows[0] -%}
        {%- set raw_rows = check[0] | int -%}
        {%- if raw_rows < loaded_rows -%}
            {%- set problem = "the raw file of '" ~ raw_table ~ "' has " ~ raw_rows ~ " row(s) where "
                ~ loaded_rows ~ " are already loaded: it shrank (truncated or replaced by other data)." -%}
        {%- elif check[1] | int == 1 -%}
            {%- set problem = "the first " ~ loaded_rows ~ " row(s) of the raw file of '" ~ raw_table
                ~ "' are not the rows already loaded: the file was replaced or rewritten (another data"
                ~ " set, another row order, edited rows) instead of appended to." -%}
        {%- else -%}
            {{ return('') }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "Incremental refresh of " ~ this ~ " is not possible: " ~ problem
            ~ " An incremental run only reads rows appended after the ones it has loaded."
            ~ " Run `dbt build --full-refresh` to rebuild from the current raw files"
            ~ " (with make: `make build DBT_BUILD_ARGS=--full-refresh`)."
        ) }}
    {%- endif -%}
{%- endmacro %}


{#-
    The row ranges [first, last] the guard samples among the rows 1 to
    `high_water_mark`: all of them when there are few, else `count` windows
    of `size` rows spread evenly, the first starting at row 1 and the last
    ending at the mark (the rows a truncation or a rewritten tail change).
-#}
{% macro raw_prefix_windows(high_water_mark, count=8, size=16) -%}
    {%- if high_water_mark <= count * size -%}
        {{ return([[1, high_water_mark]]) }}
    {%- endif -%}
    {%- set windows = [] -%}
    {%- for index in range(count) -%}
        {%- set first = 1 + ((high_water_mark - size) * index) // (count - 1) -%}
        {%- do windows.append([first, first + size - 1]) -%}
    {%- endfor -%}
    {{ return(windows) }}
{%- endmacro %}
