{#-
    Cleaning raw text before it is matched or cast. The casts themselves
    (`try_parse_*`, `matches_pattern`) differ per engine and live in
    macros/cross_db/parsing.sql.
-#}

{#- Trimmed text, with empty strings as null (an empty CSV field is null). -#}
{% macro clean_text(expression) -%}
    nullif(trim({{ expression }}), '')
{%- endmacro %}


{#- Trimmed, lower-cased text for values matched case-insensitively. -#}
{% macro clean_code(expression) -%}
    lower({{ clean_text(expression) }})
{%- endmacro %}
