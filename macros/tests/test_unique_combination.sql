{#-
    Generic test: no two rows of `model` share the same values in `columns`
    (a composite key). Returns one row per duplicated key with its row count;
    the test passes when it returns nothing. Null key values group together,
    so two rows that both have a null in the same key column and equal other
    key values count as duplicates.
-#}
{% test unique_combination(model, columns) %}
    {%- if columns is string -%}
        {%- set columns = [columns] -%}
    {%- endif -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("unique_combination: `columns` must name at least one column") }}
    {%- endif -%}
    {%- set column_list = columns | join(', ') %}

select
    {{ column_list }},
    count(*) as n_records
from {{ model }}
group by {{ column_list }}
having count(*) > 1

{% endtest %}
