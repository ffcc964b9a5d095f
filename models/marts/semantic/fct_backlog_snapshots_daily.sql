{#-
    The semantic layer's backlog fact: open tickets at each day's snapshot
    per holding agent, team, contact profile and age bucket, as the
    scorecard's backlog KPIs read them. A point-in-time count: it adds up
    over agents, teams and profiles but not over days (a period's backlog is
    its last snapshot), which the semantic model declares with a
    non-additive dimension.
-#}

with

backlog_snapshots as (
    select * from {{ ref('int_backlog_snapshots_daily') }}
),

final as (
    select
        cast(snapshot_date as date) as snapshot_date,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(team_id as {{ dbt.type_string() }}) as team_id,
        cast(contact_profile_id as {{ dbt.type_string() }}) as contact_profile_id,
        cast(age_bucket as {{ dbt.type_string() }}) as age_bucket,
        cast(age_bucket in ('48-72h', '72h+') as {{ dbt.type_boolean() }}) as is_aged_48h_or_more,
        cast(open_tickets as bigint) as open_tickets
    from backlog_snapshots
)

select * from final
