{#-
    Per cost month, int_costs_allocated keeps every cost: the sum of
    allocated_cost equals the direct plus shared cost lines of
    int_costs_converted, direct costs per month match, and the allocated
    shared costs add up to the month's shared cost, within 1e-6. A month
    with cost lines but no allocation row, or the reverse, fails too.
    Returns the failing months.
-#}

with

costs as (
    select * from {{ ref('int_costs_converted') }}
),

costs_allocated as (
    select * from {{ ref('int_costs_allocated') }}
),

line_months as (
    select
        cost_month,
        sum(case when is_shared then 0 else amount_reporting end) as direct_cost,
        sum(case when is_shared then amount_reporting else 0 end) as shared_cost
    from costs
    group by cost_month
),

allocated_months as (
    select
        cost_month,
        sum(direct_cost) as direct_cost,
        sum(allocated_shared_cost) as allocated_shared_cost,
        sum(allocated_cost) as allocated_cost
    from costs_allocated
    group by cost_month
),

compared as (
    select
        coalesce(line_months.cost_month, allocated_months.cost_month) as cost_month,
        line_months.direct_cost as line_direct_cost,
        line_months.shared_cost as line_shared_cost,
        allocated_months.direct_cost as allocated_direct_cost,
        allocated_months.allocated_shared_cost,
        allocated_months.allocated_cost
    from line_months
    full outer join allocated_months
        on line_months.cost_month = allocated_months.cost_month
)

select *
from compared
where
    line_direct_cost is null
    or allocated_cost is null
    or abs(allocated_cost - (line_direct_cost + line_shared_cost)) > 1e-6
    or abs(allocated_direct_cost - line_direct_cost) > 1e-6
    or abs(allocated_shared_cost - line_shared_cost) > 1e-6
