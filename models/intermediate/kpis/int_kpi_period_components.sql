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

{{ union_domain_components(
    domain_models,
    ['kpi_id', 'period_grain', 'period_start', 'agent_id', 'team_id', 'numerator', 'denominator'],
) }}

select * from final
