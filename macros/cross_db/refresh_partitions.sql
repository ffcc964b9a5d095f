{#-
    How the incrementally refreshed ticket models (doc `incremental_refresh`)
    replace the rows of the keys a run refreshes. DuckDB and PostgreSQL
    delete those keys and insert their new rows (`delete+insert`). Spark's
    parquet tables cannot delete rows: they overwrite whole partitions
    (`insert_overwrite`, dynamic partition mode). So on Spark the models get a
    partition column, `_refresh_partition`, and a run writes every row of each
    partition it touches: the refreshed rows, plus the rows it keeps from the
    table (`select_refreshed_rows`). A touched partition is one
    that gets a refreshed row or held an old row of a refreshed key, so a key
    whose row moves to another partition leaves nothing behind: the result is
    the delete+insert result on every engine.
-#}
{% macro refresh_strategy() -%}
    {{ return(adapter.dispatch('refresh_strategy', 'cs_scorecard')()) }}
{%- endmacro %}

{% macro default__refresh_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__refresh_strategy() -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}


{% macro refresh_partition_by() -%}
    {{ return(adapter.dispatch('refresh_partition_by', 'cs_scorecard')()) }}
{%- endmacro %}

{% macro default__refresh_partition_by() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__refresh_partition_by() -%}
    {{ return(['_refresh_partition']) }}
{%- endmacro %}


{#-
    Ends an incrementally refreshed model in place of `select * from final`.
    DuckDB, PostgreSQL and the like: exactly that. Spark: the refreshed rows
    with their partition, `_refresh_partition` (last, where Spark keeps
    partition columns), and on an incremental run the table's rows that lie
    in a partition the run rewrites and whose key it does not refresh.
    `partition_kind`: `row_block`, blocks of a million of a row number (new
    raw rows land in the last block), or `month`, the month of a timestamp (a
    new day lands in the current month). The column must never be null: a
    null partition could not be matched as touched.
-#}
{% macro select_refreshed_rows(refreshed, unique_key, partition_kind, partition_column) -%}
    {{ return(adapter.dispatch('select_refreshed_rows', 'cs_scorecard')(
        refreshed, unique_key, partition_kind, partition_column
    )) }}
{%- endmacro %}

{% macro default__select_refreshed_rows(refreshed, unique_key, partition_kind, partition_column) -%}
select * from {{ refreshed }}
{%- endmacro %}

{% macro spark__select_refreshed_rows(refreshed, unique_key, partition_kind, partition_column) -%}
    {%- if partition_kind == 'row_block' -%}
        {%- set partition_value = 'cast(floor(refreshed_rows.' ~ partition_column ~ ' / 1000000) as ' ~ dbt.type_int() ~ ')' -%}
    {%- elif partition_kind == 'month' -%}
        {%- set partition_value = 'cast(' ~ dbt.date_trunc('month', 'refreshed_rows.' ~ partition_column) ~ ' as date)' -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("select_refreshed_rows: unknown partition kind '" ~ partition_kind ~ "'") }}
    {%- endif -%}
select
    refreshed_rows.*,
    {{ partition_value }} as _refresh_partition
from {{ refreshed }} as refreshed_rows
{%- if is_incremental() %}
union all
select kept.*
from {{ this }} as kept
where
    kept._refresh_partition in (
        select {{ partition_value }}
        from {{ refreshed }} as refreshed_rows
        union
        select replaced._refresh_partition
        from {{ this }} as replaced
        where replaced.{{ unique_key }} in (select refreshed_keys.{{ unique_key }} from {{ refreshed }} as refreshed_keys)
    )
    and not exists (
        select 1
        from {{ refreshed }} as refreshed_keys
        where refreshed_keys.{{ unique_key }} = kept.{{ unique_key }}
    )
{%- endif %}
{%- endmacro %}
