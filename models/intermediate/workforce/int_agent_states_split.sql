{#-
    What agents actually did, as per-day pieces: every valid agent state
    within the reporting window, cut at as_of_end and split at midnight UTC,
    each piece on its own day and attributed to the agent's team on that day
    (`unassigned` when the agent holds no role then or is unknown to HR).
    Parts of a state before window_start are dropped.

    The split is the macro split_at_midnight, shared with
    int_schedule_segments_split: set-based and linear in the number of
    states (a state within one day needs no join; a longer one joins a
    handful of day offsets on a single inequality, never all the window's
    days).
-#}

with

agent_states as (
    select * from {{ ref('stg_wfm__agent_states') }}
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

{{ split_at_midnight('agent_states', 'state_start_at', 'state_end_at', ['state']) }},

final as (
    select
        agent_id,
        team_id,
        state,
        -- Productive agent time (kpis.md): the states in which the agent
        -- is open for, handling or wrapping up contacts.
        state in ('available', 'on_contact', 'after_contact') as is_productive,
        state_start_at,
        state_end_at,
        piece_date,
        piece_start_at,
        piece_end_at,
        piece_seconds
    from pieces_attributed
)

select * from final
