{#-
    The contact profiles: every combination of the ticket and account
    attributes a KPI fact can be sliced by in the semantic layer (a "junk"
    dimension). Ticket facts and the backlog take their ticket's profile;
    nps responses (and responses whose ticket is unknown) the account-only
    profile of their account. Keys come from the same macro everywhere.
-#}

with

tickets as (
    select * from {{ ref('int_tickets_enriched') }}
),

accounts as (
    select * from {{ ref('stg_crm__accounts') }}
),

ticket_profiles as (
    select distinct
        contact_profile_id,
        'ticket' as profile_kind,
        severity,
        channel,
        driver,
        driver_category,
        contract_tier,
        segment
    from tickets
),

account_attributes as (
    select
        contract_tier,
        coalesce(segment, 'unknown') as segment
    from accounts
    -- A response naming no known account is `standard` / `unknown`.
    union all
    select
        'standard' as contract_tier,
        'unknown' as segment
),

account_profiles as (
    select distinct
        {{ contact_profile_key('null', 'null', 'null', 'null', 'contract_tier', 'segment') }} as contact_profile_id,
        'account' as profile_kind,
        cast(null as integer) as severity,
        cast(null as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_string() }}) as driver,
        cast(null as {{ dbt.type_string() }}) as driver_category,
        contract_tier,
        segment
    from account_attributes
),

all_profiles as (
    select * from ticket_profiles
    union all
    select * from account_profiles
),

final as (
    select
        cast(contact_profile_id as {{ dbt.type_string() }}) as contact_profile_id,
        cast(profile_kind as {{ dbt.type_string() }}) as profile_kind,
        cast(severity as integer) as severity,
        cast(channel as {{ dbt.type_string() }}) as channel,
        cast(driver as {{ dbt.type_string() }}) as driver,
        cast(driver_category as {{ dbt.type_string() }}) as driver_category,
        cast(contract_tier as {{ dbt.type_string() }}) as contract_tier,
        cast(segment as {{ dbt.type_string() }}) as segment
    from all_profiles
)

select * from final
