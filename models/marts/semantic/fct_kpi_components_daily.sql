{#-
    The semantic layer's additive KPI fact: every daily component of the
    scorecard, summed per (kpi_id, fact_date, agent_id, team_id,
    contact_profile_id). Summing numerator and denominator over a period and
    an org unit gives the cascade's numerator and denominator for every KPI
    but the backlog (snapshots: fct_backlog_snapshots_daily) and the
    cost_per_customer denominator (a distinct count of accounts:
    fct_account_contract_months).

    The cascade's per-period attrition_rate denominator (headcount days) is
    additive over days, so it enters here day by day from
    int_frontline_headcount_daily. Sides are coalesced as the cascade does:
    a component row always carries a numerator (0 when nothing fed it) and,
    except for totals, a denominator.
-#}

with

kpi_components as (
    select * from {{ ref('int_kpi_components') }}
),

frontline_headcount as (
    select * from {{ ref('int_frontline_headcount_daily') }}
),

all_components as (
    select
        kpi_id,
        fact_date,
        agent_id,
        coalesce(team_id, 'unassigned') as team_id,
        contact_profile_id,
        numerator,
        denominator
    from kpi_components
    union all
    select
        'attrition_rate' as kpi_id,
        calendar_date as fact_date,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as contact_profile_id,
        cast(null as {{ scorecard_type_double() }}) as numerator,
        cast(frontline_headcount as {{ scorecard_type_double() }}) as denominator
    from frontline_headcount
),

summed as (
    select
        kpi_id,
        fact_date,
        agent_id,
        team_id,
        contact_profile_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from all_components
    group by
        kpi_id,
        fact_date,
        agent_id,
        team_id,
        contact_profile_id
),

final as (
    select
        cast(kpi_id as {{ dbt.type_string() }}) as kpi_id,
        cast(fact_date as date) as fact_date,
        cast({{ dbt.date_trunc('month', 'fact_date') }} as date) as fact_month,
        cast(agent_id as {{ dbt.type_string() }}) as agent_id,
        cast(team_id as {{ dbt.type_string() }}) as team_id,
        cast(contact_profile_id as {{ dbt.type_string() }}) as contact_profile_id,
        cast(coalesce(numerator, 0) as {{ scorecard_type_double() }}) as numerator,
        -- Totals have no denominator; cost_per_customer's is not additive.
        cast(
            case
                when kpi_id in {{ scorecard_sql_list(scorecard_total_kpi_ids() + ['cost_per_customer']) }}
                    then null
                else coalesce(denominator, 0)
            end as {{ scorecard_type_double() }}
        ) as denominator
    from summed
)

select * from final
