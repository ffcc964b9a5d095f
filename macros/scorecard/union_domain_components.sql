{#-
    The import CTEs and the union of the KPI component models of every
    domain, each read with the same explicit column list so that a domain
    model with a column out of place fails loudly instead of shifting
    values. Returns `<model> as (...), ..., final as (... union all ...)`.
-#}
{% macro union_domain_components(domain_models, columns) -%}
{% for domain_model in domain_models %}
{{ domain_model }} as (
    select
        {{ columns | join(',\n        ') }}
    from {{ ref(domain_model) }}
),

{% endfor %}
final as (
    {% for domain_model in domain_models %}
    select * from {{ domain_model }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)
{%- endmacro %}
