{#-
    Reads one raw table of the contract with every column as text, plus
    `_row_number` (1-based file order), so that staging can cast each value
    itself and turn a bad value into a rejected row instead of a failed build.

    Before the read it checks the contract at file level: the raw file (or,
    on warehouse adapters, the raw table) must exist and carry every column
    the source declares, except columns marked `meta: {optional: true}`,
    which are read as null when absent. Either break stops the build with a
    message that names the file and the column.
-#}
{% macro raw_source_as_text(source_relation) -%}
    {#- At parse time only the source() call matters, for lineage. -#}
    {%- if not execute -%}
        {{ return('select 1 as _row_number') }}
    {%- endif -%}
    {%- set source_node = raw_source_node(source_relation) -%}
    {{ return(adapter.dispatch('raw_source_as_text', 'cs_scorecard')(source_relation, source_node)) }}
{%- endmacro %}


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
    {%- for present in present_columns -%}
        {%- do present_by_key.update({present | trim | lower | replace('\ufeff', ''): present}) -%}
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
{% macro raw_text_select_list(mapping) -%}
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
        {{ dbt.concat(raw_row_parts) }} as _raw_row,
{%- endmacro %}


{% macro duckdb__raw_source_as_text(source_relation, source_node) -%}
    {%- set raw_file = duckdb__raw_file(source_node) -%}
    {%- set mapping = raw_column_mapping(source_node, raw_file.columns, raw_file.location) -%}
    select
        {{- raw_text_select_list(mapping) }}
        {{ raw_file.row_number_expression }} as _row_number
    from {{ raw_file.reader }}
{%- endmacro %}


{#-
    The raw file of a source table on DuckDB: {location, reader, columns,
    row_number_expression}. Stops with a message naming the file when it is
    not there. Shared by staging and `dbt source freshness`, so both read a
    file the same way.
-#}
{% macro duckdb__raw_file(source_node) -%}
    {%- set raw_format = env_var('SCORECARD_RAW_FORMAT', 'parquet') | trim | lower -%}
    {%- if raw_format not in ['csv', 'parquet'] -%}
        {{ exceptions.raise_compiler_error("SCORECARD_RAW_FORMAT must be 'csv' or 'parquet', not '" ~ raw_format ~ "'.") }}
    {%- endif -%}
    {%- set location = source_node.meta.external_location | replace('{name}', source_node.name) -%}
    {%- set found = run_query("select count(*) from glob('" ~ location ~ "')").columns[0].values()[0] -%}
    {%- if found == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw file not found: " ~ location ~ " (raw table '" ~ source_node.name ~ "'). "
            ~ "Put the export there, or point SCORECARD_RAW_DIR / SCORECARD_RAW_FORMAT at your files."
        ) }}
    {%- endif -%}
    {%- if raw_format == 'csv' -%}
        {#- all_varchar: a bad value must reach staging as text, never fail the read. -#}
        {%- set reader = "read_csv('" ~ location ~ "', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')" -%}
        {%- set row_number_expression = 'row_number() over ()' -%}
    {%- else -%}
        {%- set reader = "read_parquet('" ~ location ~ "', file_row_number = true)" -%}
        {%- set row_number_expression = 'file_row_number + 1' -%}
    {%- endif -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {{ return({
        'location': location,
        'reader': reader,
        'columns': described.columns[0].values() | reject('equalto', 'file_row_number') | list,
        'row_number_expression': row_number_expression,
    }) }}
{%- endmacro %}


{% macro default__raw_source_as_text(source_relation, source_node) -%}
    {%- set relation = adapter.get_relation(
        database=source_relation.database,
        schema=source_relation.schema,
        identifier=source_relation.identifier,
    ) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error(
            "Raw table not found: " ~ source_relation ~ " (raw table '" ~ source_node.name ~ "'). "
            ~ "Load it into the schema named by SCORECARD_RAW_SCHEMA."
        ) }}
    {%- endif -%}
    {%- set present_columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
    {%- set mapping = raw_column_mapping(source_node, present_columns, relation | string) -%}
    {%- set lowered = present_columns | map('lower') | list -%}
    {%- if '_row_number' in lowered -%}
        {%- set row_number_expression = adapter.quote(present_columns[lowered.index('_row_number')]) -%}
    {%- else -%}
        {#- No file order on a plain table: any deterministic order will do (raw contract). -#}
        {%- set order_columns = [] -%}
        {%- for column in mapping if column.raw_name is not none -%}
            {%- do order_columns.append(adapter.quote(column.raw_name)) -%}
        {%- endfor -%}
        {%- set row_number_expression = 'row_number() over (order by ' ~ order_columns | join(', ') ~ ')' -%}
    {%- endif -%}
    select
        {{- raw_text_select_list(mapping) }}
        {{ row_number_expression }} as _row_number
    from {{ relation }}
{%- endmacro %}
