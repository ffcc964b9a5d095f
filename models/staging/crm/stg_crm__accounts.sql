with

valid_accounts as (
    {{ valid_rows('base_crm__accounts') }}
),

deduplicated as (
    {{ deduplicate('valid_accounts', 'account_id', '_row_number') }}
),

final as (
    select
        account_id,
        account_name,
        segment,
        coalesce(contract_tier, 'standard') as contract_tier,
        arr,
        coalesce(currency, '{{ var("reporting_currency") }}') as currency,
        contract_start,
        contract_end,
        _row_number as source_row_number
    from deduplicated
)

select * from final
