{#-
    In int_costs_allocated, the allocation shares of every cost month sum to
    1 (within 1e-9), whether the month has tickets (shares by tickets
    created) or not (`unassigned` takes 1), and a month's team ticket counts
    add up to its month_tickets_created. Returns the failing months.
-#}

with

costs_allocated as (
    select * from {{ ref('int_costs_allocated') }}
),

months as (
    select
        cost_month,
        sum(allocation_share) as allocation_share_total,
        sum(tickets_created) as tickets_created_total,
        min(month_tickets_created) as min_month_tickets_created,
        max(month_tickets_created) as max_month_tickets_created
    from costs_allocated
    group by cost_month
)

select *
from months
where
    abs(allocation_share_total - 1) > 1e-9
    or min_month_tickets_created != max_month_tickets_created
    or tickets_created_total != max_month_tickets_created
