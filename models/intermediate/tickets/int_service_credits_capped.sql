{#-
    Service credits of breached tickets of known accounts, in the reporting
    currency. Per account and calendar month of outcome_at the credits are
    capped at monthly_credit_cap_pct × arr / 12 (arr converted at that
    month's rate); when the uncapped sum U exceeds the cap C, every credit of
    that account-month is scaled by C / U. A null cap, or no rate for the
    account's currency that month, means no cap. A breached ticket whose
    policy credits nothing is still a fact (credit 0).
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

sla_policies as (
    select * from {{ ref('sla_policies') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

breaches as (
    select
        tickets.ticket_id,
        tickets.account_id,
        tickets.sla_outcome_at,
        cast({{ dbt.date_trunc('month', 'tickets.sla_outcome_at') }} as date) as credit_month,
        coalesce(sla_policies.credit_per_breach, 0) as uncapped_credit,
        sla_policies.monthly_credit_cap_pct
    from tickets
    left join sla_policies
        on
            tickets.contract_tier = sla_policies.contract_tier
            and tickets.severity = sla_policies.severity
    where tickets.sla_outcome = 'breached' and tickets.is_known_account
),

account_months as (
    select
        breaches.account_id,
        breaches.credit_month,
        {{ scorecard_exact_sum('breaches.uncapped_credit') }} as uncapped_total,
        -- One cap per tier: every policy row of a tier carries the same value.
        max(breaches.monthly_credit_cap_pct) as monthly_credit_cap_pct
    from breaches
    group by breaches.account_id, breaches.credit_month
),

caps as (
    select
        account_months.account_id,
        account_months.credit_month,
        account_months.uncapped_total,
        account_months.monthly_credit_cap_pct
        * accounts.arr
        * case
            when accounts.currency = '{{ var("reporting_currency") }}' then 1.0
            else fx_rates.rate_to_reporting
        end
        / 12.0 as monthly_cap
    from account_months
    inner join accounts
        on account_months.account_id = accounts.account_id
    left join fx_rates
        on
            accounts.currency = fx_rates.currency
            and account_months.credit_month = fx_rates.month
),

final as (
    select
        breaches.ticket_id,
        breaches.account_id,
        breaches.credit_month,
        breaches.uncapped_credit,
        caps.monthly_cap,
        caps.uncapped_total as account_month_uncapped_total,
        caps.monthly_cap is not null and caps.uncapped_total > caps.monthly_cap as is_capped,
        case
            when caps.monthly_cap is not null and caps.uncapped_total > caps.monthly_cap
                then breaches.uncapped_credit * caps.monthly_cap / caps.uncapped_total
            else breaches.uncapped_credit
        end as service_credit
    from breaches
    inner join caps
        on
            breaches.account_id = caps.account_id
            and breaches.credit_month = caps.credit_month
)

select * from final
