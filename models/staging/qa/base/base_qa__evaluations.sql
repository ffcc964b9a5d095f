with

source as (
    {{ raw_source_as_text(source('qa', 'qa_evaluations')) }}
),

valid_tickets as (
    select ticket_id from {{ ref('base_ticketing__tickets') }}
    where rejection_reason is null
    group by ticket_id
),

parsed as (
    select
        _row_number,
        _raw_row as raw_row,
        _read_error,
        {{ clean_text('evaluation_id') }} as evaluation_id,
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ try_parse_timestamp_utc('evaluated_at') }} as evaluated_at,
        {{ clean_text('evaluated_at') }} as evaluated_at_text,
        {{ try_parse_number('score') }} as score,
        {{ clean_text('score') }} as score_text,
        {{ clean_text('evaluator_id') }} as evaluator_id
    from source
),

validated as (
    select
        parsed.*,
        case
            {{ reject_malformed() }}
            {{ reject_missing('evaluation_id') }}
            {{ reject_missing('agent_id') }}
            {{ reject_missing('evaluated_at', 'evaluated_at_text') }}
            {{ reject_invalid('evaluated_at', 'an ISO 8601 timestamp') }}
            {{ reject_missing('score', 'score_text') }}
            {{ reject_invalid('score', 'a decimal number') }}
            {{ reject_out_of_range('score', 'score not between 0 and 100', 'between 0 and 100') }}
            {{ reject_unknown_ticket('parsed.ticket_id', 'valid_tickets.ticket_id') }}
        end as rejection_reason
    from parsed
    left join valid_tickets
        on parsed.ticket_id = valid_tickets.ticket_id
),

final as (
    select
        _row_number,
        case when rejection_reason is not null then raw_row end as raw_row,
        rejection_reason,
        evaluation_id,
        agent_id,
        ticket_id,
        evaluated_at,
        score,
        evaluator_id
    from validated
)

select * from final
