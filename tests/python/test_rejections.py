"""Every rejection class of the raw contract: a crafted bad row is rejected with the
expected reason, and the good rows beside it are still used."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import query

# (raw table, row key, rejection class, text the reason must contain)
EXPECTED_REJECTIONS = [
    ("teams", "row 4", "missing_required", "team_id is required"),
    ("teams", "T3", "missing_required", "manager_id is required"),
    ("agents", "A3", "invalid_type", "hire_date '2025-13-01' is not a YYYY-MM-DD date"),
    ("agents", "A4", "end_not_after_start", "termination_date must be on or after hire_date"),
    ("agent_roles", "row 6", "overlap", "role period starts before"),
    ("agent_roles", "row 7", "not_allowed", "role 'ceo'"),
    ("agent_roles", "row 8", "unknown_team", "team_id 'T9' is not a valid team"),
    ("agent_roles", "row 9", "end_not_after_start", "valid_to must be after valid_from"),
    ("accounts", "AC3", "out_of_range", "arr"),
    ("accounts", "AC4", "not_allowed", "contract_tier 'gold'"),
    ("accounts", "AC5", "missing_required", "contract_start is required"),
    ("tickets", "TK4", "invalid_type", "created_at 'not-a-date'"),
    ("tickets", "TK5", "not_allowed", "channel 'fax'"),
    ("tickets", "TK6", "not_allowed", "priority 'p9'"),
    ("tickets", "TK7", "missing_required", "requester_id is required"),
    ("ticket_events", "E8", "unknown_ticket", "ticket_id 'TK4'"),
    ("ticket_events", "E9", "not_allowed", "event_type 'merged'"),
    ("ticket_events", "E10", "invalid_type", "handle_seconds '12.5'"),
    ("ticket_events", "E11", "out_of_range", "handle_seconds '-3'"),
    ("ticket_events", "E12", "unknown_ticket", "ticket_id 'TK99'"),
    ("ticket_events", "E14", "invalid_type", "event_at '2025-03-05T25:00:00Z'"),
    ("ticket_events", "E15", "not_allowed", "tier 't9'"),
    ("surveys", "S4", "out_of_range", "between 1 and 5 for csat"),
    ("surveys", "S5", "missing_required", "ticket_id is required"),
    ("surveys", "S6", "unknown_ticket", "ticket_id 'TK404'"),
    ("surveys", "S7", "missing_required", "account_id is required"),
    ("surveys", "S8", "invalid_type", "score 'five'"),
    ("qa_evaluations", "Q2", "out_of_range", "between 0 and 100"),
    ("qa_evaluations", "Q3", "unknown_ticket", "ticket_id 'TK4'"),
    ("qa_evaluations", "Q4", "missing_required", "agent_id is required"),
    ("schedules", "row 3", "overlap", "schedule segment starts before"),
    ("schedules", "row 4", "end_not_after_start", "segment_end must be after segment_start"),
    ("schedules", "row 5", "not_allowed", "activity 'nap'"),
    ("agent_states", "row 3", "overlap", "agent state starts before"),
    ("agent_states", "row 4", "end_not_after_start", "state_end must be after state_start"),
    ("agent_states", "row 5", "not_allowed", "state 'sleeping'"),
    ("costs", "row 4", "unknown_team", "team_id 'T9'"),
    ("costs", "row 5", "no_fx_rate", "currency 'JPY'"),
    ("costs", "row 6", "not_allowed", "category 'bribes'"),
    ("costs", "row 7", "invalid_type", "amount 'abc'"),
]

# Rows that must survive beside the bad ones, by staging model and key.
EXPECTED_USED = {
    "stg_hr__teams": ("team_id", {"T1", "T2"}),
    "stg_hr__agents": ("agent_id", {"D1", "M1", "A1", "A2"}),
    "stg_crm__accounts": ("account_id", {"AC1", "AC2"}),
    "stg_ticketing__tickets": ("ticket_id", {"TK1", "TK2", "TK3"}),
    "stg_ticketing__ticket_events": ("event_id", {"E1", "E2", "E3", "E4", "E5", "E6", "E7", "E13"}),
    "stg_surveys__responses": ("response_id", {"S2", "S3", "S9"}),
    "stg_qa__evaluations": ("evaluation_id", {"Q1"}),
    "stg_hr__agent_roles": ("source_row_number", {1, 2, 3, 4, 5}),
    "stg_wfm__schedules": ("source_row_number", {1, 2}),
    "stg_wfm__agent_states": ("source_row_number", {1, 2}),
    "stg_finance__costs": ("source_row_number", {1, 2, 3}),
}

# rows_read, rows_used, duplicates_dropped, rows_rejected
EXPECTED_COUNTS = {
    "accounts": (5, 2, 0, 3),
    "agents": (7, 4, 1, 2),
    "agent_roles": (9, 5, 0, 4),
    "teams": (5, 2, 1, 2),
    "tickets": (8, 3, 1, 4),
    "ticket_events": (16, 8, 1, 7),
    "surveys": (10, 3, 2, 5),
    "qa_evaluations": (5, 1, 1, 3),
    "schedules": (5, 2, 0, 3),
    "agent_states": (5, 2, 0, 3),
    "costs": (7, 3, 0, 4),
}


@pytest.mark.parametrize(
    ("table", "row_key", "rejection_class", "reason_text"), EXPECTED_REJECTIONS
)
def test_bad_row_is_rejected_with_reason(
    rejections_warehouse: Path, table: str, row_key: str, rejection_class: str, reason_text: str
) -> None:
    rows = query(
        rejections_warehouse,
        f"""select rejection_class, reason from marts.audit_rejected_rows
        where source_table = '{table}' and row_key = '{row_key}'""",
    )
    assert len(rows) == 1, rows
    assert rows[0][0] == rejection_class
    assert reason_text in rows[0][1]


def test_no_unexpected_rejections(rejections_warehouse: Path) -> None:
    rows = set(
        query(rejections_warehouse, "select source_table, row_key from marts.audit_rejected_rows")
    )
    assert rows == {(table, key) for table, key, _, _ in EXPECTED_REJECTIONS}


@pytest.mark.parametrize("model", sorted(EXPECTED_USED))
def test_good_rows_beside_bad_ones_are_used(rejections_warehouse: Path, model: str) -> None:
    key, expected = EXPECTED_USED[model]
    rows = query(rejections_warehouse, f"select {key} from staging.{model}")
    assert {row[0] for row in rows} == expected


@pytest.mark.parametrize("table", sorted(EXPECTED_COUNTS))
def test_row_counts_reconcile(rejections_warehouse: Path, table: str) -> None:
    rows = query(
        rejections_warehouse,
        f"""select rows_read, rows_used, duplicates_dropped, rows_rejected
        from marts.audit_row_counts where source_table = '{table}'""",
    )
    assert rows == [EXPECTED_COUNTS[table]]


def test_offsets_are_converted_to_utc(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select strftime(created_at, '%Y-%m-%d %H:%M:%S') from staging.stg_ticketing__tickets "
        "where ticket_id = 'TK2'",
    )
    assert rows == [("2025-03-03 09:00:00",)]


def test_latest_ticket_export_wins_and_priorities_normalise(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select ticket_id, priority, severity, channel, contact_reason "
        "from staging.stg_ticketing__tickets order by ticket_id",
    )
    assert rows == [
        ("TK1", "high", 2, "email", "billing.refund"),
        ("TK2", "sev 3", 3, "chat", "product.bug"),
        ("TK3", "4", 4, "phone", None),
    ]


def test_latest_csat_per_ticket_counts_and_later_responses_stay(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select response_id, score from staging.stg_surveys__responses order by response_id",
    )
    # S1 is superseded by S2 (later, offset converted); S9 is after as_of_end but valid.
    assert rows == [("S2", 3), ("S3", 9), ("S9", 4)]


def test_as_of_date_defaults_to_latest_valid_event(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select cast(as_of_date as varchar), strftime(as_of_end, '%H:%M:%S.%g') "
        "from staging.base_ticketing__as_of_date",
    )
    assert rows == [("2025-03-05", "23:59:59.999")]


def test_defaults_fill_nullable_codes(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select account_id, contract_tier, currency "
        "from staging.stg_crm__accounts order by account_id",
    )
    assert rows == [("AC1", "premium", "USD"), ("AC2", "standard", "EUR")]


def test_costs_keep_credits_and_normalise_month(rejections_warehouse: Path) -> None:
    rows = query(
        rejections_warehouse,
        "select cast(cost_month as varchar), team_id, amount, currency "
        "from staging.stg_finance__costs order by source_row_number",
    )
    assert rows == [
        ("2025-03-01", "T1", 10000.0, "USD"),
        ("2025-03-01", None, 2000.0, "EUR"),
        ("2025-03-01", "T1", -100.0, "USD"),
    ]


def test_personal_data_never_reaches_audit(rejections_warehouse: Path) -> None:
    rows = query(rejections_warehouse, "select raw_row from marts.audit_rejected_rows")
    text = " ".join(row[0] for row in rows)
    assert "@example.com" not in text
