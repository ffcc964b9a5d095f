{#-
    Severity 1 (highest) to 4 from any accepted priority spelling of the raw
    contract: urgent/high/normal/low, p1..p4, sev1..sev4, 'sev 1'..'sev 4',
    1..4. Expects cleaned (trimmed, lower-cased) text; anything else is null.
-#}
{% macro severity_from_priority(priority) -%}
    case
        when {{ priority }} in ('urgent', 'p1', 'sev1', 'sev 1', '1') then 1
        when {{ priority }} in ('high', 'p2', 'sev2', 'sev 2', '2') then 2
        when {{ priority }} in ('normal', 'p3', 'sev3', 'sev 3', '3') then 3
        when {{ priority }} in ('low', 'p4', 'sev4', 'sev 4', '4') then 4
    end
{%- endmacro %}
