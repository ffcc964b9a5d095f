{#-
    What agents were planned to do, as per-day pieces: every valid schedule
    segment (time_off included; consumers pick the activities they need)
    within the reporting window, cut at as_of_end and split at midnight UTC,
    each piece on its own day and attributed to the agent's team on that day
    (`unassigned` when the agent holds no role then or is unknown to HR).
    Parts of a segment before window_start are dropped.

    The split is the macro split_at_midnight, shared with
    int_agent_states_split: set-based and linear in the number of segments
    (a segment within one day needs no join; a longer one joins a handful of
    day offsets on a single inequality, never all the window's days).
-#}

with

schedules as (
    select * from {{ ref('stg_wfm__schedules') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

team_timeline as (
    select * from {{ ref('int_agent_team_timeline') }}
),

{{ split_at_midnight('schedules', 'segment_start_at', 'segment_end_at', ['activity']) }},

final as (
    select
        agent_id,
        team_id,
        activity,
        segment_start_at,
        segment_end_at,
        piece_date,
        piece_start_at,
        piece_end_at,
        piece_seconds
    from pieces_attributed
)

select * from final
