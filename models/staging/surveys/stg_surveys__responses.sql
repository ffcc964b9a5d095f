with

valid_responses as (
    {{ valid_rows('base_surveys__responses') }}
),

as_of as (
    select * from {{ ref('base_ticketing__as_of_date') }}
),

unique_responses as (
    {{ deduplicate('valid_responses', 'response_id', '_row_number') }}
),

-- One csat and one ces response counts per ticket: the latest at or before
-- as_of_end (ties: the last in file order). Later responses stay, unranked.
ranked as (
    select
        unique_responses.*,
        case
            when
                unique_responses.survey_type in ('csat', 'ces')
                and unique_responses.responded_at <= as_of.as_of_end
                then row_number() over (
                    partition by
                        unique_responses.ticket_id,
                        unique_responses.survey_type,
                        unique_responses.survey_type in ('csat', 'ces')
                        and unique_responses.responded_at <= as_of.as_of_end
                    order by unique_responses.responded_at desc, unique_responses._row_number desc
                )
        end as response_rank
    from unique_responses
    cross join as_of
),

final as (
    select
        response_id,
        survey_type,
        ticket_id,
        account_id,
        score,
        responded_at,
        _row_number as source_row_number
    from ranked
    where response_rank is null or response_rank = 1
)

select * from final
