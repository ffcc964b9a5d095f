{#-
    Generic test: every KPI row's value is what its numerator and denominator
    give. Totals (`total_kpi_ids`, default the scorecard's three) carry a
    null denominator and value = numerator; every other KPI has value =
    numerator / denominator × the catalog's multiplier, within 1e-9
    relative, and a null value when the denominator is 0 (or null). A KPI
    missing from the catalog fails. Returns the failing rows with a reason.
-#}
{% test kpi_value_matches_components(model, catalog, total_kpi_ids=none) %}
    {%- set totals = total_kpi_ids if total_kpi_ids is not none else scorecard_total_kpi_ids() %}

with

kpi_rows as (
    select * from {{ model }}
),

catalog as (
    select * from {{ catalog }}
),

expected as (
    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.level,
        kpi_rows.entity_id,
        kpi_rows.parent_entity_id,
        kpi_rows.numerator,
        kpi_rows.denominator,
        kpi_rows.value,
        catalog.kpi_id is not null as is_in_catalog,
        kpi_rows.kpi_id in {{ scorecard_sql_list(totals) }} as is_total,
        case
            when kpi_rows.kpi_id in {{ scorecard_sql_list(totals) }} then kpi_rows.numerator
            when kpi_rows.denominator = 0 then null
            else kpi_rows.numerator / kpi_rows.denominator * catalog.multiplier
        end as expected_value
    from kpi_rows
    left join catalog
        on kpi_rows.kpi_id = catalog.kpi_id
),

checked as (
    select
        *,
        case
            when not is_in_catalog then 'kpi_id not in the catalog'
            when is_total and denominator is not null then 'a total carries a denominator'
            when expected_value is null and value is not null then 'value should be null'
            when expected_value is not null and value is null then 'value is null'
            when abs(value - expected_value) > 1e-9 * abs(expected_value)
                then 'value differs from numerator / denominator x multiplier'
        end as failure_reason
    from expected
)

select * from checked
where failure_reason is not null

{% endtest %}
