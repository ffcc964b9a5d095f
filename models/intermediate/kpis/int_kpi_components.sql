{#-
    Every daily, additive KPI component of the scorecard, one domain model
    per perspective family: the cascade's single input for facts that add up
    over days. Columns: kpi_id, fact_date, agent_id (null without a person),
    team_id (`unassigned` when attribution failed), contact_profile_id (the
    ticket or account attributes of the fact, for the semantic layer; null
    for workforce, people and cost-line facts), numerator, denominator (null
    for totals).
-#}

{#-
    A view: it only stacks four tables that are already materialized, and its
    two readers (the cascade's daily collapse and the semantic mart) each scan
    it once, so writing its ~9 rows per ticket again would cost more than it
    saves.
-#}
{{ config(materialized='view') }}

{%- set domain_models = [
    'int_ticket_kpi_components',
    'int_workforce_kpi_components',
    'int_people_kpi_components',
    'int_cost_kpi_components',
] -%}

with

{{ union_domain_components(
    domain_models,
    ['kpi_id', 'fact_date', 'agent_id', 'team_id', 'contact_profile_id', 'numerator', 'denominator'],
) }}

select * from final
