{#-
    The key of a contact profile: the combination of ticket and account
    attributes a KPI fact can be sliced by (the rows of dim_contact_profiles).
    A hash of the attributes rather than a sequence number, so every model
    that meets the same combination derives the same key without a lookup;
    a null attribute (an account-only fact has no severity, channel or
    driver) is hashed as a marker no real value can take.
-#}
{% macro contact_profile_key(severity, channel, driver, driver_category, contract_tier, segment) -%}
    {%- set parts = [] -%}
    {%- for attribute in [severity, channel, driver, driver_category, contract_tier, segment] -%}
        {%- do parts.append("coalesce(cast(" ~ attribute ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}
