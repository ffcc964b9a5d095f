{#-
    How the incrementally refreshed ticket models (doc `incremental_refresh`)
    replace the rows of the keys a run refreshes. DuckDB and PostgreSQL
    delete those keys and insert their new rows (`delete+insert`). Spark's
    parquet tables cannot delete rows: they overwrite whole partitions
    (`insert_overwrite`, dynamic partition mode). So on Spark the models get a
    partition column, `_refresh_partition`, and a run writes every row of each
    partition it touches: the refreshed rows, plus the rows it keeps from the
    table (`rows_kept_in_rewritten_partitions`). A touched partition is one
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
    The partition column, last in the select list (Spark keeps partition
    columns last): `, <value> as _refresh_partition` on Spark, nothing
    elsewhere. `row_block`: blocks of a million rows of a row number, so new
    raw rows land in the last block; `month`: the month of a timestamp, so a
    new day lands in the current month. Never null: a null partition could
    not be matched as touched.
-#}
{% macro refresh_partition_column(partition_kind, column) -%}
    {{ return(adapter.dispatch('refresh_partition_column', 'cs_scorecard')(partition_kind, column)) }}
{%- endmacro %}

{% macro default__refresh_partition_column(partition_kind, column) -%}
{%- endmacro %}

{% macro spark__refresh_partition_column(partition_kind, column) -%}
    {%- if partition_kind == 'row_block' -%}
        , cast(floor({{ column }} / 1000000) as {{ dbt.type_int() }}) as _refresh_partition
    {%- elif partition_kind == 'month' -%}
        , cast({{ dbt.date_trunc('month', column) }} as date) as _refresh_partition
    {%- else -%}
        {{ exceptions.raise_compiler_error("refresh_partition_column: unknown partition kind '" ~ partition_kind ~ "'") }}
    {%- endif -%}
{%- endmacro %}


{#-
    Follows `select * from <refreshed>` in an incremental model: on an
    incremental Spark run, the rows of the partitions the run rewrites whose
    key it does not refresh; nothing on other engines or on a full build.
-#}
{% macro rows_kept_in_rewritten_partitions(refreshed, unique_key) -%}
    {{ return(adapter.dispatch('rows_kept_in_rewritten_partitions', 'cs_scorecard')(refreshed, unique_key)) }}
{%- endmacro %}

{% macro default__rows_kept_in_rewritten_partitions(refreshed, unique_key) -%}
{%- endmacro %}

{% macro spark__rows_kept_in_rewritten_partitions(refreshed, unique_key) -%}
    {%- if is_incremental() %}
union all
select kept.*
from {{ this }} as kept
where
    kept._refresh_partition in (
        select refreshed_rows._refresh_partition
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
