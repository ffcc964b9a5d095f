with

source as (
    {{ raw_source_as_text(source('hr', 'agents')) }}
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('full_name') }} as full_name,
        {{ try_parse_date('hire_date') }} as hire_date,
        {{ clean_text('hire_date') }} as hire_date_text,
        {{ try_parse_date('termination_date') }} as termination_date,
        {{ clean_text('termination_date') }} as termination_date_text,
        {{ clean_code('termination_reason') }} as termination_reason
    from source
),

validated as (
    select
        *,
        case
            {{ reject_malformed() }}
            {{ reject_missing('agent_id') }}
            {{ reject_missing('hire_date', 'hire_date_text') }}
            {{ reject_invalid('hire_date', 'a YYYY-MM-DD date') }}
            {{ reject_invalid('termination_date', 'a YYYY-MM-DD date') }}
            {{ reject_end_not_after_start('hire_date', 'termination_date', allow_equal=true) }}
        end as rejection_reason
    from parsed
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        rejection_reason,
        agent_id,
        full_name,
        hire_date,
        termination_date,
        termination_reason
    from validated
)

select * from final
