{#-
    The people who reached competency, one row per person: their first
    qualifying month of int_agent_competency_months_evaluated. Competency
    date = that month's last day, the fact's date for time_to_competency_days;
    days = competency date - hire date; team = the person's team on that day.
-#}

with

competency_months as (
    select * from {{ ref('int_agent_competency_months_evaluated') }}
),

ranked as (
    select
        agent_id,
        hire_date,
        month_end,
        team_id,
        row_number() over (partition by agent_id order by month_start) as qualifying_rank
    from competency_months
    where is_competency_month
),

final as (
    select
        agent_id,
        hire_date,
        month_end as competency_date,
        team_id,
        {{ dbt.datediff('hire_date', 'month_end', 'day') }}
            as days_to_competency
    from ranked
    where qualifying_rank = 1
)

select * from final
