{#-
    Generic test: the cascade adds up. Every row of level team, manager or
    director has the numerator and denominator of the sum of its children
    (the rows one level down whose parent_entity_id is its entity_id, same
    KPI, grain and period), within 1e-9 relative, and every child row has
    its parent row. Skipped: KPIs whose catalog `levels` lack the child
    level (or the parent level, for the orphan check), and team `unassigned`
    against its agents, since its facts may have no person. Returns the
    failing parents with both sides.
-#}
{% test kpi_parent_equals_sum_of_children(model, catalog) %}

with

kpi_rows as (
    select * from {{ model }}
),

catalog as (
    select * from {{ catalog }}
),

level_steps as (
    select
        'agent' as child_level,
        'team' as parent_level
    union all
    select
        'team' as child_level,
        'manager' as parent_level
    union all
    select
        'manager' as child_level,
        'director' as parent_level
),

-- The parent/child level pairs each KPI is reported at on both sides.
kpi_steps as (
    select
        catalog.kpi_id,
        level_steps.child_level,
        level_steps.parent_level
    from catalog
    inner join level_steps
        on
            {{ scorecard_list_contains('catalog.levels', 'level_steps.child_level') }}
            and {{ scorecard_list_contains('catalog.levels', 'level_steps.parent_level') }}
),

child_sums as (
    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.level as child_level,
        kpi_steps.parent_level,
        kpi_rows.parent_entity_id as parent_entity_id,
        sum(kpi_rows.numerator) as children_numerator,
        sum(kpi_rows.denominator) as children_denominator,
        count(*) as child_rows
    from kpi_rows
    inner join kpi_steps
        on
            kpi_rows.kpi_id = kpi_steps.kpi_id
            and kpi_rows.level = kpi_steps.child_level
    group by
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_rows.level,
        kpi_steps.parent_level,
        kpi_rows.parent_entity_id
),

parents as (
    select
        kpi_rows.kpi_id,
        kpi_rows.period_grain,
        kpi_rows.period_start,
        kpi_steps.child_level,
        kpi_rows.level as parent_level,
        kpi_rows.entity_id as parent_entity_id,
        kpi_rows.numerator as parent_numerator,
        kpi_rows.denominator as parent_denominator
    from kpi_rows
    inner join kpi_steps
        on
            kpi_rows.kpi_id = kpi_steps.kpi_id
            and kpi_rows.level = kpi_steps.parent_level
),

compared as (
    select
        coalesce(parents.kpi_id, child_sums.kpi_id) as kpi_id,
        coalesce(parents.period_grain, child_sums.period_grain) as period_grain,
        coalesce(parents.period_start, child_sums.period_start) as period_start,
        coalesce(parents.parent_level, child_sums.parent_level) as parent_level,
        coalesce(parents.parent_entity_id, child_sums.parent_entity_id) as parent_entity_id,
        coalesce(parents.child_level, child_sums.child_level) as child_level,
        parents.parent_numerator,
        child_sums.children_numerator,
        parents.parent_denominator,
        child_sums.children_denominator,
        child_sums.child_rows,
        parents.kpi_id is not null as has_parent_row
    from parents
    full outer join child_sums
        on
            parents.kpi_id = child_sums.kpi_id
            and parents.period_grain = child_sums.period_grain
            and parents.period_start = child_sums.period_start
            and parents.parent_level = child_sums.parent_level
            and parents.parent_entity_id = child_sums.parent_entity_id
),

checked as (
    select
        *,
        case
            when not has_parent_row then 'child rows without a parent row'
            when child_rows is null then 'parent row without child rows'
            when not coalesce(
                abs(parent_numerator - children_numerator)
                <= 1e-9 * greatest(abs(parent_numerator), abs(children_numerator)),
                parent_numerator is null and children_numerator is null
            ) then 'numerator differs from the sum of the children'
            when not coalesce(
                abs(parent_denominator - children_denominator)
                <= 1e-9 * greatest(abs(parent_denominator), abs(children_denominator)),
                parent_denominator is null and children_denominator is null
            ) then 'denominator differs from the sum of the children'
        end as failure_reason
    from compared
    -- Team `unassigned` holds facts with no person: it may exceed its agents.
    where not (parent_level = 'team' and parent_entity_id = 'unassigned')
)

select * from checked
where failure_reason is not null

{% endtest %}
