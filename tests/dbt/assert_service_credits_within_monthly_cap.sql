{#-
    Per account and credit month, the capped credits never exceed the cap:
    sum(service_credit) <= monthly_cap (1e-6 slack) whenever a cap exists, and
    equals it when the month was capped. Also the month-level columns are
    consistent: one cap, one uncapped total equal to the sum of the uncapped
    credits, and is_capped the same on every row. Returns the failing
    account-months.
-#}

with

service_credits as (
    select * from {{ ref('int_service_credits_capped') }}
),

account_months as (
    select
        account_id,
        credit_month,
        sum(service_credit) as service_credit_total,
        sum(uncapped_credit) as uncapped_credit_total,
        min(account_month_uncapped_total) as min_uncapped_total,
        max(account_month_uncapped_total) as max_uncapped_total,
        min(monthly_cap) as min_monthly_cap,
        max(monthly_cap) as max_monthly_cap,
        count(monthly_cap) as rows_with_cap,
        count(*) as row_count,
        min(case when is_capped then 1 else 0 end) as min_is_capped,
        max(case when is_capped then 1 else 0 end) as max_is_capped
    from service_credits
    group by account_id, credit_month
)

select *
from account_months
where
    (max_monthly_cap is not null and service_credit_total > max_monthly_cap + 1e-6)
    or (max_is_capped = 1 and abs(service_credit_total - max_monthly_cap) > 1e-6)
    or abs(uncapped_credit_total - max_uncapped_total) > 1e-6
    or max_uncapped_total != min_uncapped_total
    or max_monthly_cap != min_monthly_cap
    or (rows_with_cap > 0 and rows_with_cap != row_count)
    or max_is_capped != min_is_capped
