{#-
    The parsing macros on the spellings the raw contract allows and on the
    ones it does not: returns every case whose result differs from the
    expectation. The VALUES aliases only name their columns (hence noqa).
-#}

with

timestamp_cases as (
    select * from (
        values
        ('2026-03-01T09:00:00+01:00', cast('2026-03-01 08:00:00' as timestamp)),
        ('2026-03-01T09:00:00', cast('2026-03-01 09:00:00' as timestamp)),
        ('2026-03-01 09:00:00Z', cast('2026-03-01 09:00:00' as timestamp)),
        ('2026-03-01T09:00:00 z', cast('2026-03-01 09:00:00' as timestamp)),
        ('2026-03-01T09:00+01:00', cast('2026-03-01 08:00:00' as timestamp)),
        ('2026-03-01T23:30:00-05:00', cast('2026-03-02 04:30:00' as timestamp)),
        ('2026-03-01T10:00:00+0530', cast('2026-03-01 04:30:00' as timestamp)),
        ('  2026-03-01T09:00:00.250Z ', cast('2026-03-01 09:00:00.25' as timestamp)),
        ('2026-03-01', cast('2026-03-01 00:00:00' as timestamp)),
        ('2026-02-30T09:00:00', null),
        ('2026-03-01T25:00:00Z', null),
        ('2026-03-01T09:00:00+25:00', null),
        ('2026-03-01T24:00:00', null),
        ('2026-03-01 24:00:00Z', null),
        ('2026-03-01T23:59:59.9999999', cast('2026-03-01 23:59:59.999999' as timestamp)),
        ('2026-03-01T09:00:00.1234567891+01:00', cast('2026-03-01 08:00:00.123456' as timestamp)),
        ('not-a-date', null),
        ('', null)
    ) as cases (input_text, expected)  -- noqa: AL05
),

number_cases as (
    select * from (
        values
        ('12', 12, 12.0),
        (' -3 ', -3, -3.0),
        ('12.5', null, 12.5),
        ('1e3', null, 1000.0),
        ('12.5x', null, null),
        ('1.5e308', null, 1.5e308),
        ('1e999', null, null),
        ('-1e999', null, null),
        ('1e-400', null, null),
        ('0.0e-400', null, 0.0),
        ('1e0001', null, 10.0),
        ('1e1000', null, null),
        ('abc', null, null)
    ) as cases (input_text, expected_integer, expected_number)  -- noqa: AL05
),

date_cases as (
    select * from (
        values
        ('2026-03-01', cast('2026-03-01' as date)),
        ('2026-13-01', null),
        ('2026-03-01T10:00:00', null)
    ) as cases (input_text, expected)  -- noqa: AL05
),

failures as (
    select
        'timestamp' as parsing_macro,
        input_text
    from timestamp_cases
    where {{ try_parse_timestamp_utc('input_text') }} is distinct from expected
    union all
    select
        'integer' as parsing_macro,
        input_text
    from number_cases
    where {{ try_parse_integer('input_text') }} is distinct from expected_integer
    union all
    select
        'number' as parsing_macro,
        input_text
    from number_cases
    where {{ try_parse_number('input_text') }} is distinct from expected_number
    union all
    select
        'date' as parsing_macro,
        input_text
    from date_cases
    where {{ try_parse_date('input_text') }} is distinct from expected
)

select * from failures
