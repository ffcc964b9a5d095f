{#-
    Generic test: rag_status follows from value, targets and direction, the
    spec's rule recomputed: `no_data` when the value is null (checked
    first); `no_target` for a neutral KPI or without a green threshold; else
    for higher_is_better `green` when value ≥ target_green, `amber` when ≥
    target_amber, else `red`, mirrored for lower_is_better, comparing values
    rounded to 9 decimals. Returns the rows whose status differs, with the
    expected one.
-#}
{% test kpi_status_matches_targets(model) %}
    {%- set value = scorecard_round('value', 9) %}
    {%- set green = scorecard_round('target_green', 9) %}
    {%- set amber = scorecard_round('target_amber', 9) %}

with

kpi_rows as (
    select * from {{ model }}
),

expected as (
    select
        *,
        case
            when value is null then 'no_data'
            when direction = 'neutral' or target_green is null then 'no_target'
            when direction = 'higher_is_better'
                then case
                    when {{ value }} >= {{ green }} then 'green'
                    when {{ value }} >= {{ amber }} then 'amber'
                    else 'red'
                end
            when direction = 'lower_is_better'
                then case
                    when {{ value }} <= {{ green }} then 'green'
                    when {{ value }} <= {{ amber }} then 'amber'
                    else 'red'
                end
            else 'no_target'
        end as expected_rag_status
    from kpi_rows
)

select * from expected
where
    rag_status is null
    or rag_status != expected_rag_status

{% endtest %}
