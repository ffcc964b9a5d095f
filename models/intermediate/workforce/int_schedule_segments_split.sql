{#-
    What agents were planned to do, as per-day pieces: every valid schedule
    segment (time_off included; consumers pick the activities they need)
    within the reporting window, cut at as_of_end and split at midnight UTC,
    each piece on its own day and attributed to the agent's team on that day
    (`unassigned` when the agent holds no role then or is unknown to HR).
    Parts of a segment before window_start are dropped.

    Set-based and linear in the number of segments: a segment within one
    day (most of them) is its own piece; a longer one is joined with the day
    offsets 0, 1, … of the reporting days, only as many as the longest
    segment spans (a handful), on a single inequality. A range join of
    segments with all the window's days would compare every segment with
    every day (measured: 155 s against 3 s for 10 M intervals over two
    years).
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

-- The reported part of each segment: from window_start 00:00 (earlier time
-- is not reported) to as_of_end (later time is not known yet).
segments_in_window as (
    select
        schedules.agent_id,
        schedules.activity,
        schedules.segment_start_at,
        schedules.segment_end_at,
        greatest(
            schedules.segment_start_at,
            cast(reporting_dates.window_start as {{ dbt.type_timestamp() }})
        ) as reported_start_at,
        least(schedules.segment_end_at, reporting_dates.as_of_end) as reported_end_at
    from schedules
    cross join reporting_dates
    where
        schedules.segment_start_at < reporting_dates.as_of_end
        and schedules.segment_end_at > cast(reporting_dates.window_start as {{ dbt.type_timestamp() }})
),

-- First and last UTC day the reported part touches: a part ending exactly
-- at midnight does not touch the next day.
segments_dated as (
    select
        *,
        cast(reported_start_at as date) as first_date,
        case
            when reported_end_at > cast(cast(reported_end_at as date) as {{ dbt.type_timestamp() }})
                then cast(reported_end_at as date)
            else cast({{ dbt.dateadd('day', -1, 'cast(reported_end_at as date)') }} as date)
        end as last_date
    from segments_in_window
),

segments_spanned as (
    select
        *,
        {{ dbt.datediff('first_date', 'last_date', 'day') }}
            as span_days
    from segments_dated
),

longest_span as (
    select max(span_days) as max_span_days
    from segments_spanned
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

-- One row per day the segment touches. Most lie within one day and need
-- no join; the others take one day offset per day they span.
segment_days as (
    select
        agent_id,
        activity,
        segment_start_at,
        segment_end_at,
        reported_start_at,
        reported_end_at,
        first_date as piece_date
    from segments_spanned
    where span_days = 0

    union all

    select
        segments_spanned.agent_id,
        segments_spanned.activity,
        segments_spanned.segment_start_at,
        segments_spanned.segment_end_at,
        segments_spanned.reported_start_at,
        segments_spanned.reported_end_at,
        cast(
            {{ dbt.dateadd('day', 'needed_day_offsets.day_offset', 'segments_spanned.first_date') }}
            as date
        ) as piece_date
    from segments_spanned
    inner join needed_day_offsets
        on segments_spanned.span_days >= needed_day_offsets.day_offset
    where segments_spanned.span_days > 0
),

-- The piece is the part of the segment within its day [00:00, next 00:00).
segment_pieces as (
    select
        agent_id,
        activity,
        segment_start_at,
        segment_end_at,
        piece_date,
        greatest(reported_start_at, cast(piece_date as {{ dbt.type_timestamp() }})) as piece_start_at,
        least(
            reported_end_at,
            {{ dbt.dateadd('day', 1, 'cast(piece_date as ' ~ dbt.type_timestamp() ~ ')') }}
        ) as piece_end_at
    from segment_days
),

-- The agent's team on the piece's day: the timeline row valid that day.
pieces_attributed as (
    select
        segment_pieces.agent_id,
        coalesce(team_timeline.team_id, 'unassigned') as team_id,
        segment_pieces.activity,
        segment_pieces.segment_start_at,
        segment_pieces.segment_end_at,
        segment_pieces.piece_date,
        segment_pieces.piece_start_at,
        segment_pieces.piece_end_at
    from segment_pieces
    left join team_timeline
        on
            segment_pieces.agent_id = team_timeline.agent_id
            and segment_pieces.piece_date >= team_timeline.valid_from
            and segment_pieces.piece_date < team_timeline.valid_until
),

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
        {{ seconds_between('piece_start_at', 'piece_end_at') }} as piece_seconds
    from pieces_attributed
)

select * from final
