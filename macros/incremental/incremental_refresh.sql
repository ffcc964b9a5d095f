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
