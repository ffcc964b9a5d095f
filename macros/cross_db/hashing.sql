{#-
    A stable, salted SHA-256 of personal data, so consumers can join on a
    person without seeing who it is. The salt comes from SCORECARD_HASH_SALT;
    change it and every hash changes. Null stays null.
-#}
{% macro salted_hash(expression) -%}
    {{ return(adapter.dispatch('salted_hash', 'cs_scorecard')(expression)) }}
{%- endmacro %}

{% macro default__salted_hash(expression) -%}
    case
        when {{ expression }} is not null
            then {{ hash_sha256(dbt.concat(["'" ~ hash_salt() ~ "'", expression])) }}
    end
{%- endmacro %}

{% macro hash_salt() -%}
    {{- return(env_var('SCORECARD_HASH_SALT', 'cs-scorecard-demo-salt') | replace("'", "''")) -}}
{%- endmacro %}

{% macro hash_sha256(expression) -%}
    {{ return(adapter.dispatch('hash_sha256', 'cs_scorecard')(expression)) }}
{%- endmacro %}

{% macro default__hash_sha256(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro duckdb__hash_sha256(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__hash_sha256(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}
