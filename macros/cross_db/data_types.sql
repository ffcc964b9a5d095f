{#-
    Contract data types are written once, in DuckDB's spelling (`double`,
    `varchar`, ...), in the models' yml. These translate them for the engines
    that spell them differently, where dbt renders them: the contract check's
    `cast(null as <type>)` (dbt's `cast`) and PostgreSQL's `create table`
    column list. DuckDB's SQL is untouched.
-#}
{% macro scorecard_data_type(data_type) -%}
    {{ return(adapter.dispatch('scorecard_data_type', 'cs_scorecard')(data_type)) }}
{%- endmacro %}

{% macro default__scorecard_data_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro postgres__scorecard_data_type(data_type) -%}
    {{ return({'double': 'double precision'}.get(data_type | trim | lower, data_type)) }}
{%- endmacro %}

{% macro spark__scorecard_data_type(data_type) -%}
    {#- Spark's varchar needs a length; its unbounded text type is string. -#}
    {{ return({'varchar': 'string', 'text': 'string', 'double precision': 'double'}.get(data_type | trim | lower, data_type)) }}
{%- endmacro %}


{#- dbt's `cast` (used by the contract check), with the type translated. -#}
{% macro postgres__cast(field, type) -%}
    cast({{ field }} as {{ scorecard_data_type(type) }})
{%- endmacro %}

{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ scorecard_data_type(type) }})
{%- endmacro %}


{#- PostgreSQL creates a contracted table from the yml's column list first. -#}
{% macro postgres__get_table_columns_and_constraints() -%}
    {%- set columns = {} -%}
    {%- for name, column in model['columns'].items() -%}
        {%- do columns.update({name: dict(column, data_type=scorecard_data_type(column['data_type']))}) -%}
    {%- endfor -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(raw_columns=columns) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    (
    {% for constraint in raw_column_constraints -%}
        {{ constraint }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for constraint in raw_model_constraints -%}
        {{ constraint }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}


{#-
    True when text starting with YYYY-MM-DD names a real calendar day (no
    2026-02-30): PostgreSQL has no try_cast, and its cast of an impossible
    date fails the whole query. Expects text already matched by a pattern
    that starts with \d{4}-\d{2}-\d{2}.
-#}
{% macro is_calendar_date(text) -%}
    {%- set year = 'cast(substr(' ~ text ~ ', 1, 4) as integer)' -%}
    {%- set month = 'cast(substr(' ~ text ~ ', 6, 2) as integer)' -%}
    {%- set day = 'cast(substr(' ~ text ~ ', 9, 2) as integer)' -%}
    ({{ year }} >= 1 and {{ month }} between 1 and 12 and {{ day }} between 1 and case
        when {{ month }} in (4, 6, 9, 11) then 30
        when {{ month }} = 2 and ({{ year }} % 4 = 0 and ({{ year }} % 100 != 0 or {{ year }} % 400 = 0)) then 29
        when {{ month }} = 2 then 28
        else 31
    end)
{%- endmacro %}


{#-
    True when the time of day of text `YYYY-MM-DD[T ]HH:MM[:SS[.f]]...` is a
    real one (hours 00-23, minutes and seconds 00-59), checked before a cast
    for the same reason as is_calendar_date.
-#}
{% macro is_time_of_day(text) -%}
    (cast(substr({{ text }}, 12, 2) as integer) <= 23
        and cast(substr({{ text }}, 15, 2) as integer) <= 59
        and (substr({{ text }}, 17, 1) != ':' or cast(substr({{ text }}, 18, 2) as integer) <= 59))
{%- endmacro %}


{#- dbt-spark's seed table, with the seeds' column_types translated. -#}
{% macro spark__create_csv_table(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {%- set sql -%}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                {%- set type = scorecard_data_type(column_override.get(col_name, inferred_type)) -%}
                {{ adapter.quote_seed_column(col_name | string, quote_seed_column) }} {{ type }}
                {%- if not loop.last -%}, {% endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {%- endset -%}
    {%- call statement('_') -%}
        {{ sql }}
    {%- endcall -%}
    {{ return(sql) }}
{%- endmacro %}

{#-
    dbt-spark's seed inserts, with the seeds' column_types translated and the
    values written as escaped literals: its session cursor quotes a bound
    value without escaping, so text with an apostrophe broke the statement.
-#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(scorecard_data_type(column_override.get(col_name, inferred_type))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        cast(null as {{ types[loop.index0] }})
                    {%- elif value is sameas true or value is sameas false -%}
                        {{ value | string | lower }}
                    {%- else -%}
                        cast('{{ value | string | replace('\\', '\\\\') | replace("'", "\\'") }}' as {{ types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last %},{% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}
