with

valid_agent_states as (
    {{ valid_rows('base_wfm__agent_states') }}
),

final as (
    select
        agent_id,
        state_start as state_start_at,
        state_end as state_end_at,
        state,
        _row_number as source_row_number
    from valid_agent_states
)

select * from final
