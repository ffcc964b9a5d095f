{#-
    The run's three reference points, one row: as_of_date and as_of_end (see
    base_ticketing__as_of_date) and window_start, the first day of the month
    of the earliest valid ticket's created_at. Facts dated before
    window_start are not reported.
-#}

with

as_of as (
    select * from {{ ref('base_ticketing__as_of_date') }}
),

tickets as (
    select * from {{ ref('stg_ticketing__tickets') }}
),

first_ticket as (
    select min(created_at) as first_created_at
    from tickets
),

final as (
    select
        as_of.as_of_date,
        as_of.as_of_end,
        cast({{ dbt.date_trunc('month', 'first_ticket.first_created_at') }} as date) as window_start
    from as_of
    cross join first_ticket
)

select * from final
