{#-
    Row accounting per raw table: rows read = rows used + duplicates dropped
    + rows rejected. Each figure is counted on its own (used rows from the
    staging model, duplicates as valid rows that staging did not keep), so a
    staging model that loses or multiplies rows breaks the equation.
-#}

with

{% for raw_table in raw_tables() %}
counts_{{ raw_table.source_table }} as (
    select
        '{{ raw_table.source_table }}' as source_table,
        (select count(*) from {{ ref(raw_table.base) }}) as rows_read,
        (select count(*) from {{ ref(raw_table.staging) }}) as rows_used,
        (
            select count(*)
            from {{ ref(raw_table.base) }} as base_rows
            where
                base_rows.rejection_reason is null
                and not exists (
                    select 1
                    from {{ ref(raw_table.staging) }} as used_rows
                    where used_rows.source_row_number = base_rows._row_number
                )
        ) as duplicates_dropped,
        (
            select count(*)
            from {{ ref(raw_table.base) }}
            where rejection_reason is not null
        ) as rows_rejected
),

{% endfor %}

final as (
    {% for raw_table in raw_tables() %}
    select
        source_table,
        rows_read,
        rows_used,
        duplicates_dropped,
        rows_rejected
    from counts_{{ raw_table.source_table }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from final
