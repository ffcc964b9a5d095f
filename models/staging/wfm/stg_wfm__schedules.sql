with

valid_schedules as (
    {{ valid_rows('base_wfm__schedules') }}
),

final as (
    select
        agent_id,
        segment_start as segment_start_at,
        segment_end as segment_end_at,
        activity,
        _row_number as source_row_number
    from valid_schedules
)

select * from final
