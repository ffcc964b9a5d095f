with

valid_evaluations as (
    {{ valid_rows('base_qa__evaluations') }}
),

deduplicated as (
    {{ deduplicate('valid_evaluations', 'evaluation_id', '_row_number') }}
),

final as (
    select
        evaluation_id,
        agent_id,
        ticket_id,
        evaluated_at,
        score,
        evaluator_id,
        _row_number as source_row_number
    from deduplicated
)

select * from final
