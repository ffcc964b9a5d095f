{#-
    Every raw table of the contract with the staging models that read it:
    `base` keeps every row read (with its rejection_reason), `staging` the
    rows used; `key` is the table's unique key, where it has one.
-#}
{% macro raw_tables() -%}
    {{ return([
        {'source_table': 'accounts', 'base': 'base_crm__accounts', 'staging': 'stg_crm__accounts', 'key': 'account_id'},
        {'source_table': 'agents', 'base': 'base_hr__agents', 'staging': 'stg_hr__agents', 'key': 'agent_id'},
        {'source_table': 'agent_roles', 'base': 'base_hr__agent_roles', 'staging': 'stg_hr__agent_roles', 'key': none},
        {'source_table': 'teams', 'base': 'base_hr__teams', 'staging': 'stg_hr__teams', 'key': 'team_id'},
        {'source_table': 'tickets', 'base': 'base_ticketing__tickets', 'staging': 'stg_ticketing__tickets', 'key': 'ticket_id'},
        {'source_table': 'ticket_events', 'base': 'base_ticketing__ticket_events', 'staging': 'stg_ticketing__ticket_events', 'key': 'event_id'},
        {'source_table': 'surveys', 'base': 'base_surveys__responses', 'staging': 'stg_surveys__responses', 'key': 'response_id'},
        {'source_table': 'qa_evaluations', 'base': 'base_qa__evaluations', 'staging': 'stg_qa__evaluations', 'key': 'evaluation_id'},
        {'source_table': 'schedules', 'base': 'base_wfm__schedules', 'staging': 'stg_wfm__schedules', 'key': none},
        {'source_table': 'agent_states', 'base': 'base_wfm__agent_states', 'staging': 'stg_wfm__agent_states', 'key': none},
        {'source_table': 'costs', 'base': 'base_finance__costs', 'staging': 'stg_finance__costs', 'key': none},
    ]) }}
{%- endmacro %}
