{#-
    Daily additive components of the financial KPIs fed by costs and service
    credits:

    * cost_per_ticket: numerator = each team's allocated cost of a cost month
      (int_costs_allocated), dated on the month's first day, no person;
      denominator = 1 per ticket created, on its created date, to its owner
      and owner team (the same tickets and teams that allocate shared cost).
      The catalog has no agent level for this KPI, so the owner only keeps
      the rows in the engine's usual shape.
    * cost_per_customer: numerator = every cost line of the month (direct and
      shared), as allocated to teams, dated on the month's first day; its
      denominator (accounts) comes per period from
      int_cost_kpi_period_components. Director level only.
    * service_credit_exposure: the capped service credit of every breached
      ticket of a known account (credit 0 included), on the date of its
      sla_outcome_at, to the ticket's owner and owner team; a total (null
      denominator).

    Ticket facts keep their ticket's contact profile (for the semantic
    layer); cost lines have none. Facts outside [window_start, as_of_date]
    are not reported.
-#}

with

costs_allocated as (
    select * from {{ ref('int_costs_allocated') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

service_credits as (
    select * from {{ ref('int_service_credits_capped') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

cost_facts as (
    select
        'cost_per_ticket' as kpi_id,
        cast(cost_month as {{ dbt.type_timestamp() }}) as fact_at,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as contact_profile_id,
        allocated_cost as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from costs_allocated

    union all

    select
        'cost_per_ticket' as kpi_id,
        created_at as fact_at,
        owner_agent_id as agent_id,
        owner_team_id as team_id,
        contact_profile_id,
        cast(null as {{ scorecard_type_double() }}) as numerator,
        1.0 as denominator
    from tickets

    union all

    select
        'cost_per_customer' as kpi_id,
        cast(cost_month as {{ dbt.type_timestamp() }}) as fact_at,
        cast(null as {{ dbt.type_string() }}) as agent_id,
        team_id,
        cast(null as {{ dbt.type_string() }}) as contact_profile_id,
        allocated_cost as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from costs_allocated
),

credit_facts as (
    select
        'service_credit_exposure' as kpi_id,
        tickets.sla_outcome_at as fact_at,
        tickets.owner_agent_id as agent_id,
        tickets.owner_team_id as team_id,
        tickets.contact_profile_id,
        service_credits.service_credit as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from service_credits
    inner join tickets
        on service_credits.ticket_id = tickets.ticket_id
),

all_facts as (
    select * from cost_facts
    union all
    select * from credit_facts
),

final as (
    select
        all_facts.kpi_id,
        cast(all_facts.fact_at as date) as fact_date,
        all_facts.agent_id,
        all_facts.team_id,
        all_facts.contact_profile_id,
        cast(all_facts.numerator as {{ scorecard_type_double() }}) as numerator,
        cast(all_facts.denominator as {{ scorecard_type_double() }}) as denominator
    from all_facts
    cross join reporting_dates
    where
        all_facts.fact_at <= reporting_dates.as_of_end
        and cast(all_facts.fact_at as date) >= reporting_dates.window_start
)

select * from final
