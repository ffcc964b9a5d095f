{#-
    Keeps one row per key: the first by `order_by`. Leaves a
    `duplicate_rank` column (always 1) that callers do not select.
-#}
{% macro deduplicate(relation, partition_by, order_by) -%}
    select * from (
        select
            *,
            row_number() over (partition by {{ partition_by }} order by {{ order_by }}) as duplicate_rank
        from {{ relation }}
    ) as ranked
    where duplicate_rank = 1
{%- endmacro %}


{#- The rows of a base model that broke no rule. -#}
{% macro valid_rows(base_model) -%}
    select * from {{ ref(base_model) }} where rejection_reason is null
{%- endmacro %}
