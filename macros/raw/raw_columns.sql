{#-
    Engine-neutral helpers of `raw_source_as_text` (macros/cross_db/raw.sql):
    which source declares a raw table, its contract columns, how they map to
    the columns present, and the text select list staging reads.
-#}

{% macro raw_source_node(source_relation) -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.package_name == project_name and node.name == source_relation.identifier -%}
                {{ return(node) }}
            {%- endif -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("No source declares the raw table '" ~ source_relation.identifier ~ "'.") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- The contract's columns of a raw table: [{name, optional}] in declared order. -#}
{% macro raw_contract_columns(source_node) -%}
    {%- set columns = [] -%}
    {%- for column in source_node.columns.values() -%}
        {%- do columns.append({
            'name': column.name,
            'optional': column.meta.get('optional', false),
            'personal_data': column.meta.get('personal_data', false),
        }) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{#-
    Maps every contract column to the name it has in the raw file, matching
    case-insensitively after trimming (exports often capitalise headers).
    Stops the build when a required column is missing.
-#}
{% macro raw_column_mapping(source_node, present_columns, location) -%}
    {%- set present_by_key = {} -%}
    {%- set contract_names = raw_contract_columns(source_node) | map(attribute='name') | list -%}
    {%- for present in present_columns -%}
        {%- set key = present | trim | lower | replace('\ufeff', '') -%}
        {%- if key in present_by_key and key in contract_names -%}
            {#- Two columns for one contract column: which one holds the data is a guess. -#}
            {{ exceptions.raise_compiler_error(
                "Raw table '" ~ source_node.name ~ "' (" ~ location ~ ") has the column '" ~ key
                ~ "' more than once in its header. Keep one."
            ) }}
        {%- endif -%}
        {%- do present_by_key.update({key: present}) -%}
    {%- endfor -%}
    {%- set mapping = [] -%}
    {%- set missing = [] -%}
    {%- for column in raw_contract_columns(source_node) -%}
        {%- if column.name in present_by_key -%}
            {%- do mapping.append(dict(column, raw_name=present_by_key[column.name])) -%}
        {%- elif column.optional -%}
            {%- do mapping.append(dict(column, raw_name=none)) -%}
        {%- else -%}
            {%- do missing.append(column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw table '" ~ source_node.name ~ "' (" ~ location ~ ") is missing required column(s): "
            ~ missing | join(', ') ~ ". The raw contract (../shared/spec/raw_contract.md) requires them."
        ) }}
    {%- endif -%}
    {{ return(mapping) }}
{%- endmacro %}


{#-
    The contract's columns as text, then `_raw_row`: the row as
    `column=value` pairs for audit_rejected_rows, leaving out the columns
    marked `meta: {personal_data: true}` because the audit model is a mart.
-#}
{% macro raw_text_select_list(mapping, malformed_row=none) -%}
    {%- set raw_row_parts = [] -%}
    {%- for column in mapping %}
        {%- if column.raw_name is none -%}
            {%- set text_expression = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
        {%- else -%}
            {%- set text_expression = 'cast(' ~ adapter.quote(column.raw_name) ~ ' as ' ~ dbt.type_string() ~ ')' -%}
        {%- endif %}
        {{ text_expression }} as {{ column.name }},
        {%- if not column.personal_data -%}
            {%- do raw_row_parts.append("'" ~ ('' if raw_row_parts | length == 0 else ' | ') ~ column.name ~ "='") -%}
            {%- do raw_row_parts.append("coalesce(" ~ text_expression ~ ", 'null')") -%}
        {%- endif -%}
    {%- endfor %}
        {%- set raw_row = dbt.concat(raw_row_parts) %}
        {{ raw_row if malformed_row is none else 'coalesce(' ~ malformed_row ~ ', ' ~ raw_row ~ ')' }} as _raw_row,
{%- endmacro %}
