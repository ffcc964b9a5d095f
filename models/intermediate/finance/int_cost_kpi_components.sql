-- Placeholder until the cost KPIs land: no components yet.
select
    cast(null as varchar) as kpi_id,
    cast(null as date) as fact_date,
    cast(null as varchar) as agent_id,
    cast(null as varchar) as team_id,
    cast(null as double) as numerator,
    cast(null as double) as denominator
where false
