with

valid_agents as (
    {{ valid_rows('base_hr__agents') }}
),

deduplicated as (
    {{ deduplicate('valid_agents', 'agent_id', '_row_number') }}
),

final as (
    select
        agent_id,
        full_name,
        hire_date,
        termination_date,
        termination_reason,
        _row_number as source_row_number
    from deduplicated
)

select * from final
