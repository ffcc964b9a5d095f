{#-
    int_agent_team_timeline covers each person's whole time line without gap
    or overlap: per agent, ordered by valid_from, the first interval starts on
    0001-01-01, each next one starts where the previous one ends, and the last
    one ends on 9999-12-31. Also every person with a role period has a
    timeline. Returns the offending intervals.
-#}

with

timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

role_periods as (
    select * from {{ ref('int_agent_roles_spanned') }}
),

ordered as (
    select
        agent_id,
        team_id,
        valid_from,
        valid_until,
        lag(valid_until) over (partition by agent_id order by valid_from) as previous_valid_until,
        lead(valid_from) over (partition by agent_id order by valid_from) as next_valid_from
    from timeline
),

broken_intervals as (
    select
        agent_id,
        valid_from,
        valid_until,
        case
            when previous_valid_until is null and valid_from != cast('0001-01-01' as date)
                then 'first interval does not start on 0001-01-01'
            when previous_valid_until is not null and valid_from > previous_valid_until
                then 'gap before this interval'
            when previous_valid_until is not null and valid_from < previous_valid_until
                then 'overlaps the previous interval'
            when next_valid_from is null and valid_until != cast('9999-12-31' as date)
                then 'last interval does not end on 9999-12-31'
        end as failure_reason
    from ordered
),

agents_without_timeline as (
    select distinct
        role_periods.agent_id,
        role_periods.valid_from,
        role_periods.valid_until,
        'role period without a timeline' as failure_reason
    from role_periods
    left join timeline
        on
            role_periods.agent_id = timeline.agent_id
            and role_periods.valid_from = timeline.valid_from
            and role_periods.valid_until = timeline.valid_until
    where timeline.agent_id is null
)

select * from broken_intervals
where failure_reason is not null
union all
select * from agents_without_timeline
