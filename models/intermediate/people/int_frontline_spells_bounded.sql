{#-
    The spells in which a person is both employed (hire_date to
    termination_date inclusive) and in a frontline role (agent or
    senior_agent), per team of the role period: the overlap of employment
    and the role period. The people KPIs count their headcount days from
    these spells, per day (int_frontline_headcount_daily) and per period
    (int_people_kpi_period_components), so both apply the same rules.

    Half-open date intervals [frontline_from, frontline_until): the day
    after the termination date ends employment. A role period outside the
    employment leaves no spell.
-#}

with

agents as (
    select * from {{ ref('stg_hr__agents') }}
),

role_periods as (
    select * from {{ ref('int_agent_roles_spanned') }}
),

frontline_overlaps as (
    select
        agents.agent_id,
        coalesce(role_periods.team_id, 'unassigned') as team_id,
        greatest(agents.hire_date, role_periods.valid_from) as frontline_from,
        least(
            coalesce(
                cast({{ dbt.dateadd('day', 1, 'agents.termination_date') }} as date),
                cast('9999-12-31' as date)
            ),
            role_periods.valid_until
        ) as frontline_until
    from agents
    inner join role_periods
        on agents.agent_id = role_periods.agent_id
    where role_periods.is_frontline
),

final as (
    select
        agent_id,
        team_id,
        frontline_from,
        frontline_until
    from frontline_overlaps
    where frontline_until > frontline_from
)

select * from final
