{#-
    The per-period component of the people KPIs: the attrition_rate
    denominator, frontline headcount days. For each period of the grains the
    catalog lists for attrition_rate, clipped to [window_start, as_of_date],
    the number of days on which a person is both employed (hire_date to
    termination_date inclusive) and frontline (role agent or senior_agent),
    per person and per team of the role period. Computed as the overlap of
    each frontline spell (employment and frontline role period:
    int_frontline_spells_bounded) with the period, never one row per person
    per day. The numerator (leavers) is a daily fact of
    int_people_kpi_components.

    All intervals are half-open date intervals [from, until): the length of
    an overlap is until - from days.
-#}

with

frontline_spells as (
    select * from {{ ref('int_frontline_spells_bounded') }}
),

reporting_days as (
    select * from {{ ref('int_reporting_days') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

kpi_catalog as (
    select * from {{ ref('kpi_catalog') }}
),

candidate_periods as (
    {%- for grain in ['day', 'week', 'month', 'quarter'] %}
    select distinct
        '{{ grain }}' as period_grain,
        cast({{ dbt.date_trunc(grain, 'calendar_date') }} as date) as period_start
    from reporting_days
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

-- Only the grains the catalog lists: the cascade would drop the others.
attrition_periods as (
    select
        candidate_periods.period_grain,
        candidate_periods.period_start,
        {{ scorecard_shift_period_start('candidate_periods.period_grain', 1, 'candidate_periods.period_start') }}
            as next_period_start
    from candidate_periods
    inner join kpi_catalog
        on {{ scorecard_list_contains('kpi_catalog.grains', 'candidate_periods.period_grain') }}
    where kpi_catalog.kpi_id = 'attrition_rate'
),

-- The reported part of each period: an incomplete period counts its days up
-- to as_of_date, a period that starts before window_start from window_start.
clipped_periods as (
    select
        attrition_periods.period_grain,
        attrition_periods.period_start,
        greatest(attrition_periods.period_start, reporting_dates.window_start) as counted_from,
        least(
            attrition_periods.next_period_start,
            cast({{ dbt.dateadd('day', 1, 'reporting_dates.as_of_date') }} as date)
        ) as counted_until
    from attrition_periods
    cross join reporting_dates
),

period_overlaps as (
    select
        clipped_periods.period_grain,
        clipped_periods.period_start,
        frontline_spells.agent_id,
        frontline_spells.team_id,
        greatest(frontline_spells.frontline_from, clipped_periods.counted_from) as overlap_from,
        least(frontline_spells.frontline_until, clipped_periods.counted_until) as overlap_until
    from frontline_spells
    inner join clipped_periods
        on
            frontline_spells.frontline_from < clipped_periods.counted_until
            and frontline_spells.frontline_until > clipped_periods.counted_from
),

final as (
    select
        'attrition_rate' as kpi_id,
        period_grain,
        period_start,
        agent_id,
        team_id,
        cast(null as {{ scorecard_type_double() }}) as numerator,
        cast(sum({{ dbt.datediff('overlap_from', 'overlap_until', 'day') }}) as {{ scorecard_type_double() }})
            as denominator
    from period_overlaps
    where overlap_from < overlap_until
    group by
        period_grain,
        period_start,
        agent_id,
        team_id
)

select * from final
