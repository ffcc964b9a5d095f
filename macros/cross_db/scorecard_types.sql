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
