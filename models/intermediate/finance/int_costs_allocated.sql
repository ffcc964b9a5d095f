{#-
    Cost per cost month and team in the reporting currency: the team's direct
    cost lines plus its share of the month's shared cost lines (null team).
    Shared costs are allocated in proportion to the tickets created that
    month per owner team (`unassigned` included), the same tickets and teams
    that make cost_per_ticket's denominator; in a month with no tickets
    created they all go to team `unassigned`.

    Rows: for every month with at least one cost line, each team with a
    direct cost line and each team that takes a share (a team with tickets
    created that month, or `unassigned` in a month without tickets), so the
    shares of a month sum to 1 and the month's allocated cost equals its
    direct plus shared cost.
-#}

with

costs as (
    select * from {{ ref('int_costs_converted') }}
),

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

reporting_dates as (
    select * from {{ ref('int_reporting_dates') }}
),

cost_months as (
    select
        cost_month,
        {{ scorecard_exact_sum('case when is_shared then amount_reporting else 0 end') }} as shared_cost
    from costs
    group by cost_month
),

direct_costs as (
    select
        cost_month,
        team_id,
        {{ scorecard_exact_sum('amount_reporting') }} as direct_cost
    from costs
    where not is_shared
    group by cost_month, team_id
),

tickets_in_window as (
    select
        cast({{ dbt.date_trunc('month', 'tickets.created_at') }} as date) as created_month,
        tickets.owner_team_id
    from tickets
    cross join reporting_dates
    where
        tickets.created_at <= reporting_dates.as_of_end
        and cast(tickets.created_at as date) >= reporting_dates.window_start
),

team_tickets as (
    select
        created_month,
        owner_team_id as team_id,
        count(*) as tickets_created
    from tickets_in_window
    group by created_month, owner_team_id
),

month_tickets as (
    select
        created_month,
        sum(tickets_created) as month_tickets_created
    from team_tickets
    group by created_month
),

-- The teams that share a cost month's shared cost: those with tickets
-- created that month or, in a month without tickets, `unassigned` alone.
sharing_teams as (
    select
        cost_months.cost_month,
        team_tickets.team_id,
        team_tickets.tickets_created,
        month_tickets.month_tickets_created
    from cost_months
    inner join team_tickets
        on cost_months.cost_month = team_tickets.created_month
    inner join month_tickets
        on cost_months.cost_month = month_tickets.created_month

    union all

    select
        cost_months.cost_month,
        'unassigned' as team_id,
        0 as tickets_created,
        0 as month_tickets_created
    from cost_months
    left join month_tickets
        on cost_months.cost_month = month_tickets.created_month
    where month_tickets.created_month is null
),

month_teams as (
    select
        cost_month,
        team_id
    from direct_costs
    union
    select
        cost_month,
        team_id
    from sharing_teams
),

shares as (
    select
        month_teams.cost_month,
        month_teams.team_id,
        coalesce(direct_costs.direct_cost, 0) as direct_cost,
        coalesce(sharing_teams.tickets_created, 0) as tickets_created,
        coalesce(month_tickets.month_tickets_created, 0) as month_tickets_created,
        cost_months.shared_cost as month_shared_cost,
        cast(
            case
                when sharing_teams.team_id is null then 0
                when sharing_teams.month_tickets_created = 0 then 1
                else
                    cast(sharing_teams.tickets_created as {{ scorecard_type_double() }})
                    / sharing_teams.month_tickets_created
            end as {{ scorecard_type_double() }}
        ) as allocation_share,
        -- Multiply before dividing: the month's pieces add back to its shared
        -- cost up to floating-point rounding only.
        cast(
            case
                when sharing_teams.team_id is null then 0
                when sharing_teams.month_tickets_created = 0 then cost_months.shared_cost
                else
                    cost_months.shared_cost * sharing_teams.tickets_created
                    / sharing_teams.month_tickets_created
            end as {{ scorecard_type_double() }}
        ) as allocated_shared_cost
    from month_teams
    inner join cost_months
        on month_teams.cost_month = cost_months.cost_month
    left join direct_costs
        on
            month_teams.cost_month = direct_costs.cost_month
            and month_teams.team_id = direct_costs.team_id
    left join sharing_teams
        on
            month_teams.cost_month = sharing_teams.cost_month
            and month_teams.team_id = sharing_teams.team_id
    left join month_tickets
        on month_teams.cost_month = month_tickets.created_month
),

final as (
    select
        cost_month,
        team_id,
        cast(direct_cost as {{ scorecard_type_double() }}) as direct_cost,
        allocated_shared_cost,
        cast(direct_cost as {{ scorecard_type_double() }}) + allocated_shared_cost as allocated_cost,
        tickets_created,
        month_tickets_created,
        allocation_share,
        cast(month_shared_cost as {{ scorecard_type_double() }}) as month_shared_cost
    from shares
)

select * from final
