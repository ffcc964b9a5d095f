{#-
    Seconds since the Unix epoch of a timestamp without time zone, with
    fractions. Exact durations are differences of these (dbt.datediff counts
    boundaries crossed, not elapsed time).
-#}
{% macro epoch_seconds(timestamp_expression) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'cs_scorecard')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__epoch_seconds(timestamp_expression) -%}
    cast(extract(epoch from {{ timestamp_expression }}) as {{ scorecard_type_double() }})
{%- endmacro %}

{% macro duckdb__epoch_seconds(timestamp_expression) -%}
    (epoch_us({{ timestamp_expression }}) / 1000000.0)
{%- endmacro %}

{#- A double, as on DuckDB: Spark divides by a decimal literal in decimal arithmetic. -#}
{% macro spark__epoch_seconds(timestamp_expression) -%}
    (cast(unix_micros({{ timestamp_expression }}) as double) / 1000000.0)
{%- endmacro %}


{#- Exact seconds elapsed from one timestamp to another. -#}
{% macro seconds_between(start_expression, end_expression) -%}
    ({{ epoch_seconds(end_expression) }} - {{ epoch_seconds(start_expression) }})
{%- endmacro %}


{#-
    The first day whose snapshot instant (the day's last millisecond,
    23:59:59.999) is at or after the timestamp: normally its own date, the
    next day only for the last sub-millisecond of a day. Day-level state
    (backlog) counts a change from this day on.
-#}
{% macro first_snapshot_day(timestamp_expression) -%}
    case
        when {{ timestamp_expression }}
            <= {{ dbt.dateadd('millisecond', -1, dbt.dateadd('day', 1, 'cast(cast(' ~ timestamp_expression ~ ' as date) as ' ~ dbt.type_timestamp() ~ ')')) }}
            then cast({{ timestamp_expression }} as date)
        else cast({{ dbt.dateadd('day', 1, 'cast(' ~ timestamp_expression ~ ' as date)') }} as date)
    end
{%- endmacro %}
