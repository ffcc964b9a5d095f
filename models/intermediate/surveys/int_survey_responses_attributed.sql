{#-
    Survey responses stamped in the reporting window (up to as_of_end), with
    what their ticket decides for csat and ces: owner, owner team and
    contact driver. nps responses have no ticket and go to the director.
-#}

with

survey_responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

final as (
    select
        survey_responses.response_id,
        survey_responses.survey_type,
        survey_responses.score,
        survey_responses.responded_at,
        survey_responses.ticket_id,
        survey_responses.account_id,
        tickets.owner_agent_id,
        case
            when survey_responses.survey_type = 'nps' then 'unassigned'
            else coalesce(tickets.owner_team_id, 'unassigned')
        end as owner_team_id,
        tickets.driver,
        tickets.driver_category
    from survey_responses
    cross join reporting_dates
    left join tickets
        on survey_responses.ticket_id = tickets.ticket_id
    where
        survey_responses.responded_at <= reporting_dates.as_of_end
        and cast(survey_responses.responded_at as date) >= reporting_dates.window_start
)

select * from final
