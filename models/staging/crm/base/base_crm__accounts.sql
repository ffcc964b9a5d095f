with

source as (
    {{ raw_source_as_text(source('crm', 'accounts')) }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('account_id') }} as account_id,
        {{ clean_text('account_name') }} as account_name,
        {{ clean_code('segment') }} as segment,
        {{ clean_code('contract_tier') }} as contract_tier,
        {{ try_parse_number('arr') }} as arr,
        {{ clean_text('arr') }} as arr_text,
        upper({{ clean_text('currency') }}) as currency,
        {{ try_parse_date('contract_start') }} as contract_start,
        {{ clean_text('contract_start') }} as contract_start_text,
        {{ try_parse_date('contract_end') }} as contract_end,
        {{ clean_text('contract_end') }} as contract_end_text
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('account_id') }}
            {{ reject_missing('arr', 'arr_text') }}
            {{ reject_invalid('arr', 'a decimal number') }}
            {{ reject_missing('contract_start', 'contract_start_text') }}
            {{ reject_invalid('contract_start', 'a YYYY-MM-DD date') }}
            {{ reject_invalid('contract_end', 'a YYYY-MM-DD date') }}
            {{ reject_not_accepted('accounts', 'segment') }}
            {{ reject_not_accepted('accounts', 'contract_tier') }}
            {{ reject_out_of_range('arr', 'arr < 0', '>= 0') }}
            {{ reject_not_currency_code('currency') }}
            {{ reject_end_not_after_start('contract_start', 'contract_end', allow_equal=true) }}
        end as rejection_reason
    from parsed
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        rejection_reason,
        account_id,
        account_name,
        segment,
        contract_tier,
        arr,
        currency,
        contract_start,
        contract_end
    from validated
)

select * from final
