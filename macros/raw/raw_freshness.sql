{#-
    `dbt source freshness` on the raw files (see the `raw_sources` doc block).
    dbt's own query selects max(loaded_at_field) from the file as DuckDB
    guesses its types: a CSV with one bad timestamp then fails to read, and a
    text column compares as text. Here the file is read as staging reads it
    (every column as text) and the loaded_at_field goes through
    `try_parse_timestamp_utc`, so offsets count, a bare date is midnight UTC
    and a value that does not parse is ignored, as it is in staging.

    `loaded_at_field` names a contract column (matched like staging matches
    headers: trimmed, case-insensitive); anything else is used as a SQL
    expression over the text columns.
-#}
{% macro duckdb__collect_freshness(source, loaded_at_field, filter) -%}
    {%- set source_node = raw_source_node(source) -%}
    {%- set contract_names = raw_contract_columns(source_node) | map(attribute='name') | list -%}
    {%- set loaded_at = namespace(expression=loaded_at_field) -%}
    {%- if loaded_at_field | trim | lower in contract_names -%}
        {%- set loaded_at.expression = loaded_at_field | trim | lower -%}
    {%- endif -%}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ try_parse_timestamp_utc(loaded_at.expression) }}) as max_loaded_at,
            {{ current_timestamp() }} as snapshotted_at
        from (
            {{ duckdb__raw_source_as_text(none, source_node) }}
        ) as raw_rows
        {% if filter -%}
            where {{ filter }}
        {%- endif %}
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{%- endmacro %}
