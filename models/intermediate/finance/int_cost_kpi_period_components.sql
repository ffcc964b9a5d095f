{#-
    The denominator of cost_per_customer, computed per period because a
    distinct count of accounts does not add up over days: for each month and
    quarter of the reporting window, the number of accounts whose contract
    (contract_start to contract_end, both inclusive; a null contract_end is
    still active) overlaps the WHOLE calendar period, even when the period
    ends after as_of_date (a contract starting later in the current month
    counts). No person, team `unassigned` (the KPI is director-only), no
    numerator (the cost comes from int_cost_kpi_components). A period no
    contract overlaps has no row.
-#}

with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

periods as (
    {%- for grain in ['month', 'quarter'] %}
    select distinct
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'calendar_date') }} as date) as period_start,
        cast({{ dbt.last_day('calendar_date', grain) }} as date) as period_end
    from reporting_days
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

period_accounts as (
    select
        periods.period_grain,
        periods.period_start,
        count(distinct accounts.account_id) as overlapping_accounts
    from periods
    inner join accounts
        on
            periods.period_end >= accounts.contract_start
            and (accounts.contract_end is null or periods.period_start <= accounts.contract_end)
    group by periods.period_grain, periods.period_start
),

final as (
    select
        'cost_per_customer' as kpi_id,
        period_grain,
        period_start,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        'unassigned' as team_id,
        cast(null as {{ scorecard_type_double() }}) as numerator,
        cast(overlapping_accounts as {{ scorecard_type_double() }}) as denominator
    from period_accounts
)

select * from final
