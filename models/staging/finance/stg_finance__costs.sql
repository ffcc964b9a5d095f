with

valid_costs as (
    {{ valid_rows('base_finance__costs') }}
),

final as (
    select
        cost_month,
        team_id,
        category,
        amount,
        currency,
        _row_number as source_row_number
    from valid_costs
)

select * from final
