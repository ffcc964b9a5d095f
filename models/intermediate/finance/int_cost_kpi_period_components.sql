-- Placeholder until the cost KPIs land: no per-period components yet.
select
    cast(null as varchar) as kpi_id,
    cast(null as varchar) as period_grain,
    cast(null as date) as period_start,
    cast(null as varchar) as agent_id,
    cast(null as varchar) as team_id,
    cast(null as double) as numerator,
    cast(null as double) as denominator
where false
