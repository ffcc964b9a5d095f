with

source as (
    {{ raw_source_as_text(source('surveys', 'surveys')) }}
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
        {{ clean_text('response_id') }} as response_id,
        {{ clean_code('survey_type') }} as survey_type,
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ clean_text('account_id') }} as account_id,
        {{ try_parse_integer('score') }} as score,
        {{ clean_text('score') }} as score_text,
        {{ try_parse_timestamp_utc('responded_at') }} as responded_at,
        {{ clean_text('responded_at') }} as responded_at_text
    from source
),

validated as (
    select
        parsed.*,
        case
            {{ reject_malformed() }}
            {{ reject_missing('response_id') }}
            {{ reject_missing('survey_type') }}
            {{ reject_missing('score', 'score_text') }}
            {{ reject_invalid('score', 'a whole number') }}
            {{ reject_missing('responded_at', 'responded_at_text') }}
            {{ reject_invalid('responded_at', 'an ISO 8601 timestamp') }}
            {{ reject_not_accepted('surveys', 'survey_type') }}
            when parsed.survey_type in ('csat', 'ces') and parsed.ticket_id is null
                then 'missing_required: ticket_id is required for csat and ces responses'
            when parsed.survey_type = 'nps' and parsed.account_id is null
                then 'missing_required: account_id is required for nps responses'
            {%- for survey_type, low, high in [('csat', 1, 5), ('nps', 0, 10), ('ces', 1, 7)] %}
            {{ reject_out_of_range(
                'score',
                "parsed.survey_type = '" ~ survey_type ~ "' and score not between " ~ low ~ ' and ' ~ high,
                'between ' ~ low ~ ' and ' ~ high ~ ' for ' ~ survey_type,
            ) }}
            {%- endfor %}
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
        response_id,
        survey_type,
        ticket_id,
        account_id,
        score,
        responded_at
    from validated
)

select * from final
