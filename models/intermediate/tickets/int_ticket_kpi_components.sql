{#-
    The additive facts behind every KPI, one row per fact: its KPI, the UTC
    date of the timestamp that places it in a period, the person and team it
    is attributed to, and what it adds to the KPI's numerator and
    denominator. The cascade sums these upward through grains and levels.

    Ticket facts go to the ticket's owner and owner team; csat/ces responses
    to their ticket's; nps responses to the director only (team
    `unassigned`, no person, so they reach no lower level). Facts outside
    [window_start, as_of_date] are not reported. Each fact keeps the contact
    profile of its ticket (nps: of its account), which the cascade ignores
    and the semantic layer slices by.
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

survey_responses as (
    select * from {{ ref('int_survey_responses_attributed') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

sla_kpis as (
    -- sla_attainment takes every severity, sla_attainment_sevN one.
    select
        'sla_attainment' as kpi_id,
        cast(null as integer) as severity
    {%- for severity in [1, 2, 3, 4] %}
    union all
    select
        'sla_attainment_sev{{ severity }}' as kpi_id,
        {{ severity }} as severity
    {%- endfor %}
),

ticket_facts as (
    select
        'ticket_volume' as kpi_id,
        created_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        1.0 as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from tickets

    union all

    select
        'first_response_minutes' as kpi_id,
        first_reply_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        {{ seconds_between('created_at', 'first_reply_at') }} / 60.0 as numerator,
        1.0 as denominator
    from tickets
    where first_reply_at is not null

    union all

    select
        'resolution_hours' as kpi_id,
        final_solved_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        {{ seconds_between('created_at', 'final_solved_at') }} / 3600.0 as numerator,
        1.0 as denominator
    from tickets
    where is_solved

    union all

    select
        sla_kpis.kpi_id,
        tickets.sla_outcome_at as fact_at,
        tickets.owner_agent_id as agent_id,
        tickets.owner_team_id as team_id,
        tickets.contact_profile_id,
        case when tickets.sla_outcome = 'met' then 1.0 else 0.0 end as numerator,
        1.0 as denominator
    from tickets
    inner join sla_kpis
        on tickets.severity = coalesce(sla_kpis.severity, tickets.severity)
    where tickets.sla_outcome in ('met', 'breached')

    union all

    select
        'fcr_rate' as kpi_id,
        final_solved_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        case when is_fcr then 1.0 else 0.0 end as numerator,
        1.0 as denominator
    from tickets
    where is_solved

    union all

    select
        'aht_minutes' as kpi_id,
        final_solved_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        -- A double before dividing: Spark divides an integer by 60.0 in 6-decimal arithmetic.
        cast(handle_seconds as {{ scorecard_type_double() }}) / 60.0 as numerator,
        1.0 as denominator
    from tickets
    where is_solved

    union all

    select
        'escalation_rate' as kpi_id,
        final_solved_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        case when is_escalated then 1.0 else 0.0 end as numerator,
        1.0 as denominator
    from tickets
    where is_solved
),

survey_facts as (
    select
        'csat' as kpi_id,
        responded_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        cast(score as {{ scorecard_type_double() }}) as numerator,
        1.0 as denominator
    from survey_responses
    where survey_type = 'csat'

    union all

    select
        'dsat_rate' as kpi_id,
        responded_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        case when score <= 2 then 1.0 else 0.0 end as numerator,
        1.0 as denominator
    from survey_responses
    where survey_type = 'csat'

    union all

    select
        'ces' as kpi_id,
        responded_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        cast(score as {{ scorecard_type_double() }}) as numerator,
        1.0 as denominator
    from survey_responses
    where survey_type = 'ces'

    union all

    select
        'nps' as kpi_id,
        responded_at as fact_at,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        case when score >= 9 then 1.0 when score <= 6 then -1.0 else 0.0 end as numerator,
        1.0 as denominator
    from survey_responses
    where survey_type = 'nps'
),

all_facts as (
    select * from ticket_facts
    union all
    select * from survey_facts
),

final as (
    select
        all_facts.kpi_id,
        cast(all_facts.fact_at as date) as fact_date,
        all_facts.agent_id,
        all_facts.team_id,
        all_facts.contact_profile_id,
        all_facts.numerator,
        all_facts.denominator
    from all_facts
    cross join reporting_dates
    where
        all_facts.fact_at <= reporting_dates.as_of_end
        and cast(all_facts.fact_at as date) >= reporting_dates.window_start
)

select * from final
