{#-
    scorecard_exact_sum gives the double nearest to the exact decimal sum on
    every engine. Returns the sum when it is not that double: three values
    whose exact sum, 3.714285714285714176, DuckDB's direct decimal cast turns
    into 3.7142857142857144 (one unit in the last place above the nearest
    double, 3.714285714285714).
-#}

with

addends as (
    select cast('1.238095238095238058' as decimal(38, 18)) as addend
    union all
    select cast('1.238095238095238059' as decimal(38, 18)) as addend
    union all
    select cast('1.238095238095238059' as decimal(38, 18)) as addend
),

summed as (
    select {{ scorecard_exact_sum('addend') }} as exact_sum
    from addends
)

select exact_sum
from summed
where exact_sum <> cast('3.714285714285714' as {{ scorecard_type_double() }})
