{#-
    dbt-spark's dateadd goes through unix seconds: it drops fractions of a
    second and adds nothing for milliseconds (as_of_end, the last millisecond
    of the day, came out as the next midnight). Spark's timestampadd keeps
    the microseconds; like DuckDB's and PostgreSQL's dateadd it returns a
    timestamp, also for a date.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}
