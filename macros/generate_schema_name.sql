{#-
    Layers land in schemas named after the layer (staging, intermediate,
    marts, seeds) rather than dbt's default <target>_<layer>, so BI tools and
    docs readers find the marts under one stable name.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
