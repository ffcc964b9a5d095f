{#-
    The QA evaluations the scorecard reports, one row per evaluation: those
    stamped in [window_start, as_of_end], each with the evaluated agent's
    team on the evaluation's UTC date (kpis.md: QA evaluations go to the
    evaluated agent and their team on the evaluation date). Both qa_score
    and the team QA means of time to competency read this one attribution.
-#}

with

evaluations as (
    select * from {{ ref('stg_qa__evaluations') }}
),

team_timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

in_window as (
    select
        evaluations.evaluation_id,
        evaluations.agent_id,
        evaluations.evaluated_at,
        cast(evaluations.evaluated_at as date) as evaluation_date,
        evaluations.score
    from evaluations
    cross join reporting_dates
    where
        evaluations.evaluated_at <= reporting_dates.as_of_end
        and cast(evaluations.evaluated_at as date) >= reporting_dates.window_start
),

final as (
    select
        in_window.evaluation_id,
        in_window.agent_id,
        -- A person with no role period covering the date (or none at all)
        -- has no timeline row: the fact goes to team `unassigned`.
        coalesce(team_timeline.team_id, 'unassigned') as team_id,
        in_window.evaluated_at,
        in_window.evaluation_date,
        in_window.score
    from in_window
    left join team_timeline
        on
            in_window.agent_id = team_timeline.agent_id
            and in_window.evaluation_date >= team_timeline.valid_from
            and in_window.evaluation_date < team_timeline.valid_until
)

select * from final
