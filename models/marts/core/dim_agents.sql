with

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

team_timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

roles_as_of as (
    select
        team_timeline.agent_id,
        team_timeline.role,
        team_timeline.team_id
    from team_timeline
    cross join reporting_dates
    where
        team_timeline.valid_from <= reporting_dates.as_of_date
        and team_timeline.valid_until > reporting_dates.as_of_date
),

final as (
    select
        agents.agent_id,
        agents.full_name,
        agents.hire_date,
        agents.termination_date,
        agents.termination_reason,
        coalesce(agents.termination_date >= reporting_dates.as_of_date, true)
        and agents.hire_date <= reporting_dates.as_of_date as is_employed_as_of,
        roles_as_of.role as role_as_of,
        coalesce(roles_as_of.team_id, 'unassigned') as team_id_as_of
    from agents
    cross join reporting_dates
    left join roles_as_of
        on agents.agent_id = roles_as_of.agent_id
)

select * from final
