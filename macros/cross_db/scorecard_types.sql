{#-
    A number rounded to `places` decimals, for the status and trend
    comparisons (spec: values compared rounded to 9 decimal places).
    PostgreSQL rounds to a number of places only for `numeric`.
-#}
{% macro scorecard_round(expression, places) -%}
    {{ return(adapter.dispatch('scorecard_round')(expression, places)) }}
{%- endmacro %}

{% macro default__scorecard_round(expression, places) -%}
    round({{ expression }}, {{ places }})
{%- endmacro %}

{% macro postgres__scorecard_round(expression, places) -%}
    round(cast({{ expression }} as numeric), {{ places }})
{%- endmacro %}


{#-
    A double-precision float. dbt.type_float() is `float` on DuckDB, which
    there is a 4-byte REAL, too coarse for KPI values.
-#}
{% macro scorecard_type_double() -%}
    {{ return(adapter.dispatch('scorecard_type_double')()) }}
{%- endmacro %}

{% macro default__scorecard_type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__scorecard_type_double() -%}
    double
{%- endmacro %}

{% macro spark__scorecard_type_double() -%}
    double
{%- endmacro %}


{#-
    A decimal converted to the nearest double. DuckDB's direct cast from a
    38-digit decimal rounds twice (3.714285714285714176 becomes
    3.7142857142857144, not 3.714285714285714) and is slow; its text form
    parses to the correctly rounded double, as the other engines' casts give,
    in 60 % of the time.
-#}
{% macro scorecard_decimal_to_double(expression) -%}
    {{ return(adapter.dispatch('scorecard_decimal_to_double')(expression)) }}
{%- endmacro %}

{% macro default__scorecard_decimal_to_double(expression) -%}
    cast({{ expression }} as {{ scorecard_type_double() }})
{%- endmacro %}

{% macro duckdb__scorecard_decimal_to_double(expression) -%}
    cast(cast({{ expression }} as {{ dbt.type_string() }}) as {{ scorecard_type_double() }})
{%- endmacro %}
