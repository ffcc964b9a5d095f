{#-
    The run's reference date: the dbt var as_of_date, else the UTC date of the
    latest valid, deduplicated ticket event. The scorecard describes the world
    at as_of_end, the last millisecond of that day.
-#}
{%- set as_of_date = var('as_of_date', '') | string | trim -%}
{%- if as_of_date and not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', as_of_date) -%}
    {{ exceptions.raise_compiler_error("The dbt var as_of_date must be YYYY-MM-DD, not '" ~ as_of_date ~ "'.") }}
{%- endif -%}

with

ticket_events as (
    select * from {{ ref('stg_ticketing__ticket_events') }}
),

reference_date as (
    {% if as_of_date -%}
        select cast('{{ as_of_date }}' as date) as as_of_date
    {%- else -%}
    select cast(max(event_at) as date) as as_of_date
    from ticket_events
    {%- endif %}
),

final as (
    select
        as_of_date,
        {{ dbt.dateadd(
            'millisecond', -1, dbt.dateadd('day', 1, 'cast(as_of_date as ' ~ dbt.type_timestamp() ~ ')')
        ) }} as as_of_end
    from reference_date
)

select * from final
