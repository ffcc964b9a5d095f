with

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

final as (
    select
        accounts.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.contract_tier,
        accounts.arr,
        accounts.currency,
        accounts.contract_start,
        accounts.contract_end,
        accounts.contract_start <= reporting_dates.as_of_date
        and coalesce(accounts.contract_end >= reporting_dates.as_of_date, true) as is_active_as_of
    from accounts
    cross join reporting_dates
)

select * from final
