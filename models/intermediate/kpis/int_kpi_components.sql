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

{{ union_domain_components(
    domain_models,
    ['kpi_id', 'fact_date', 'agent_id', 'team_id', 'numerator', 'denominator'],
) }}

select * from final
