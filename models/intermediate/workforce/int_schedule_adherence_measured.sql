{#-
    Schedule adherence per agent and day: the minutes scheduled for
    activities other than time_off, and of those the minutes in which the
    agent's actual state matched the scheduled activity (kpis.md):
    work ↔ available / on_contact / after_contact, break ↔ break,
    lunch ↔ lunch, training ↔ training, meeting ↔ meeting; offline, or no
    state at all, matches nothing.

    Segments and states are already split at midnight, so each segment piece
    is joined only with the state pieces of the same agent and day (an
    equality join plus the overlap condition), never with the agent's whole
    history. A person's segments never overlap each other, nor do their
    states (overlapping raw rows are rejected), so each scheduled minute is
    matched at most once and adherent minutes never exceed scheduled ones.
-#}

with

segments_split as (
    select * from {{ ref('int_schedule_segments_split') }}
),

states_split as (
    select * from {{ ref('int_agent_states_split') }}
),

-- time_off is planned absence, not a commitment to be somewhere.
scheduled_pieces as (
    select
        agent_id,
        team_id,
        activity,
        piece_date,
        piece_start_at,
        piece_end_at,
        piece_seconds
    from segments_split
    where activity <> 'time_off'
),

-- The activity each state fulfils, so that the join can match on plain
-- equality (an `or` in the join condition would force a nested-loop join).
state_activities as (
    select
        agent_id,
        piece_date,
        piece_start_at,
        piece_end_at,
        case
            when is_productive then 'work'
            when state in ('break', 'lunch', 'training', 'meeting') then state
        end as fulfilled_activity
    from states_split
),

fulfilling_states as (
    select *
    from state_activities
    where fulfilled_activity is not null
),

adherent_overlaps as (
    select
        scheduled_pieces.agent_id,
        scheduled_pieces.team_id,
        scheduled_pieces.piece_date,
        {{ seconds_between(
            'greatest(scheduled_pieces.piece_start_at, fulfilling_states.piece_start_at)',
            'least(scheduled_pieces.piece_end_at, fulfilling_states.piece_end_at)'
        ) }} as overlap_seconds
    from scheduled_pieces
    inner join fulfilling_states
        on
            scheduled_pieces.agent_id = fulfilling_states.agent_id
            and scheduled_pieces.piece_date = fulfilling_states.piece_date
            and scheduled_pieces.activity = fulfilling_states.fulfilled_activity
            and scheduled_pieces.piece_start_at < fulfilling_states.piece_end_at
            and scheduled_pieces.piece_end_at > fulfilling_states.piece_start_at
),

scheduled_per_day as (
    select
        agent_id,
        team_id,
        piece_date,
        {{ scorecard_exact_sum('piece_seconds') }} as scheduled_seconds
    from scheduled_pieces
    group by
        agent_id,
        team_id,
        piece_date
),

adherent_per_day as (
    select
        agent_id,
        team_id,
        piece_date,
        {{ scorecard_exact_sum('overlap_seconds') }} as adherent_seconds
    from adherent_overlaps
    group by
        agent_id,
        team_id,
        piece_date
),

final as (
    select
        scheduled_per_day.piece_date as schedule_date,
        scheduled_per_day.agent_id,
        scheduled_per_day.team_id,
        scheduled_per_day.scheduled_seconds / 60.0 as scheduled_minutes,
        coalesce(adherent_per_day.adherent_seconds, 0) / 60.0 as adherent_minutes
    from scheduled_per_day
    left join adherent_per_day
        on
            scheduled_per_day.agent_id = adherent_per_day.agent_id
            and scheduled_per_day.team_id = adherent_per_day.team_id
            and scheduled_per_day.piece_date = adherent_per_day.piece_date
)

select * from final
