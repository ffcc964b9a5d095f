{#-
    What agents actually did, as per-day pieces: every valid agent state
    within the reporting window, cut at as_of_end and split at midnight UTC,
    each piece on its own day and attributed to the agent's team on that day
    (`unassigned` when the agent holds no role then or is unknown to HR).
    Parts of a state before window_start are dropped.

    Set-based and linear in the number of states: a state within one day
    (most of them) is its own piece; a longer one is joined with the day
    offsets 0, 1, … of the reporting days, only as many as the longest state
    spans (a handful), on a single inequality. A range join of states with
    all the window's days would compare every state with every day
    (measured: 155 s against 3 s for 10 M states over two years).
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

-- The reported part of each state: from window_start 00:00 (earlier time
-- is not reported) to as_of_end (later time is not known yet).
states_in_window as (
    select
        agent_states.agent_id,
        agent_states.state,
        agent_states.state_start_at,
        agent_states.state_end_at,
        greatest(
            agent_states.state_start_at,
            cast(reporting_dates.window_start as {{ dbt.type_timestamp() }})
        ) as reported_start_at,
        least(agent_states.state_end_at, reporting_dates.as_of_end) as reported_end_at
    from agent_states
    cross join reporting_dates
    where
        agent_states.state_start_at < reporting_dates.as_of_end
        and agent_states.state_end_at > cast(reporting_dates.window_start as {{ dbt.type_timestamp() }})
),

-- First and last UTC day the reported part touches: a part ending exactly
-- at midnight does not touch the next day.
states_dated as (
    select
        *,
        cast(reported_start_at as date) as first_date,
        case
            when reported_end_at > cast(cast(reported_end_at as date) as {{ dbt.type_timestamp() }})
                then cast(reported_end_at as date)
            else cast({{ dbt.dateadd('day', -1, 'cast(reported_end_at as date)') }} as date)
        end as last_date
    from states_in_window
),

states_spanned as (
    select
        *,
        {{ dbt.datediff('first_date', 'last_date', 'day') }}
            as span_days
    from states_dated
),

longest_span as (
    select max(span_days) as max_span_days
    from states_spanned
),

-- Day offsets 0, 1, 2, … of the reporting window, up to the longest span.
window_days as (
    select
        reporting_days.calendar_date,
        reporting_dates.window_start
    from reporting_days
    cross join reporting_dates
),

day_offsets as (
    select
        {{ dbt.datediff('window_start', 'calendar_date', 'day') }}
            as day_offset
    from window_days
),

needed_day_offsets as (
    select day_offsets.day_offset
    from day_offsets
    cross join longest_span
    where day_offsets.day_offset <= longest_span.max_span_days
),

-- One row per day the state touches. Most lie within one day and need
-- no join; the others take one day offset per day they span.
state_days as (
    select
        agent_id,
        state,
        state_start_at,
        state_end_at,
        reported_start_at,
        reported_end_at,
        first_date as piece_date
    from states_spanned
    where span_days = 0

    union all

    select
        states_spanned.agent_id,
        states_spanned.state,
        states_spanned.state_start_at,
        states_spanned.state_end_at,
        states_spanned.reported_start_at,
        states_spanned.reported_end_at,
        cast(
            {{ dbt.dateadd('day', 'needed_day_offsets.day_offset', 'states_spanned.first_date') }}
            as date
        ) as piece_date
    from states_spanned
    inner join needed_day_offsets
        on states_spanned.span_days >= needed_day_offsets.day_offset
    where states_spanned.span_days > 0
),

-- The piece is the part of the state within its day [00:00, next 00:00).
state_pieces as (
    select
        agent_id,
        state,
        state_start_at,
        state_end_at,
        piece_date,
        greatest(reported_start_at, cast(piece_date as {{ dbt.type_timestamp() }})) as piece_start_at,
        least(
            reported_end_at,
            {{ dbt.dateadd('day', 1, 'cast(piece_date as ' ~ dbt.type_timestamp() ~ ')') }}
        ) as piece_end_at
    from state_days
),

-- The agent's team on the piece's day: the timeline row valid that day.
pieces_attributed as (
    select
        state_pieces.agent_id,
        coalesce(team_timeline.team_id, 'unassigned') as team_id,
        state_pieces.state,
        state_pieces.state_start_at,
        state_pieces.state_end_at,
        state_pieces.piece_date,
        state_pieces.piece_start_at,
        state_pieces.piece_end_at
    from state_pieces
    left join team_timeline
        on
            state_pieces.agent_id = team_timeline.agent_id
            and state_pieces.piece_date >= team_timeline.valid_from
            and state_pieces.piece_date < team_timeline.valid_until
),

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
        {{ seconds_between('piece_start_at', 'piece_end_at') }} as piece_seconds
    from pieces_attributed
)

select * from final
