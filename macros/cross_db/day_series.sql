{#-
    A query returning one row per date from start to end inclusive, column
    `calendar_date`. The expressions may reference columns of `from_relation`
    (a one-row relation such as int_reporting_dates).
-#}
{% macro day_series(start_expression, end_expression, from_relation) -%}
    {{ return(adapter.dispatch('day_series', 'cs_scorecard')(start_expression, end_expression, from_relation)) }}
{%- endmacro %}

{% macro default__day_series(start_expression, end_expression, from_relation) -%}
    select cast(series.calendar_date as date) as calendar_date
    from {{ from_relation }}
    cross join lateral generate_series(
        cast({{ start_expression }} as {{ dbt.type_timestamp() }}),
        cast({{ end_expression }} as {{ dbt.type_timestamp() }}),
        interval '1 day'
    ) as series (calendar_date)
{%- endmacro %}

{% macro duckdb__day_series(start_expression, end_expression, from_relation) -%}
    select cast(unnest(generate_series(
        cast({{ start_expression }} as date),
        cast({{ end_expression }} as date),
        interval 1 day
    )) as date) as calendar_date
    from {{ from_relation }}
{%- endmacro %}

{% macro spark__day_series(start_expression, end_expression, from_relation) -%}
    select explode(sequence(
        cast({{ start_expression }} as date),
        cast({{ end_expression }} as date),
        interval 1 day
    )) as calendar_date
    from {{ from_relation }}
{%- endmacro %}
