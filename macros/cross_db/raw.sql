{#-
    Reads one raw table of the contract with every column as text, plus
    `_row_number` (1-based file order), so that staging can cast each value
    itself and turn a bad value into a rejected row instead of a failed build.

    Before the read it checks the contract at file level: the raw file (or,
    on warehouse adapters, the raw table) must exist and carry every column
    the source declares, except columns marked `meta: {optional: true}`,
    which are read as null when absent. Either break stops the build with a
    message that names the file and the column.

    The result also carries `_read_error`: null for a row read normally; for
    a CSV line that could not be split into the header's fields, the
    rejection reason (`malformed_row: ...`), every contract column null. The
    base models reject such a row before any other rule.
-#}
{% macro raw_source_as_text(source_relation) -%}
    {#- At parse time only the source() call matters, for lineage. -#}
    {%- if not execute -%}
        {{ return('select 1 as _row_number') }}
    {%- endif -%}
    {%- set source_node = raw_source_node(source_relation) -%}
    {{ return(adapter.dispatch('raw_source_as_text', 'cs_scorecard')(source_relation, source_node)) }}
{%- endmacro %}


{% macro duckdb__raw_source_as_text(source_relation, source_node) -%}
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
        {{ return(duckdb__raw_csv_as_text(source_node, location)) }}
    {%- endif -%}
    {%- set reader = "read_parquet('" ~ location ~ "', file_row_number = true)" -%}
    {%- set described = run_query('describe select * from ' ~ reader) -%}
    {%- set present_columns = described.columns[0].values() | reject('equalto', 'file_row_number') | list -%}
    {%- set mapping = raw_column_mapping(source_node, present_columns, location) -%}
    select
        {{- raw_text_select_list(mapping) }}
        file_row_number + 1 as _row_number,
        cast(null as {{ dbt.type_string() }}) as _read_error
    from {{ reader }}
{%- endmacro %}


{#-
    A CSV file of the raw contract, read without DuckDB's sniffer (which
    refuses a whole file for one ragged line): the header is read as one line
    and split here, and every column is read as text by position. Lines whose
    number of fields differs from the header's are found by a first scan that
    stores DuckDB's rejects; they become rows with a `_read_error`, so none is
    dropped silently. A quoting or encoding error stops the build instead,
    naming the file and line: after an unterminated quote the reader cannot
    tell where the row ends, so later rows could vanish into it.
-#}
{% macro duckdb__raw_csv_as_text(source_node, location) -%}
    {%- set header_names = duckdb__raw_csv_header(location, source_node) -%}
    {%- set mapping = [] -%}
    {%- for column in raw_column_mapping(source_node, header_names, location) -%}
        {%- if column.raw_name is none -%}
            {%- do mapping.append(column) -%}
        {%- else -%}
            {%- do mapping.append(dict(column, raw_name='column' ~ (header_names.index(column.raw_name) + 1))) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set column_types = [] -%}
    {%- for name in header_names -%}
        {%- do column_types.append("'column" ~ loop.index ~ "': 'VARCHAR'") -%}
    {%- endfor -%}
    {%- set options -%}
        header = true, auto_detect = false, columns = { {{- column_types | join(', ') -}} },
        delim = ',', quote = '"', escape = '"'
    {%- endset -%}
    {%- set read_errors = duckdb__raw_csv_read_errors(source_node, location, options, header_names | length) -%}
    {%- if read_errors | length == 0 %}
    select
        {{- raw_text_select_list(mapping) }}
        row_number() over () as _row_number,
        cast(null as {{ dbt.type_string() }}) as _read_error
    from read_csv('{{ location }}', {{ options }})
    {%- else -%}
        {#-
            The k-th line read is the k-th row number not taken by a
            malformed line: k plus the malformed lines with fewer than k
            readable lines before them.
        -#}
        {%- set readable_before = [] -%}
        {%- for error in read_errors -%}
            {%- do readable_before.append(error.row_number - loop.index) -%}
        {%- endfor %}
    select
        {{- raw_text_select_list(mapping) }}
        _read_position + len(list_filter(
            [{{ readable_before | join(', ') }}], lambda readable: readable < _read_position
        )) as _row_number,
        cast(null as {{ dbt.type_string() }}) as _read_error
    from (
        select
            *,
            row_number() over () as _read_position
        from read_csv('{{ location }}', {{ options }}, ignore_errors = true)
    ) as read_lines
    union all
    select
        {%- for column in mapping %}
        cast(null as {{ dbt.type_string() }}) as {{ column.name }},
        {%- endfor %}
        malformed_lines._raw_row,
        malformed_lines._row_number,
        malformed_lines._read_error
    from (
        values
        {%- for error in read_errors %}
        ({{ error.row_number }}, '{{ error.raw_row }}', '{{ error.reason }}'){{ ',' if not loop.last }}
        {%- endfor %}
    ) as malformed_lines (_row_number, _raw_row, _read_error)
    {%- endif -%}
{%- endmacro %}


{#-
    The header's names, unquoted, in file order (DuckDB drops a UTF-8 BOM).
    Later lines that cannot be read are the next scan's business: skipped here.
-#}
{% macro duckdb__raw_csv_header(location, source_node) -%}
    {%- set header_query -%}
        select
            field_position,
            fields[field_position] as field
        from (
            select regexp_extract_all(line, '(?:^|,)((?:"(?:[^"]|"")*"|[^,"])*)', 1) as fields
            from read_csv(
                '{{ location }}', header = false, auto_detect = false, columns = {'line': 'VARCHAR'},
                delim = e'\x1f', quote = '', escape = '', strict_mode = false, ignore_errors = true
            )
            limit 1
        ) as header_line,
            range(1, len(fields) + 1) as positions (field_position)
        order by field_position
    {%- endset -%}
    {%- set fields = run_query(header_query).columns[1].values() -%}
    {%- if fields | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw file " ~ location ~ " (raw table '" ~ source_node.name ~ "') is empty: "
            ~ "it needs at least the header row naming its columns."
        ) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for field in fields -%}
        {%- set name = (field or '') | trim -%}
        {%- if name | length >= 2 and name[0] == '"' and name[-1] == '"' -%}
            {%- set name = name[1:-1] | replace('""', '"') -%}
        {%- endif -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}


{#-
    The lines of a CSV file that DuckDB cannot split into the header's
    fields, one per line: [{row_number, raw_row, reason}], already quoted for
    a SQL string literal. Stops the build on a quoting, encoding or
    line-length error, and on more malformed lines than can reasonably be
    listed one by one (the file is then most likely not comma-separated).
-#}
{% macro duckdb__raw_csv_read_errors(source_node, location, options, header_width, limit=1000) -%}
    {%- set rejects_table = 'scorecard_read_errors_' ~ source_node.name -%}
    {%- set rejects_scan = 'scorecard_read_scans_' ~ source_node.name -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects_table) -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects_scan) -%}
    {#-
        Every column counted: with count(*) alone DuckDB skips the values'
        UTF-8 check. A line may store a reject per column; once the store is
        full the rest would go unlisted, so a full store stops the build.
    -#}
    {%- set store_limit = (limit + 1) * (header_width + 1) -%}
    {%- do run_query(
        "select count(columns(*)) from read_csv('" ~ location ~ "', " ~ options ~ ", store_rejects = true, "
        ~ "rejects_table = '" ~ rejects_table ~ "', rejects_scan = '" ~ rejects_scan ~ "', "
        ~ "rejects_limit = " ~ store_limit ~ ")"
    ) -%}
    {#-
        DuckDB may store several rejects for one line (one per column it
        tried): the first column's counts. Line-level errors have no column.
    -#}
    {%- set first = 'coalesce(column_idx, 0)' -%}
    {%- set rejects = run_query(
        "select line, arg_min(cast(error_type as varchar), " ~ first ~ ") as error_type, "
        ~ "arg_min(error_message, " ~ first ~ ") as error_message, "
        ~ "left(trim(arg_min(csv_line, " ~ first ~ "), e' \\r\\n'), 500) as csv_line, "
        ~ "arg_min(try_cast(regexp_extract(error_message, 'Found: ([0-9]+)', 1) as integer), " ~ first ~ ") as found, "
        ~ "(select count(*) from temp.main." ~ rejects_table ~ ") as stored "
        ~ "from temp.main." ~ rejects_table ~ " group by line order by line"
    ) -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects_table) -%}
    {%- do run_query('drop table if exists temp.main.' ~ rejects_scan) -%}
    {%- set personal = raw_contract_columns(source_node) | selectattr('personal_data') | list | length > 0 -%}
    {%- if rejects.rows | length > limit or (rejects.rows | length > 0 and rejects.rows[0]['stored'] >= store_limit) -%}
        {{ exceptions.raise_compiler_error(
            "Raw file " ~ location ~ " (raw table '" ~ source_node.name ~ "') has more than " ~ limit
            ~ " lines that do not split into its " ~ header_width ~ " header columns (the first at line "
            ~ rejects.rows[0]['line'] ~ "). Is it a comma-separated file with the raw contract's header?"
        ) }}
    {%- endif -%}
    {%- set read_errors = [] -%}
    {%- for reject in rejects.rows -%}
        {%- if reject['error_type'] not in ['MISSING COLUMNS', 'TOO MANY COLUMNS'] -%}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ location ~ " (raw table '" ~ source_node.name ~ "') cannot be read at line "
                ~ reject['line'] ~ ": " ~ reject['error_message'] ~ " (" ~ reject['error_type'] | lower ~ "). "
                ~ "The raw contract expects UTF-8 CSV, \"-quoted where needed, a quote inside a quoted value doubled."
            ) }}
        {%- endif -%}
        {%- if personal -%}
            {%- set raw_row = 'line ' ~ reject['line'] ~ ' (text left out: the table holds personal data)' -%}
        {%- else -%}
            {%- set raw_row = 'line ' ~ reject['line'] ~ ': ' ~ reject['csv_line'] -%}
        {%- endif -%}
        {%- do read_errors.append({
            'row_number': reject['line'] - 1,
            'raw_row': raw_row | replace("'", "''"),
            'reason': (
                'malformed_row: line ' ~ reject['line'] ~ ' has ' ~ reject['found']
                ~ (' field' if reject['found'] == 1 else ' fields') ~ ' where the header has ' ~ header_width
            ) | replace("'", "''"),
        }) -%}
    {%- endfor -%}
    {{ return(read_errors) }}
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
    {#-
        scripts/load_raw.py loads a CSV line that does not split into the
        header's fields as a row with `_read_error` (the reason) and
        `_read_line` (its text), as the DuckDB target reads it; its
        `_raw_row` is then the DuckDB target's too.
    -#}
    {%- set read_error_expression = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    {%- set malformed_row = none -%}
    {%- if '_read_error' in lowered and '_read_line' in lowered and '_row_number' in lowered -%}
        {%- set read_error_expression = adapter.quote(present_columns[lowered.index('_read_error')]) -%}
        {%- set line_number = 'cast(' ~ row_number_expression ~ ' + 1 as ' ~ dbt.type_string() ~ ')' -%}
        {%- if raw_contract_columns(source_node) | selectattr('personal_data') | list | length > 0 -%}
            {%- set line_text = dbt.concat(["'line '", line_number, "' (text left out: the table holds personal data)'"]) -%}
        {%- else -%}
            {%- set line_text = dbt.concat(["'line '", line_number, "': '", adapter.quote(present_columns[lowered.index('_read_line')])]) -%}
        {%- endif -%}
        {%- set malformed_row = 'case when ' ~ read_error_expression ~ ' is not null then ' ~ line_text ~ ' end' -%}
    {%- endif -%}
    select
        {{- raw_text_select_list(mapping, malformed_row) }}
        {{ row_number_expression }} as _row_number,
        {{ read_error_expression }} as _read_error
    from {{ relation }}
{%- endmacro %}
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
