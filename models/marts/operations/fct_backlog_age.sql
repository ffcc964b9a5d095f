with

backlog_snapshots as (
    select * from {{ ref('int_backlog_snapshots_daily') }}
),

final as (
    select
        snapshot_date,
        team_id,
        cast(sum(case when age_bucket = '0-24h' then open_tickets else 0 end) as bigint) as open_0_24h,
        cast(sum(case when age_bucket = '24-48h' then open_tickets else 0 end) as bigint) as open_24_48h,
        cast(sum(case when age_bucket = '48-72h' then open_tickets else 0 end) as bigint) as open_48_72h,
        cast(sum(case when age_bucket = '72h+' then open_tickets else 0 end) as bigint) as open_72h_plus,
        cast(sum(open_tickets) as bigint) as open_total
    from backlog_snapshots
    group by snapshot_date, team_id
)

select * from final
