{#-
    In fct_contact_drivers, the volume shares of a period add up to 1 (within
    1e-9) when the period has created tickets, and are all null when it has
    none (a period that only holds solves or survey responses). Returns the
    failing periods.
-#}

with

contact_drivers as (
    select * from {{ ref('fct_contact_drivers') }}
),

periods as (
    select
        period_grain,
        period_start,
        sum(ticket_volume) as ticket_volume,
        sum(volume_share) as volume_share_total,
        count(volume_share) as rows_with_share,
        count(*) as row_count
    from contact_drivers
    group by period_grain, period_start
)

select *
from periods
where
    (ticket_volume > 0 and (volume_share_total is null or abs(volume_share_total - 1) > 1e-9))
    or (ticket_volume > 0 and rows_with_share != row_count)
    or (ticket_volume = 0 and rows_with_share > 0)
