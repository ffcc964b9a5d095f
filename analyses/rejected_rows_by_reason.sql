{#-
    Where the raw exports break the contract: rejected rows per table and
    class with their share of the rows read and one example reason, to
    decide which source system to fix first.
-#}

with

rejected_rows as (
    select * from {{ ref('audit_rejected_rows') }}
),

row_counts as (
    select * from {{ ref('audit_row_counts') }}
),

by_class as (
    select
        source_table,
        rejection_class,
        count(*) as rows_rejected,
        min(reason) as example_reason
    from rejected_rows
    group by source_table, rejection_class
),

final as (
    select
        by_class.source_table,
        by_class.rejection_class,
        by_class.rows_rejected,
        by_class.rows_rejected * 1.0 / nullif(row_counts.rows_read, 0) as share_of_rows_read,
        by_class.example_reason
    from by_class
    inner join row_counts
        on by_class.source_table = row_counts.source_table
)

select * from final
order by rows_rejected desc
