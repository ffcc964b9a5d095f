{#-
    The scorecard's fixed KPI lists and the small SQL helpers the cascade
    engine, its marts and its generic tests share.

    The lists are hard-coded from the shared spec (kpis.md) rather than read
    from the `kpi_catalog` seed, because the per-perspective marts need their
    column lists at compile time and the three totals change how a value is
    computed (value = numerator, no denominator).
-#}


{#- The KPIs that are totals: a null denominator and value = numerator. -#}
{% macro scorecard_total_kpi_ids() -%}
    {{ return(['ticket_volume', 'backlog_open', 'service_credit_exposure']) }}
{%- endmacro %}


{#- The KPIs of one perspective, in the order of the spec's catalog. -#}
{% macro scorecard_perspective_kpi_ids(perspective) -%}
    {%- set kpi_ids_by_perspective = {
        'customer': ['csat', 'dsat_rate', 'nps', 'ces'],
        'operational': [
            'ticket_volume', 'first_response_minutes', 'resolution_hours',
            'sla_attainment', 'sla_attainment_sev1', 'sla_attainment_sev2',
            'sla_attainment_sev3', 'sla_attainment_sev4', 'fcr_rate',
            'aht_minutes', 'escalation_rate', 'backlog_open', 'backlog_over_48h_rate',
        ],
        'financial': [
            'cost_per_ticket', 'cost_per_customer', 'service_credit_exposure',
            'headcount_efficiency',
        ],
        'people': [
            'schedule_adherence', 'qa_score', 'attrition_rate',
            'time_to_competency_days', 'internal_promotion_rate',
        ],
    } -%}
    {%- if perspective not in kpi_ids_by_perspective -%}
        {{ exceptions.raise_compiler_error(
            "scorecard_perspective_kpi_ids: unknown perspective '" ~ perspective
            ~ "' (expected one of " ~ (kpi_ids_by_perspective.keys() | list | join(', ')) ~ ")"
        ) }}
    {%- endif -%}
    {{ return(kpi_ids_by_perspective[perspective]) }}
{%- endmacro %}


{#- A SQL list literal of strings: ('a', 'b'). -#}
{% macro scorecard_sql_list(values) -%}
    ({%- for value in values -%}'{{ value }}'{{ ", " if not loop.last }}{%- endfor -%})
{%- endmacro %}


{#-
    Whether a pipe-separated list column of the catalog (`grains`, `levels`,
    e.g. `day|week|month|quarter`) holds an item. Padding both sides with
    pipes keeps `day` from matching inside another word.
-#}
{% macro scorecard_list_contains(list_expression, item_expression) -%}
    {{ dbt.concat(["'|'", "replace(lower(" ~ list_expression ~ "), ' ', '')", "'|'"]) }}
    like {{ dbt.concat(["'%|'", item_expression, "'|%'"]) }}
{%- endmacro %}


{#-
    The first day of the calendar period `periods` periods after (negative:
    before) the period that starts on `period_start_expression`, for a grain
    held in a column: day, ISO week, month or quarter. A quarter is shifted
    as three months, which every adapter's dateadd supports.
-#}
{% macro scorecard_shift_period_start(grain_expression, periods, period_start_expression) -%}
    case {{ grain_expression }}
        when 'day' then cast({{ dbt.dateadd('day', periods, period_start_expression) }} as date)
        when 'week' then cast({{ dbt.dateadd('week', periods, period_start_expression) }} as date)
        when 'month' then cast({{ dbt.dateadd('month', periods, period_start_expression) }} as date)
        when 'quarter' then cast({{ dbt.dateadd('month', '3 * (' ~ periods ~ ')', period_start_expression) }} as date)
    end
{%- endmacro %}


{#-
    The per-perspective pivot of the cascade: one row per (grain, period,
    level, entity, parent) with at least one KPI row of the perspective, and
    per KPI of the perspective its value (column named by the kpi_id) and its
    RAG status (`<kpi_id>_status`). `relation` is the cascade (a CTE name).
-#}
{% macro kpi_perspective_pivot(relation, perspective) -%}
    {%- set kpi_ids = scorecard_perspective_kpi_ids(perspective) -%}
    select
        period_grain,
        period_start,
        level,
        entity_id,
        parent_entity_id,
        -- Both are functions of the key, so max() just picks the one value.
        max(period_end) as period_end,
        max(entity_name) as entity_name,
        {%- for kpi_id in kpi_ids %}
        max(case when kpi_id = '{{ kpi_id }}' then value end) as {{ kpi_id }},
        max(case when kpi_id = '{{ kpi_id }}' then rag_status end) as {{ kpi_id }}_status{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    where perspective = '{{ perspective }}'
    group by
        period_grain,
        period_start,
        level,
        entity_id,
        parent_entity_id
{%- endmacro %}


{#-
    sum() of a fractional expression, computed exactly: each value is cast to a
    fixed-point decimal with 18 fractional digits before summing, and the sum
    back to a double. A parallel engine adds doubles in whatever order its
    threads deliver them, so a plain sum() can differ in the last bit from one
    build to the next; a decimal sum cannot, which keeps builds reproducible
    bit for bit. 20 integer digits leave room for any realistic total.

    A single value is its own sum and is returned as it is: the engines'
    casts of a double to a decimal are not exact (DuckDB's moves
    499.98333333333335 to 499.983333333333377024, PostgreSQL's keeps 15
    digits), so the round trip would move it by a unit in the last place;
    and turning a 38-digit decimal back into a double is the dearest step of
    the sum (half the time of the semantic fact, whose groups nearly all hold
    one value). Sums of doubles: a single decimal is converted by the
    engine's own cast.
-#}
{% macro scorecard_exact_sum(expression) -%}
    case
        when count({{ expression }}) = 1
            then cast(min({{ expression }}) as {{ scorecard_type_double() }})
        else {{ scorecard_decimal_to_double('sum(cast(' ~ expression ~ ' as decimal(38, 18)))') }}
    end
{%- endmacro %}
