{#-
    Registers raw tables written as Parquet folders by scripts/load_raw.py as
    external tables of `schema` (Spark / Databricks: `using parquet`, nothing
    is copied). The schema is replaced as a whole, as the loader does on
    PostgreSQL. Called by the loader through `dbt run-operation`, so the
    metastore is the one of the profile's target.
-#}
{% macro create_raw_tables(schema, tables) -%}
    {%- do run_query('drop database if exists ' ~ schema ~ ' cascade') -%}
    {%- do run_query('create database ' ~ schema) -%}
    {%- for table in tables -%}
        {%- do run_query(
            'create table ' ~ schema ~ '.' ~ table.name ~ " using parquet options (path '" ~ table.path ~ "')"
        ) -%}
    {%- endfor -%}
    {{ log('Registered ' ~ tables | length ~ ' raw tables in ' ~ schema, info=true) }}
{%- endmacro %}
