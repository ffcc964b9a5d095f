{#-
    Time to competency, month by month (kpis.md): for every person hired on
    or after window_start, one row per complete calendar month (last day <=
    as_of_date) from the hire month on, with the person's and their team's
    QA and FCR figures that month and whether the month qualifies as the
    competency month.

    Team = the person's role period on the month's last day. The person's
    figures take all of their facts of the month, in any team; the team's
    pool every fact attributed to that team that month (QA evaluations by
    team on the evaluation date, solved tickets by owner team), the
    person's own included.
-#}

with

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

role_periods as (
    select * from {{ ref('int_agent_roles_spanned') }}
),

evaluations as (
    select * from {{ ref('int_qa_evaluations_attributed') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

calendar_months as (
    select distinct
        cast({{ dbt.date_trunc('month', 'calendar_date') }} as date) as month_start,
        cast({{ dbt.last_day('calendar_date', 'month') }} as date) as month_end
    from reporting_days
),

-- Only complete months can be competency months, so no other is considered.
complete_months as (
    select
        calendar_months.month_start,
        calendar_months.month_end
    from calendar_months
    cross join reporting_dates
    where calendar_months.month_end <= reporting_dates.as_of_date
),

new_hires as (
    select
        agents.agent_id,
        agents.hire_date
    from agents
    cross join reporting_dates
    where agents.hire_date >= reporting_dates.window_start
),

person_months as (
    select
        new_hires.agent_id,
        new_hires.hire_date,
        complete_months.month_start,
        complete_months.month_end
    from new_hires
    inner join complete_months
        on complete_months.month_start >= cast({{ dbt.date_trunc('month', 'new_hires.hire_date') }} as date)
),

monthly_evaluations as (
    select
        agent_id,
        team_id,
        cast({{ dbt.date_trunc('month', 'evaluation_date') }} as date) as month_start,
        score
    from evaluations
),

agent_qa as (
    select
        agent_id,
        month_start,
        count(*) as evaluation_count,
        {{ scorecard_exact_sum('score') }} as score_sum
    from monthly_evaluations
    group by agent_id, month_start
),

team_qa as (
    select
        team_id,
        month_start,
        count(*) as evaluation_count,
        {{ scorecard_exact_sum('score') }} as score_sum
    from monthly_evaluations
    group by team_id, month_start
),

solved_tickets as (
    select
        owner_agent_id,
        owner_team_id,
        cast({{ dbt.date_trunc('month', 'final_solved_at') }} as date) as month_start,
        case when is_fcr then 1 else 0 end as fcr_ticket
    from tickets
    where is_solved
),

agent_fcr as (
    select
        owner_agent_id as agent_id,
        month_start,
        count(*) as solved_count,
        sum(fcr_ticket) as fcr_count
    from solved_tickets
    where owner_agent_id is not null
    group by owner_agent_id, month_start
),

team_fcr as (
    select
        owner_team_id as team_id,
        month_start,
        count(*) as solved_count,
        sum(fcr_ticket) as fcr_count
    from solved_tickets
    group by owner_team_id, month_start
),

with_role as (
    select
        person_months.*,
        role_periods.role as month_end_role,
        role_periods.team_id,
        coalesce(role_periods.is_frontline and role_periods.team_id is not null, false) as is_frontline_with_team
    from person_months
    left join role_periods
        on
            person_months.agent_id = role_periods.agent_id
            and person_months.month_end >= role_periods.valid_from
            and person_months.month_end < role_periods.valid_until
),

with_figures as (
    select
        with_role.*,
        coalesce(agent_qa.evaluation_count, 0) as agent_evaluation_count,
        agent_qa.score_sum / agent_qa.evaluation_count as agent_qa_mean,
        coalesce(team_qa.evaluation_count, 0) as team_evaluation_count,
        team_qa.score_sum / team_qa.evaluation_count as team_qa_mean,
        coalesce(agent_fcr.solved_count, 0) as agent_solved_count,
        coalesce(agent_fcr.fcr_count, 0) as agent_fcr_count,
        coalesce(team_fcr.solved_count, 0) as team_solved_count,
        coalesce(team_fcr.fcr_count, 0) as team_fcr_count
    from with_role
    left join agent_qa
        on
            with_role.agent_id = agent_qa.agent_id
            and with_role.month_start = agent_qa.month_start
    left join team_qa
        on
            with_role.team_id = team_qa.team_id
            and with_role.month_start = team_qa.month_start
    left join agent_fcr
        on
            with_role.agent_id = agent_fcr.agent_id
            and with_role.month_start = agent_fcr.month_start
    left join team_fcr
        on
            with_role.team_id = team_fcr.team_id
            and with_role.month_start = team_fcr.month_start
),

flagged as (
    select
        with_figures.*,
        with_figures.agent_evaluation_count > 0 as has_qa_evaluation,
        with_figures.agent_solved_count > 0 as has_solved_ticket,
        -- Means of float scores are compared rounded to 9 decimals (as the
        -- scorecard's statuses are), so that a person who is the team's only
        -- evaluated agent is never below their own mean by a rounding error.
        coalesce(
            with_figures.agent_evaluation_count > 0
            and with_figures.team_evaluation_count > 0
            and {{ scorecard_round('with_figures.agent_qa_mean', 9) }}
            >= {{ scorecard_round('with_figures.team_qa_mean', 9) }},
            false
        ) as meets_team_qa_mean,
        -- FCR rates are ratios of counts: compared exactly by
        -- cross-multiplying (a/b >= c/d  <=>  a*d >= c*b for b, d > 0).
        (
            with_figures.agent_solved_count > 0
            and with_figures.team_solved_count > 0
            and with_figures.agent_fcr_count * with_figures.team_solved_count
            >= with_figures.team_fcr_count * with_figures.agent_solved_count
        ) as meets_team_fcr_rate
    from with_figures
),

final as (
    select
        agent_id,
        hire_date,
        month_start,
        month_end,
        month_end_role,
        team_id,
        is_frontline_with_team,
        agent_evaluation_count,
        agent_qa_mean,
        team_evaluation_count,
        team_qa_mean,
        agent_solved_count,
        agent_fcr_count,
        case
            when agent_solved_count > 0
                then cast(agent_fcr_count as {{ scorecard_type_double() }}) / agent_solved_count
        end as agent_fcr_rate,
        team_solved_count,
        team_fcr_count,
        case
            when team_solved_count > 0
                then cast(team_fcr_count as {{ scorecard_type_double() }}) / team_solved_count
        end as team_fcr_rate,
        has_qa_evaluation,
        has_solved_ticket,
        meets_team_qa_mean,
        meets_team_fcr_rate,
        (
            is_frontline_with_team
            and has_qa_evaluation
            and has_solved_ticket
            and meets_team_qa_mean
            and meets_team_fcr_rate
        ) as is_competency_month
    from flagged
)

select * from final
