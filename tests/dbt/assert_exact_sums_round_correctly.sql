{#-
    scorecard_exact_sum gives the double nearest to the exact decimal sum on
    every engine, and a single value unchanged. Returns each sum that is not
    its expected double:
    * three decimals whose exact sum, 3.714285714285714176, DuckDB's direct
      decimal cast turns into 3.7142857142857144 (one unit in the last place
      above the nearest double, 3.714285714285714);
    * one double, 499.98333333333335, that a round trip through the engine's
      decimal cast moves by a unit in the last place (499.9833333333334 on
      DuckDB, 499.983333333333 on PostgreSQL).
-#}

with

decimal_addends as (
    select cast('1.238095238095238058' as decimal(38, 18)) as addend
    union all
    select cast('1.238095238095238059' as decimal(38, 18)) as addend
    union all
    select cast('1.238095238095238059' as decimal(38, 18)) as addend
),

double_addends as (
    select cast('499.98333333333335' as {{ scorecard_type_double() }}) as addend
),

sums as (
    select
        'three decimals' as case_name,
        {{ scorecard_exact_sum('addend') }} as exact_sum,
        cast('3.714285714285714' as {{ scorecard_type_double() }}) as expected_sum
    from decimal_addends
    union all
    select
        'one double' as case_name,
        {{ scorecard_exact_sum('addend') }} as exact_sum,
        cast('499.98333333333335' as {{ scorecard_type_double() }}) as expected_sum
    from double_addends
),

final as (
    select
        case_name,
        exact_sum,
        expected_sum
    from sums
    where exact_sum is null or exact_sum <> expected_sum
)

select * from final
