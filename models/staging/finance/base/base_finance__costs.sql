with

source as (
    {{ raw_source_as_text(source('finance', 'costs')) }}
),

teams as (
    select team_id from {{ ref('base_hr__teams') }}
    where rejection_reason is null
    group by team_id
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ try_parse_date('cost_month') }} as cost_date,
        {{ clean_text('cost_month') }} as cost_month_text,
        {{ clean_text('team_id') }} as team_id,
        {{ clean_code('category') }} as category,
        {{ try_parse_number('amount') }} as amount,
        {{ clean_text('amount') }} as amount_text,
        upper({{ clean_text('currency') }}) as currency
    from source
),

normalised as (
    -- A cost dated inside its month belongs to that month.
    select
        *,
        cost_date as cost_month,
        cast({{ dbt.date_trunc('month', 'cost_date') }} as date) as cost_month_start
    from parsed
),

validated as (
    select
        normalised.*,
        case
            {{ reject_malformed() }}
            {{ reject_missing('cost_month', 'cost_month_text') }}
            {{ reject_invalid('cost_month', 'a YYYY-MM-DD date') }}
            {{ reject_missing('category') }}
            {{ reject_missing('amount', 'amount_text') }}
            {{ reject_invalid('amount', 'a decimal number') }}
            {{ reject_missing('currency', 'normalised.currency') }}
            {{ reject_not_accepted('costs', 'category') }}
            {{ reject_not_currency_code('currency', 'normalised.currency') }}
            {{ reject_unknown_team('normalised.team_id', 'teams.team_id') }}
            {{ reject_value(
                'no_fx_rate', 'currency',
                "normalised.currency != '" ~ var('reporting_currency') ~ "' and fx_rates.currency is null",
                'has no rate in the fx_rates seed for the cost month', 'normalised.currency',
            ) }}
        end as rejection_reason
    from normalised
    left join teams
        on normalised.team_id = teams.team_id
    left join fx_rates
        on
            normalised.currency = fx_rates.currency
            and normalised.cost_month_start = fx_rates.month
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        rejection_reason,
        cost_month_start as cost_month,
        team_id,
        category,
        amount,
        currency
    from validated
)

select * from final
