{%- set row_number_text = dbt.safe_cast('_row_number', dbt.type_string()) -%}

with

{% for raw_table in raw_tables() %}
rejected_{{ raw_table.source_table }} as (
    select
        '{{ raw_table.source_table }}' as source_table,
        {% if raw_table.key -%}
        coalesce({{ raw_table.key }}, {{ dbt.concat(["'row '", row_number_text]) }}) as row_key,
        {%- else -%}
        {{ dbt.concat(["'row '", row_number_text]) }} as row_key,
        {%- endif %}
        _row_number as source_row_number,
        rejection_reason as reason,
        raw_row
    from {{ ref(raw_table.base) }}
    where rejection_reason is not null
),

{% endfor %}

unioned as (
    {% for raw_table in raw_tables() %}
    select * from rejected_{{ raw_table.source_table }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        source_table,
        row_key,
        source_row_number,
        {{ dbt.split_part('reason', "':'", 1) }} as rejection_class,
        reason,
        raw_row
    from unioned
)

select * from final
