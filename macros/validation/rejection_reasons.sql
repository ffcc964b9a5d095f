{#-
    Building blocks of a staging model's `rejection_reason`: each returns one
    `when ... then ...` branch of a `case`, so the first broken rule names the
    row's reason. A reason reads `<class>: <what is wrong>`; the class before
    the colon is one of malformed_row, missing_required, invalid_type,
    not_allowed, out_of_range, end_not_after_start, unknown_ticket,
    unknown_team, no_fx_rate, overlap.

    Conventions of the base models these expect: the cleaned text of a typed
    column `x` is `x_text`; a text column is compared as cleaned text.
-#}

{#-
    A CSV line that could not be split into the header's fields: its values
    are unknown, so no other rule can be checked (see raw_source_as_text).
-#}
{% macro reject_malformed() -%}
    when _read_error is not null
        then _read_error
{%- endmacro %}


{#- The general form: `<class>: <column> '<value>' <message>` when `condition` holds. -#}
{% macro reject_value(rejection_class, column, condition, message, column_expression=none) -%}
    {%- set expression = column_expression or column -%}
    when {{ condition }}
        then {{ dbt.concat([
            "'" ~ rejection_class ~ ": " ~ column ~ " '''",
            dbt.safe_cast(expression, dbt.type_string()),
            "''' " ~ message ~ "'",
        ]) }}
{%- endmacro %}


{% macro reject_missing(column, text_column=none) -%}
    when {{ text_column or column }} is null
        then 'missing_required: {{ column }} is required'
{%- endmacro %}


{% macro reject_invalid(column, expected) -%}
    {{ reject_value(
        'invalid_type', column, column ~ '_text is not null and ' ~ column ~ ' is null',
        'is not ' ~ expected, column ~ '_text',
    ) }}
{%- endmacro %}


{% macro reject_not_allowed(column, allowed_values, column_expression=none) -%}
    {%- set expression = column_expression or column -%}
    {{ reject_value(
        'not_allowed', column,
        expression ~ " is not null and " ~ expression ~ " not in ('" ~ allowed_values | join("', '") ~ "')",
        'is not one of ' ~ allowed_values | join(', '), expression,
    ) }}
{%- endmacro %}


{#-
    A value outside the set the raw contract allows, read from the source
    column's `meta.accepted_values`, so that the contract has one home.
-#}
{% macro reject_not_accepted(source_table, column, column_expression=none) -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() if node.package_name == project_name and node.name == source_table -%}
            {{ return(reject_not_allowed(column, node.columns[column].meta.accepted_values, column_expression)) }}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("No accepted values declared for " ~ source_table ~ "." ~ column) }}
    {%- endif -%}
    {#- Parse time: the SQL is not run, only its refs matter. -#}
    {{ return(reject_not_allowed(column, ['?'], column_expression)) }}
{%- endmacro %}


{% macro reject_not_currency_code(column, column_expression=none) -%}
    {%- set expression = column_expression or column -%}
    {{ reject_value(
        'not_allowed', column,
        expression ~ ' is not null and not ' ~ matches_pattern(expression, '[A-Z]{3}'),
        'is not a 3-letter currency code', expression,
    ) }}
{%- endmacro %}


{#- Quotes the value as it was written (`x_text`), not as parsed. -#}
{% macro reject_out_of_range(column, condition, allowed) -%}
    {{ reject_value('out_of_range', column, condition, 'must be ' ~ allowed, column ~ '_text') }}
{%- endmacro %}


{% macro reject_end_not_after_start(start_column, end_column, allow_equal=false) -%}
    when {{ end_column }} {{ '<' if allow_equal else '<=' }} {{ start_column }}
        then 'end_not_after_start: {{ end_column }} must be {{ "on or after" if allow_equal else "after" }} {{ start_column }}'
{%- endmacro %}


{#- A reference that finds no valid row (matched_column is null after a left join). -#}
{% macro reject_unknown_reference(rejection_class, column, column_expression, matched_column, target_label) -%}
    {{ reject_value(
        rejection_class, column,
        column_expression ~ ' is not null and ' ~ matched_column ~ ' is null',
        'is not ' ~ target_label, column_expression,
    ) }}
{%- endmacro %}


{% macro reject_unknown_ticket(column_expression, matched_column) -%}
    {{ reject_unknown_reference(
        'unknown_ticket', 'ticket_id', column_expression, matched_column, 'a valid ticket (ticket does not exist)',
    ) }}
{%- endmacro %}


{% macro reject_unknown_team(column_expression, matched_column) -%}
    {{ reject_unknown_reference('unknown_team', 'team_id', column_expression, matched_column, 'a valid team') }}
{%- endmacro %}


{#-
    Two CTEs that reject overlapping intervals of one owner: a row whose
    interval starts before the end of any earlier-starting valid row of the
    same owner (ties: earlier in file order) is rejected, so of two
    overlapping rows the later-starting one goes. One window pass, no
    self-join. The result CTE `overlaps_rejected` carries every column of
    `relation` plus `overlap_checked_reason`.
-#}
{% macro reject_overlaps(relation, owner_column, start_column, end_expression, interval_label) -%}
overlap_bounds as (
    select
        *,
        max(case when rejection_reason is null then {{ end_expression }} end) over (
            partition by {{ owner_column }}
            order by {{ start_column }}, _row_number
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_end
    from {{ relation }}
),

overlaps_rejected as (
    select
        *,
        coalesce(
            rejection_reason,
            case
                when {{ start_column }} < latest_earlier_end
                    then 'overlap: {{ interval_label }} starts before an earlier {{ interval_label }} of {{ owner_column }} ends'
            end
        ) as overlap_checked_reason
    from overlap_bounds
)
{%- endmacro %}
