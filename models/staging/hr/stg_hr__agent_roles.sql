with

valid_agent_roles as (
    {{ valid_rows('base_hr__agent_roles') }}
),

final as (
    select
        agent_id,
        role,
        team_id,
        valid_from,
        valid_to,
        _row_number as source_row_number
    from valid_agent_roles
)

select * from final
