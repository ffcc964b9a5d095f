{#-
    The daily, additive components of the workforce KPIs, one row per
    (kpi_id, fact_date, agent_id, team_id):

    * schedule_adherence: adherent minutes / scheduled minutes (segments
      other than time_off) of the agent's day, attributed to the agent and
      their team on that day. A row exists when a scheduled non-time_off
      segment falls on the day.
    * headcount_efficiency: solved tickets / productive agent hours. Solved
      tickets count on the date of final_solved_at and go to the ticket's
      owner and owner team, exactly as the operational KPIs (a ticket
      without owner has no person and goes to its owner team, `unassigned`).
      Productive hours are the time in available, on_contact and
      after_contact per state piece day, agent and team. The side a fact
      does not feed is 0, not null (null marks totals). A day with only
      non-productive time (offline, say) and no solved ticket has no row.

    Facts outside [window_start, as_of_date] are not reported (the split
    models already keep only pieces on reporting days).
-#}

with

adherence_measured as (
    select * from {{ ref('int_schedule_adherence_measured') }}
),

states_split as (
    select * from {{ ref('int_agent_states_split') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

adherence_facts as (
    select
        'schedule_adherence' as kpi_id,
        schedule_date as fact_date,
        agent_id,
        team_id,
        cast(adherent_minutes as {{ scorecard_type_double() }}) as numerator,
        cast(scheduled_minutes as {{ scorecard_type_double() }}) as denominator
    from adherence_measured
),

solved_ticket_facts as (
    select
        'headcount_efficiency' as kpi_id,
        cast(tickets.final_solved_at as date) as fact_date,
        tickets.owner_agent_id as agent_id,
        tickets.owner_team_id as team_id,
        cast(1 as {{ scorecard_type_double() }}) as numerator,
        cast(0 as {{ scorecard_type_double() }}) as denominator
    from tickets
    cross join reporting_dates
    where
        tickets.is_solved
        and tickets.final_solved_at <= reporting_dates.as_of_end
        and cast(tickets.final_solved_at as date) >= reporting_dates.window_start
),

-- Only productive states: a piece of any other state adds nothing, so a
-- day of offline time alone leaves no row behind. Seconds are summed
-- before the division, for exact hours.
productive_seconds as (
    select
        piece_date,
        agent_id,
        team_id,
        {{ scorecard_exact_sum('piece_seconds') }} as productive_seconds
    from states_split
    where is_productive
    group by
        piece_date,
        agent_id,
        team_id
),

productive_time_facts as (
    select
        'headcount_efficiency' as kpi_id,
        piece_date as fact_date,
        agent_id,
        team_id,
        cast(0 as {{ scorecard_type_double() }}) as numerator,
        cast(productive_seconds / 3600.0 as {{ scorecard_type_double() }}) as denominator
    from productive_seconds
),

all_facts as (
    select * from adherence_facts
    union all
    select * from solved_ticket_facts
    union all
    select * from productive_time_facts
),

final as (
    select
        kpi_id,
        fact_date,
        agent_id,
        team_id,
        -- Productive hours belong to no ticket: no slicing by contact profile.
        cast(null as {{ dbt.type_string() }}) as contact_profile_id,
        {{ scorecard_exact_sum('numerator') }} as numerator,
        {{ scorecard_exact_sum('denominator') }} as denominator
    from all_facts
    group by
        kpi_id,
        fact_date,
        agent_id,
        team_id
)

select * from final
