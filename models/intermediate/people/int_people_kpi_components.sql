{#-
    The additive daily facts of the people KPIs, one row per fact, in the
    cascade's component shape (kpi_id, fact_date, agent_id, team_id,
    numerator, denominator):

    * qa_score: each evaluation in the window, score / 1, to the evaluated
      agent and their team on the evaluation date.
    * attrition_rate, numerator only: each frontline leaver (1) on their
      termination_date, to the team of their last role period started on or
      before it. The denominator, headcount days, is per period
      (int_people_kpi_period_components).
    * time_to_competency_days: each person reaching competency, days from
      hire to competency / 1, on the competency date, to the team on it.
    * internal_promotion_rate: each fill, internal (1 or 0) / 1, on the
      role's valid_from, to the role's team.

    Facts dated outside [window_start, as_of_date] are not reported.
-#}

with

evaluations as (
    select * from {{ ref('int_qa_evaluations_attributed') }}
),

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

role_periods as (
    select * from {{ ref('int_agent_roles_spanned') }}
),

competency_reached as (
    select * from {{ ref('int_agents_competency_reached') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

qa_facts as (
    select
        'qa_score' as kpi_id,
        evaluation_date as fact_date,
        agent_id,
        team_id,
        cast(score as {{ scorecard_type_double() }}) as numerator,
        cast(1 as {{ scorecard_type_double() }}) as denominator
    from evaluations
),

-- The last role period that started on or before the termination date
-- decides, even when it ended earlier (kpis.md: "last agent_roles row that
-- started on or before that date").
terminations as (
    select
        agents.agent_id,
        agents.termination_date,
        role_periods.team_id,
        role_periods.is_frontline,
        row_number() over (
            partition by agents.agent_id
            order by role_periods.valid_from desc
        ) as role_recency
    from agents
    inner join role_periods
        on
            agents.agent_id = role_periods.agent_id
            and agents.termination_date >= role_periods.valid_from
    where agents.termination_date is not null
),

leaver_facts as (
    select
        'attrition_rate' as kpi_id,
        termination_date as fact_date,
        agent_id,
        coalesce(team_id, 'unassigned') as team_id,
        cast(1 as {{ scorecard_type_double() }}) as numerator,
        cast(null as {{ scorecard_type_double() }}) as denominator
    from terminations
    where role_recency = 1 and is_frontline
),

competency_facts as (
    select
        'time_to_competency_days' as kpi_id,
        competency_date as fact_date,
        agent_id,
        coalesce(team_id, 'unassigned') as team_id,
        cast(days_to_competency as {{ scorecard_type_double() }}) as numerator,
        cast(1 as {{ scorecard_type_double() }}) as denominator
    from competency_reached
),

-- The previous role period of the same person, whenever it ended: a
-- rehire after a gap still has one, so its fill counts as internal.
sequenced_roles as (
    select
        agent_id,
        role,
        team_id,
        valid_from,
        lag(role) over (partition by agent_id order by valid_from) as previous_role
    from role_periods
),

fill_facts as (
    select
        'internal_promotion_rate' as kpi_id,
        valid_from as fact_date,
        agent_id,
        -- A manager role has no team: the fill goes to team `unassigned`
        -- (the KPI is reported at director level only).
        coalesce(team_id, 'unassigned') as team_id,
        cast(case when previous_role is not null then 1 else 0 end as {{ scorecard_type_double() }}) as numerator,
        cast(1 as {{ scorecard_type_double() }}) as denominator
    from sequenced_roles
    where
        role in ('senior_agent', 'team_lead', 'manager')
        and (previous_role is null or previous_role <> role)
),

all_facts as (
    select * from qa_facts
    union all
    select * from leaver_facts
    union all
    select * from competency_facts
    union all
    select * from fill_facts
),

final as (
    select
        all_facts.kpi_id,
        all_facts.fact_date,
        all_facts.agent_id,
        all_facts.team_id,
        -- People facts concern no ticket or account: no contact profile.
        cast(null as {{ dbt.type_string() }}) as contact_profile_id,
        all_facts.numerator,
        all_facts.denominator
    from all_facts
    cross join reporting_dates
    where
        all_facts.fact_date >= reporting_dates.window_start
        and all_facts.fact_date <= reporting_dates.as_of_date
)

select * from final
