{#-
    Fails with every row of the model for which `expression` is not true
    (a null result counts as a failure: an unknown is not a pass).
-#}
{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
