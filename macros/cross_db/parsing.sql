{#-
    Casting raw text, per engine. Each `try_parse_*` macro returns null when
    the text does not hold a value of the type, so that staging can reject
    the row with a reason. The engine-neutral helpers (`clean_text`,
    `clean_code`) are in macros/parsing/parse_text.sql.
-#}

{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'cs_scorecard')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '^(?:{{ pattern }})$')
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{#- Spark string literals take backslash escapes: a regex backslash is doubled. -#}
{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern | replace('\\', '\\\\') }})$')
{%- endmacro %}


{#-
    ISO 8601 text to a UTC timestamp without time zone. Text with an offset
    (or Z) is converted to UTC; text without one is taken as UTC already. The
    session time zone never enters: offset-free text is cast straight to a
    plain timestamp.
-#}
{% macro try_parse_timestamp_utc(expression) -%}
    {{ return(adapter.dispatch('try_parse_timestamp_utc', 'cs_scorecard')(clean_text(expression))) }}
{%- endmacro %}

{% macro duckdb__try_parse_timestamp_utc(text) -%}
    {#-
        DuckDB's timestamptz cast refuses some valid ISO 8601 spellings (a
        lower-case z, a space before the offset, no seconds), so those are
        normalised first. It also takes offsets ISO 8601 does not have
        (+25:00), so the pattern allows offset hours 00-23 and minutes 00-59,
        and it reads 24:00:00 as the next midnight where PostgreSQL's check
        and Spark refuse it, so hours are 00-23 too. More than six fractional
        second digits are truncated, as on the other engines.
    -#}
    {%- set normalised -%}
        regexp_replace(
            regexp_replace(upper({{ text }}), '\s+(Z|[+-]\d)', '\1'),
            '^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})(Z|[+-].*)?$', '\1:00\2'
        )
    {%- endset -%}
    {%- set with_offset = "'\\d{4}-\\d{2}-\\d{2}[T ]([01]\\d|2[0-3]):\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)'" -%}
    {%- set without_offset = "'\\d{4}-\\d{2}-\\d{2}([T ]([01]\\d|2[0-3]):\\d{2}:\\d{2}(\\.\\d+)?)?'" -%}
    {#-
        Text already in canonical form (upper-case, seconds, no space before
        the offset) is left unchanged by the normalisation, so it is cast
        directly: the two regexp_replace calls are the costliest part of
        reading tens of millions of events, and exports are nearly always
        canonical.
    -#}
    case
        when regexp_full_match({{ text }}, {{ without_offset }})
            then try_cast({{ text }} as timestamp)
        when regexp_full_match({{ text }}, {{ with_offset }})
            then try_cast({{ text }} as timestamptz) at time zone 'UTC'
        when regexp_full_match({{ normalised }}, {{ with_offset }})
            then try_cast({{ normalised }} as timestamptz) at time zone 'UTC'
        when regexp_full_match({{ normalised }}, {{ without_offset }})
            then try_cast({{ normalised }} as timestamp)
    end
{%- endmacro %}

{#-
    PostgreSQL-like engines: no try_cast, so the date and the time of day are
    checked before the cast (nested cases: the checks only run on text of
    the right shape).
-#}
{% macro default__try_parse_timestamp_utc(text) -%}
    {#- PostgreSQL rounds to microseconds (23:59:59.9999999 is the next day); DuckDB and Spark truncate. -#}
    {%- set truncated = "regexp_replace(" ~ text ~ ", '(\\.\\d{6})\\d+', '\\1')" -%}
    case
        when {{ matches_pattern(text, '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)') }}
            then case when {{ is_calendar_date(text) }} and {{ is_time_of_day(text) }}
                then cast(cast({{ truncated }} as {{ dbt.type_timestamp() }} with time zone) at time zone 'UTC' as {{ dbt.type_timestamp() }})
            end
        when {{ matches_pattern(text, '\\d{4}-\\d{2}-\\d{2}') }}
            then case when {{ is_calendar_date(text) }} then cast({{ text }} as {{ dbt.type_timestamp() }}) end
        when {{ matches_pattern(text, '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?') }}
            then case when {{ is_calendar_date(text) }} and {{ is_time_of_day(text) }}
                then cast({{ truncated }} as {{ dbt.type_timestamp() }})
            end
    end
{%- endmacro %}


{#-
    Spark / Databricks: DuckDB's normalisation (upper case, no space before
    the offset, seconds added), then try_cast, which converts an offset to the
    session time zone (UTC, profiles.yml) and takes offset-free text as UTC.
-#}
{% macro spark__try_parse_timestamp_utc(text) -%}
    {%- set normalised -%}
        regexp_replace(
            regexp_replace(upper({{ text }}), '\\s+(Z|[+-]\\d)', '$1'),
            '^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2})(Z|[+-].*)?$', '$1:00$2'
        )
    {%- endset -%}
    {#- Microseconds, the rest of the fraction cut off, as DuckDB does. -#}
    {%- set truncated = "regexp_replace(" ~ normalised ~ ", '(\\\\.\\\\d{6})\\\\d+', '$1')" -%}
    case
        when {{ matches_pattern(normalised, '\\d{4}-\\d{2}-\\d{2}[T ]([01]\\d|2[0-3]):\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)') }}
            then try_cast({{ truncated }} as timestamp)
        when {{ matches_pattern(normalised, '\\d{4}-\\d{2}-\\d{2}([T ]([01]\\d|2[0-3]):\\d{2}:\\d{2}(\\.\\d+)?)?') }}
            then try_cast({{ truncated }} as timestamp)
    end
{%- endmacro %}


{#- YYYY-MM-DD text to a date; impossible dates (2026-02-30) give null. -#}
{% macro try_parse_date(expression) -%}
    {{ return(adapter.dispatch('try_parse_date', 'cs_scorecard')(clean_text(expression))) }}
{%- endmacro %}

{% macro duckdb__try_parse_date(text) -%}
    case when regexp_full_match({{ text }}, '\d{4}-\d{2}-\d{2}') then try_cast({{ text }} as date) end
{%- endmacro %}

{% macro default__try_parse_date(text) -%}
    case when {{ matches_pattern(text, '\\d{4}-\\d{2}-\\d{2}') }} then
        case when {{ is_calendar_date(text) }} then cast({{ text }} as date) end
    end
{%- endmacro %}


{#- Whole numbers only: '12.5' is not an integer (a plain cast would round it). -#}
{% macro try_parse_integer(expression) -%}
    {{ return(adapter.dispatch('try_parse_integer', 'cs_scorecard')(clean_text(expression))) }}
{%- endmacro %}

{% macro duckdb__try_parse_integer(text) -%}
    case when regexp_full_match({{ text }}, '[+-]?\d{1,18}') then try_cast({{ text }} as bigint) end
{%- endmacro %}

{% macro default__try_parse_integer(text) -%}
    case when {{ matches_pattern(text, '[+-]?\\d{1,18}') }} then cast({{ text }} as bigint) end
{%- endmacro %}


{#-
    Plain decimal notation (optionally with an exponent) to a double. A
    number a double cannot hold is no number here, on every engine: beyond
    +-1.8e308 (infinity on DuckDB and Spark, a failed query on PostgreSQL) or
    so close to zero that it would become 0 (PostgreSQL fails again).
-#}
{% macro try_parse_number(expression) -%}
    {{ return(adapter.dispatch('try_parse_number', 'cs_scorecard')(clean_text(expression))) }}
{%- endmacro %}

{#-
    Text of a number's shape, the same test on every engine. At most three
    exponent digits and 1000 characters, so that PostgreSQL's exact range
    check on `numeric` cannot overflow; no export writes longer numbers.
-#}
{% macro is_number_text(text) -%}
    ({{ matches_pattern(text, '[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?0*\\d{1,3})?') }} and length({{ text }}) <= 1000)
{%- endmacro %}

{#- Number text that spells zero: a double of 0 is then right, not an underflow. -#}
{% macro is_zero_number_text(text) -%}
    {{ matches_pattern(text, '[+-]?0*\\.?0*([eE][+-]?\\d+)?') }}
{%- endmacro %}

{% macro duckdb__try_parse_number(text) -%}
    {%- set number = 'try_cast(' ~ text ~ ' as double)' -%}
    case
        when {{ is_number_text(text) }}
            and isfinite({{ number }})
            and ({{ number }} != 0 or {{ is_zero_number_text(text) }})
            then {{ number }}
    end
{%- endmacro %}

{#-
    PostgreSQL's cast fails the query outside the double's range, so the
    range is checked first, exactly, on `numeric`: a double holds what rounds
    below 2^1024 (the halfway point above the largest double, 2^1024 - 2^970,
    rounds up) and above 2^-1075 (half the smallest subnormal, which rounds
    to 0).
-#}
{% macro default__try_parse_number(text) -%}
    {%- set exact = 'abs(cast(' ~ text ~ ' as numeric))' -%}
    case
        when {{ is_number_text(text) }}
            then case
                when {{ exact }} < {{ 2 ** 1024 - 2 ** 970 }}
                    and ({{ exact }} = 0 or {{ exact }} * {{ 2 ** 1075 }} > 1)
                    then cast({{ text }} as {{ scorecard_type_double() }})
            end
    end
{%- endmacro %}

{#- Spark / Databricks: try_cast gives null where the cast is impossible (2026-02-30, overflow). -#}
{% macro spark__try_parse_date(text) -%}
    case when {{ matches_pattern(text, '\\d{4}-\\d{2}-\\d{2}') }} then try_cast({{ text }} as date) end
{%- endmacro %}

{% macro spark__try_parse_integer(text) -%}
    case when {{ matches_pattern(text, '[+-]?\\d{1,18}') }} then try_cast({{ text }} as bigint) end
{%- endmacro %}

{% macro spark__try_parse_number(text) -%}
    {%- set number = 'try_cast(' ~ text ~ ' as double)' -%}
    case
        when {{ is_number_text(text) }}
            and abs({{ number }}) < cast('Infinity' as double)
            and ({{ number }} != 0 or {{ is_zero_number_text(text) }})
            then {{ number }}
    end
{%- endmacro %}
