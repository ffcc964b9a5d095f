{#-
    Generic test: every non-null KPI value lies in its KPI's domain. Rates
    and ratios 0–1 (dsat_rate, fcr_rate, escalation_rate, sla_attainment and
    its severities, backlog_over_48h_rate, schedule_adherence,
    internal_promotion_rate); csat 1–5; nps −100–100; ces 1–7; qa_score
    0–100; counts, minutes, hours, days, per-hour rates, the annualised
    attrition rate and service credits non-negative. Other KPIs are not
    checked. Bounds allow 1e-9 for floating-point sums. Returns the rows out
    of their domain with the bounds.
-#}
{% test kpi_values_in_domain(model) %}
    {%- set domains = [
        (['dsat_rate', 'fcr_rate', 'escalation_rate', 'sla_attainment', 'sla_attainment_sev1',
          'sla_attainment_sev2', 'sla_attainment_sev3', 'sla_attainment_sev4',
          'backlog_over_48h_rate', 'schedule_adherence', 'internal_promotion_rate'], 0, 1),
        (['csat'], 1, 5),
        (['nps'], -100, 100),
        (['ces'], 1, 7),
        (['qa_score'], 0, 100),
        (['ticket_volume', 'backlog_open', 'first_response_minutes', 'aht_minutes',
          'resolution_hours', 'time_to_competency_days', 'headcount_efficiency',
          'attrition_rate', 'service_credit_exposure'], 0, none),
    ] %}

with

kpi_rows as (
    select * from {{ model }}
),

domains as (
    {%- for kpi_ids, lower_bound, upper_bound in domains %}
        {%- set outer_loop = loop %}
        {%- for kpi_id in kpi_ids %}
    select
        '{{ kpi_id }}' as kpi_id,
        cast({{ lower_bound }} as {{ scorecard_type_double() }}) as lower_bound,
        cast({{ "null" if upper_bound is none else upper_bound }} as {{ scorecard_type_double() }}) as upper_bound
            {%- if not (outer_loop.last and loop.last) %}
    union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
)

select
    kpi_rows.*,
    domains.lower_bound,
    domains.upper_bound
from kpi_rows
inner join domains
    on kpi_rows.kpi_id = domains.kpi_id
where
    kpi_rows.value < domains.lower_bound - 1e-9
    or kpi_rows.value > domains.upper_bound + 1e-9

{% endtest %}
