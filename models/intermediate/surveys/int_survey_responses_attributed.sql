{#-
    Survey responses stamped in the reporting window (up to as_of_end), with
    what their ticket decides for csat and ces: owner, owner team and
    contact driver. nps responses have no ticket and go to the director.

    Each response also gets its contact profile (the key of the attributes
    the semantic layer slices by): a csat or ces response takes its
    ticket's; an nps response, a relationship survey about the account, and
    a response whose ticket is unknown take the profile of their account
    alone (contract tier and segment, no ticket attributes).
-#}

with

survey_responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
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
        tickets.driver_category,
        case
            when survey_responses.survey_type <> 'nps' and tickets.ticket_id is not null
                then tickets.contact_profile_id
            else {{ contact_profile_key(
                'null', 'null', 'null', 'null',
                "coalesce(accounts.contract_tier, 'standard')", "coalesce(accounts.segment, 'unknown')",
            ) }}
        end as contact_profile_id
    from survey_responses
    cross join reporting_dates
    left join tickets
        on survey_responses.ticket_id = tickets.ticket_id
    left join accounts
        on survey_responses.account_id = accounts.account_id
    where
        survey_responses.responded_at <= reporting_dates.as_of_end
        and cast(survey_responses.responded_at as date) >= reporting_dates.window_start
)

select * from final
