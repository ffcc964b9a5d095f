{#-
    Every per-period KPI component: facts that do not add up over days and
    are computed for each period on their own (the backlog snapshot,
    headcount days and distinct account counts). Columns: kpi_id,
    period_grain, period_start, agent_id, team_id, numerator, denominator.
-#}

{%- set domain_models = [
    'int_backlog_kpi_period_components',
    'int_people_kpi_period_components',
    'int_cost_kpi_period_components',
] -%}

with

{% for domain_model in domain_models %}
{{ domain_model }} as (
    select
        kpi_id,
        period_grain,
        period_start,
        agent_id,
        team_id,
        numerator,
        denominator
    from {{ ref(domain_model) }}
),

{% endfor %}

final as (
    {% for domain_model in domain_models %}
    select * from {{ domain_model }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
