{#-
    The people perspective of the scorecard, one column per KPI: the values
    and RAG statuses of fct_kpi_cascade pivoted per (grain, period, level,
    entity, parent). A KPI with no row there is null here.
-#}

with

kpi_cascade as (
    select * from {{ ref('fct_kpi_cascade') }}
),

final as (
    {{ kpi_perspective_pivot('kpi_cascade', 'people') }}
)

select * from final
