{#-
    Every daily, additive KPI component of the scorecard, one domain model
    per perspective family: the cascade's single input for facts that add up
    over days. Columns: kpi_id, fact_date, agent_id (null without a person),
    team_id (`unassigned` when attribution failed), numerator, denominator
    (null for totals).
-#}

{%- set domain_models = [
    'int_ticket_kpi_components',
    'int_workforce_kpi_components',
    'int_people_kpi_components',
    'int_cost_kpi_components',
] -%}

with

{% for domain_model in domain_models %}
{{ domain_model }} as (
    select
        kpi_id,
        fact_date,
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
