"""End to end: generate a small demo data set, run `dbt build` on it, and check the marts.

The KPI checks re-implement the spec (`raw_contract.md`, `kpis.md`) in pandas, straight
from the raw parquet files and the seeds, without reading the project's SQL, and compare
numerators and denominators with `marts.fct_kpi_cascade` at the director level (where
every fact rolls up, so no org model is needed) and, for ticket volume, at the team level.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import PROJECT_ROOT, Build

SEEDS = PROJECT_ROOT / "seeds"
FCR_REPEAT_WINDOW_DAYS = 7  # dbt var fcr_repeat_window_days, project default
REL_TOLERANCE = 1e-9

TIMESTAMP_PATTERN = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?"
DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
INTEGER_PATTERN = r"[+-]?\d+"
DECIMAL_PATTERN = r"[+-]?(\d+(\.\d*)?|\.\d+)"

CHANNELS = {"email", "chat", "phone", "web", "social"}
EVENT_TYPES = {
    "created",
    "assigned",
    "agent_reply",
    "customer_reply",
    "internal_note",
    "escalated",
    "solved",
    "reopened",
    "closed",
}
OPENING_EVENTS = {"created", "reopened"}
CLOSING_EVENTS = {"solved", "closed"}
TIERS = {"t1", "t2", "t3"}
SURVEY_SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
SEGMENTS = {"enterprise", "mid_market", "smb"}
CONTRACT_TIERS = {"premium", "standard", "basic"}
ROLES = {"agent", "senior_agent", "team_lead", "manager", "director"}
TEAM_ROLES = {"agent", "senior_agent", "team_lead"}
PRIORITY_SEVERITY: dict[str, int] = {
    name: severity
    for severity in range(1, 5)
    for name in (
        ("urgent", "high", "normal", "low")[severity - 1],
        f"p{severity}",
        f"sev{severity}",
        f"sev {severity}",
        str(severity),
    )
}
UNASSIGNED = "unassigned"
REPORTING_CURRENCY = "USD"  # dbt var reporting_currency, project default
FRONTLINE_ROLES = {"agent", "senior_agent"}
COST_CATEGORIES = {"labour", "tooling", "facilities", "outsourcing", "other"}
SCHEDULE_ACTIVITIES = {"work", "break", "lunch", "training", "meeting", "time_off"}
PRODUCTIVE_STATES = {"available", "on_contact", "after_contact"}
AGENT_STATES = PRODUCTIVE_STATES | {"break", "lunch", "training", "meeting", "offline"}
# The agent states that adhere to each scheduled activity (time_off is not scheduled time).
ADHERENT_STATES: dict[str, set[str]] = {
    "work": PRODUCTIVE_STATES,
    "break": {"break"},
    "lunch": {"lunch"},
    "training": {"training"},
    "meeting": {"meeting"},
}

# KPIs recomputed at the director level: monthly for all, quarterly for these.
DIRECTOR_KPIS = (
    "ticket_volume",
    "csat",
    "dsat_rate",
    "nps",
    "ces",
    "first_response_minutes",
    "resolution_hours",
    "sla_attainment",
    "sla_attainment_sev1",
    "sla_attainment_sev2",
    "sla_attainment_sev3",
    "sla_attainment_sev4",
    "fcr_rate",
    "aht_minutes",
    "escalation_rate",
    "backlog_open",
    "backlog_over_48h_rate",
)
QUARTER_KPIS = ("ticket_volume", "csat", "nps", "sla_attainment", "fcr_rate", "backlog_open")
# KPIs from the QA, HR, finance and WFM tables, recomputed at the director level monthly.
DIRECTOR_MONTH_KPIS = (
    "qa_score",
    "attrition_rate",
    "cost_per_ticket",
    "cost_per_customer",
    "service_credit_exposure",
    "schedule_adherence",
    "headcount_efficiency",
)

Components = tuple[float, float | None]  # numerator, denominator (None for totals)
KpiValues = dict[tuple[str, date], Components]  # (kpi_id, period_start) -> components


# --------------------------------------------------------------------------------------
# Build fixture
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def build(demo_build: Build) -> Build:
    return demo_build


def fetch(build: Build, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        return connection.execute(sql).df()


# --------------------------------------------------------------------------------------
# Parsing raw text (every raw column is text)
# --------------------------------------------------------------------------------------


def clean_text(values: pd.Series) -> pd.Series:
    """Trimmed text; empty or missing -> NaN."""
    text = values.astype("str").str.strip().where(values.notna())
    return text.where(text != "")


def optional_column(raw: pd.DataFrame, column: str) -> pd.Series:
    """An optional raw column: all missing when the file does not have it."""
    if column in raw.columns:
        return raw[column]
    return pd.Series(np.nan, index=raw.index, dtype="str")


def clean_code(values: pd.Series) -> pd.Series:
    """A 'one of' value: trimmed and lower-cased."""
    return clean_text(values).str.lower()


def matches(text: pd.Series, pattern: str) -> pd.Series:
    return text.str.fullmatch(pattern).fillna(False).astype(bool)


def parse_timestamp(values: pd.Series) -> pd.Series:
    """ISO 8601 text -> naive UTC timestamps; NaT when missing or invalid."""
    text = clean_text(values)
    shaped = text.where(matches(text, TIMESTAMP_PATTERN))
    parsed = pd.to_datetime(shaped, format="ISO8601", utc=True, errors="coerce")
    return parsed.dt.tz_convert(None).astype("datetime64[us]")


def parse_date(values: pd.Series) -> pd.Series:
    text = clean_text(values)
    shaped = text.where(matches(text, DATE_PATTERN))
    return pd.to_datetime(shaped, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")


def parse_number(values: pd.Series, pattern: str) -> pd.Series:
    text = clean_text(values)
    return pd.to_numeric(text.where(matches(text, pattern)), errors="coerce")


def read_raw(raw_dir: Path, table: str) -> pd.DataFrame:
    frame = pd.read_parquet(raw_dir / f"{table}.parquet")
    frame["_row"] = np.arange(1, len(frame) + 1)
    return frame


def read_seed(name: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / f"{name}.csv", dtype=str)


# --------------------------------------------------------------------------------------
# Validation and deduplication (raw_contract.md)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accounting:
    """rows read = rows used + duplicates dropped + rows rejected."""

    rows_read: int
    rows_used: int
    duplicates_dropped: int
    rows_rejected: int


def accounting(raw: pd.DataFrame, valid: pd.DataFrame, used: pd.DataFrame) -> Accounting:
    return Accounting(len(raw), len(used), len(valid) - len(used), len(raw) - len(valid))


def first_in_file_order(valid: pd.DataFrame, key: str) -> pd.DataFrame:
    return valid.sort_values("_row").drop_duplicates(key, keep="first")


def validate_tickets(raw: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "ticket_id": clean_text(raw["ticket_id"]),
            "created_at": parse_timestamp(raw["created_at"]),
            "updated_at": parse_timestamp(raw["updated_at"]),
            "account_id": clean_text(raw["account_id"]),
            "requester_id": clean_text(raw["requester_id"]),
            "channel": clean_code(raw["channel"]),
            "priority": clean_code(raw["priority"]),
            "contact_reason": clean_code(raw["contact_reason"]),
        }
    )
    valid = (
        rows["ticket_id"].notna()
        & rows["created_at"].notna()
        & rows["updated_at"].notna()
        & rows["requester_id"].notna()
        & rows["channel"].isin(CHANNELS)
        & rows["priority"].isin(PRIORITY_SEVERITY.keys())
    )
    rows = rows[valid].copy()
    rows["severity"] = rows["priority"].map(PRIORITY_SEVERITY).astype(int)
    return rows


def deduplicate_tickets(valid: pd.DataFrame, as_of_end: pd.Timestamp) -> pd.DataFrame:
    """Greatest updated_at at or before as_of_end (ties: last in file order); else the
    smallest updated_at."""
    in_time = valid[valid["updated_at"] <= as_of_end].sort_values(["updated_at", "_row"])
    kept = in_time.groupby("ticket_id").tail(1)
    later = valid[~valid["ticket_id"].isin(kept["ticket_id"])]
    later_kept = later.sort_values(["updated_at", "_row"]).groupby("ticket_id").head(1)
    return pd.concat([kept, later_kept]).sort_values("_row")


def validate_events(raw: pd.DataFrame, ticket_ids: set[str]) -> pd.DataFrame:
    handle_text = clean_text(raw["handle_seconds"])
    handle = parse_number(raw["handle_seconds"], INTEGER_PATTERN)
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "event_id": clean_text(raw["event_id"]),
            "ticket_id": clean_text(raw["ticket_id"]),
            "event_at": parse_timestamp(raw["event_at"]),
            "event_type": clean_code(raw["event_type"]),
            "agent_id": clean_text(raw["agent_id"]),
            "tier": clean_code(raw["tier"]),
            "handle_seconds": handle.fillna(0),
        }
    )
    valid = (
        rows["event_id"].notna()
        & rows["ticket_id"].isin(ticket_ids)
        & rows["event_at"].notna()
        & rows["event_type"].isin(EVENT_TYPES)
        & (rows["tier"].isna() | rows["tier"].isin(TIERS))
        & (handle_text.isna() | (handle.notna() & (handle >= 0)))
    )
    return rows[valid]


def validate_surveys(raw: pd.DataFrame, ticket_ids: set[str]) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "response_id": clean_text(raw["response_id"]),
            "survey_type": clean_code(raw["survey_type"]),
            "ticket_id": clean_text(raw["ticket_id"]),
            "account_id": clean_text(raw["account_id"]),
            "score": parse_number(raw["score"], INTEGER_PATTERN),
            "responded_at": parse_timestamp(raw["responded_at"]),
        }
    )
    low = rows["survey_type"].map(lambda kind: SURVEY_SCORE_RANGES.get(kind, (0, -1))[0])
    high = rows["survey_type"].map(lambda kind: SURVEY_SCORE_RANGES.get(kind, (0, -1))[1])
    is_nps = rows["survey_type"] == "nps"
    valid = (
        rows["response_id"].notna()
        & rows["survey_type"].isin(SURVEY_SCORE_RANGES.keys())
        & rows["responded_at"].notna()
        & rows["score"].between(low, high)
        & (is_nps | rows["ticket_id"].isin(ticket_ids))
        & (~is_nps | rows["account_id"].notna())
    )
    return rows[valid]


def deduplicate_surveys(valid: pd.DataFrame, as_of_end: pd.Timestamp) -> pd.DataFrame:
    """First valid row per response_id; then, per (ticket_id, survey_type) of csat and ces,
    the latest responded_at at or before as_of_end (ties: last in file order). Responses
    after as_of_end stay (they fall outside every period)."""
    unique = first_in_file_order(valid, "response_id")
    per_ticket = unique["survey_type"].isin({"csat", "ces"}) & (unique["responded_at"] <= as_of_end)
    latest = (
        unique[per_ticket]
        .sort_values(["responded_at", "_row"])
        .groupby(["ticket_id", "survey_type"])
        .tail(1)
    )
    return pd.concat([unique[~per_ticket], latest]).sort_values("_row")


def validate_accounts(raw: pd.DataFrame) -> pd.DataFrame:
    currency = clean_text(optional_column(raw, "currency"))
    end_text = clean_text(raw["contract_end"])
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "account_id": clean_text(raw["account_id"]),
            "segment": clean_code(raw["segment"]),
            "contract_tier": clean_code(raw["contract_tier"]),
            "arr": parse_number(raw["arr"], DECIMAL_PATTERN),
            "contract_start": parse_date(raw["contract_start"]),
            "contract_end": parse_date(raw["contract_end"]),
            "currency": currency.str.upper().fillna(REPORTING_CURRENCY),
        }
    )
    valid = (
        rows["account_id"].notna()
        & (rows["segment"].isna() | rows["segment"].isin(SEGMENTS))
        & (rows["contract_tier"].isna() | rows["contract_tier"].isin(CONTRACT_TIERS))
        & (rows["arr"] >= 0)
        & (currency.isna() | matches(currency, r"[A-Za-z]{3}"))
        & rows["contract_start"].notna()
        & (
            end_text.isna()
            | (rows["contract_end"].notna() & (rows["contract_end"] >= rows["contract_start"]))
        )
    )
    rows = rows[valid].copy()
    rows["contract_tier"] = rows["contract_tier"].fillna("standard")
    return rows


def validate_teams(raw: pd.DataFrame) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "team_id": clean_text(raw["team_id"]),
            "manager_id": clean_text(raw["manager_id"]),
            "director_id": clean_text(raw["director_id"]),
        }
    )
    return rows[rows[["team_id", "manager_id", "director_id"]].notna().all(axis=1)]


def validate_agent_roles(raw: pd.DataFrame, team_ids: set[str]) -> pd.DataFrame:
    to_text = clean_text(raw["valid_to"])
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "agent_id": clean_text(raw["agent_id"]),
            "role": clean_code(raw["role"]),
            "team_id": clean_text(raw["team_id"]),
            "valid_from": parse_date(raw["valid_from"]),
            "valid_to": parse_date(raw["valid_to"]),
        }
    )
    valid = (
        rows["agent_id"].notna()
        & rows["role"].isin(ROLES)
        & (rows["team_id"].isna() | rows["team_id"].isin(team_ids))
        & rows["valid_from"].notna()
        & (to_text.isna() | (rows["valid_to"].notna() & (rows["valid_to"] > rows["valid_from"])))
    )
    rows = rows[valid].sort_values(["agent_id", "valid_from", "_row"])
    # Overlapping periods of one person: the later-starting row (ties: later in file order)
    # is rejected.
    kept: list[int] = []
    covered_until: dict[str, pd.Timestamp | None] = {}
    for index, agent_id, valid_from, valid_to in zip(
        rows.index, rows["agent_id"], rows["valid_from"], rows["valid_to"], strict=True
    ):
        if agent_id in covered_until:
            until = covered_until[agent_id]
            if until is None or valid_from < until:
                continue
        covered_until[agent_id] = None if pd.isna(valid_to) else valid_to
        kept.append(index)
    return rows.loc[kept]


def validate_agents(raw: pd.DataFrame) -> pd.DataFrame:
    termination_text = clean_text(raw["termination_date"])
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "agent_id": clean_text(raw["agent_id"]),
            "hire_date": parse_date(raw["hire_date"]),
            "termination_date": parse_date(raw["termination_date"]),
        }
    )
    valid = (
        rows["agent_id"].notna()
        & rows["hire_date"].notna()
        & (
            termination_text.isna()
            | (
                rows["termination_date"].notna()
                & (rows["termination_date"] >= rows["hire_date"])  # last day employed
            )
        )
    )
    return rows[valid]


def validate_qa_evaluations(raw: pd.DataFrame, ticket_ids: set[str]) -> pd.DataFrame:
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "evaluation_id": clean_text(raw["evaluation_id"]),
            "agent_id": clean_text(raw["agent_id"]),
            "ticket_id": clean_text(raw["ticket_id"]),
            "evaluated_at": parse_timestamp(raw["evaluated_at"]),
            "score": parse_number(raw["score"], DECIMAL_PATTERN),
        }
    )
    valid = (
        rows["evaluation_id"].notna()
        & rows["agent_id"].notna()
        & rows["evaluated_at"].notna()
        & rows["score"].between(0, 100)
        & (rows["ticket_id"].isna() | rows["ticket_id"].isin(ticket_ids))
    )
    return rows[valid]


def fx_rates() -> dict[tuple[str, pd.Timestamp], float]:
    """(currency, first day of month) -> rate_to_reporting."""
    seed = read_seed("fx_rates")
    return {
        (currency.strip().upper(), pd.Timestamp(month)): float(rate)
        for currency, month, rate in zip(
            seed["currency"], seed["month"], seed["rate_to_reporting"], strict=True
        )
    }


def rate_to_reporting(
    rates: dict[tuple[str, pd.Timestamp], float], currency: str, month: pd.Timestamp
) -> float | None:
    """The rate of (currency, month); 1 for the reporting currency; None when missing."""
    if currency == REPORTING_CURRENCY:
        return 1.0
    return rates.get((currency, month))


def validate_costs(
    raw: pd.DataFrame, team_ids: set[str], rates: dict[tuple[str, pd.Timestamp], float]
) -> pd.DataFrame:
    currency = clean_text(raw["currency"])
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "cost_month": parse_date(raw["cost_month"]),
            "team_id": clean_text(raw["team_id"]),
            "category": clean_code(raw["category"]),
            "amount": parse_number(raw["amount"], DECIMAL_PATTERN),
            "currency": currency.str.upper(),
        }
    )
    rows["month"] = rows["cost_month"].dt.to_period("M").dt.start_time
    rows["rate"] = [
        np.nan if pd.isna(code) or pd.isna(month) else rate_to_reporting(rates, code, month)
        for code, month in zip(rows["currency"], rows["month"], strict=True)
    ]
    rows["rate"] = rows["rate"].astype(float)  # None (no rate) -> NaN
    valid = (
        rows["cost_month"].notna()
        & (rows["team_id"].isna() | rows["team_id"].isin(team_ids))
        & rows["category"].isin(COST_CATEGORIES)
        & rows["amount"].notna()
        & matches(currency, r"[A-Za-z]{3}")
        & rows["rate"].notna()  # a currency with no exchange rate for its month
    )
    rows = rows[valid].copy()
    rows["amount_reporting"] = rows["amount"] * rows["rate"]
    return rows


def reject_overlaps(rows: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Of two overlapping intervals of one agent the later-starting (ties: later in file
    order) is rejected: a row is rejected when it starts before the end of any
    earlier-starting valid row of the agent."""
    ordered = rows.sort_values(["agent_id", start, "_row"])
    earlier_end = ordered.groupby("agent_id")[end].transform(lambda ends: ends.cummax().shift())
    kept = earlier_end.isna() | (ordered[start] >= earlier_end)
    return ordered[kept].sort_values("_row")


def validate_intervals(
    raw: pd.DataFrame, start: str, end: str, kind: str, allowed: set[str]
) -> pd.DataFrame:
    """schedules (activity) and agent_states (state): one agent's timed intervals."""
    rows = pd.DataFrame(
        {
            "_row": raw["_row"],
            "agent_id": clean_text(raw["agent_id"]),
            "start": parse_timestamp(raw[start]),
            "end": parse_timestamp(raw[end]),
            "kind": clean_code(raw[kind]),
        }
    )
    valid = (
        rows["agent_id"].notna()
        & rows["start"].notna()
        & rows["end"].notna()
        & (rows["end"] > rows["start"])
        & rows["kind"].isin(allowed)
    )
    return reject_overlaps(rows[valid], "start", "end")


# --------------------------------------------------------------------------------------
# The ticket's derived fields (kpis.md)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """The valid, deduplicated rows the recomputation needs."""

    as_of_date: date
    as_of_end: pd.Timestamp
    window_start: pd.Timestamp
    tickets: pd.DataFrame  # deduplicated, created_at <= as_of_end
    events: pd.DataFrame  # deduplicated, event_at <= as_of_end, in event order
    surveys: pd.DataFrame  # deduplicated
    accounts: pd.DataFrame
    teams: pd.DataFrame
    agent_roles: pd.DataFrame
    agents: pd.DataFrame  # deduplicated
    qa_evaluations: pd.DataFrame  # deduplicated
    costs: pd.DataFrame  # with amount_reporting
    schedules: pd.DataFrame  # agent_id, start, end, kind (= activity)
    agent_states: pd.DataFrame  # agent_id, start, end, kind (= state)
    accounting: dict[str, Accounting]


def load_raw(raw_dir: Path) -> Raw:
    raw_tickets = read_raw(raw_dir, "tickets")
    valid_tickets = validate_tickets(raw_tickets)
    ticket_ids = set(valid_tickets["ticket_id"])

    raw_events = read_raw(raw_dir, "ticket_events")
    valid_events = validate_events(raw_events, ticket_ids)
    events = first_in_file_order(valid_events, "event_id")

    as_of_date = events["event_at"].max().date()
    as_of_end = pd.Timestamp(as_of_date) + pd.Timedelta(days=1) - pd.Timedelta(milliseconds=1)
    window_start = valid_tickets["created_at"].min().to_period("M").start_time

    tickets = deduplicate_tickets(valid_tickets, as_of_end)
    raw_surveys = read_raw(raw_dir, "surveys")
    valid_surveys = validate_surveys(raw_surveys, ticket_ids)
    surveys = deduplicate_surveys(valid_surveys, as_of_end)

    raw_accounts = read_raw(raw_dir, "accounts")
    valid_accounts = validate_accounts(raw_accounts)
    accounts = first_in_file_order(valid_accounts, "account_id")

    raw_teams = read_raw(raw_dir, "teams")
    valid_teams = validate_teams(raw_teams)
    teams = first_in_file_order(valid_teams, "team_id")
    raw_roles = read_raw(raw_dir, "agent_roles")
    agent_roles = validate_agent_roles(raw_roles, set(valid_teams["team_id"]))
    raw_agents = read_raw(raw_dir, "agents")
    valid_agents = validate_agents(raw_agents)
    agents = first_in_file_order(valid_agents, "agent_id")

    raw_qa = read_raw(raw_dir, "qa_evaluations")
    valid_qa = validate_qa_evaluations(raw_qa, ticket_ids)
    qa_evaluations = first_in_file_order(valid_qa, "evaluation_id")
    raw_costs = read_raw(raw_dir, "costs")
    costs = validate_costs(raw_costs, set(valid_teams["team_id"]), fx_rates())
    raw_schedules = read_raw(raw_dir, "schedules")
    schedules = validate_intervals(
        raw_schedules, "segment_start", "segment_end", "activity", SCHEDULE_ACTIVITIES
    )
    raw_states = read_raw(raw_dir, "agent_states")
    agent_states = validate_intervals(raw_states, "state_start", "state_end", "state", AGENT_STATES)

    return Raw(
        as_of_date=as_of_date,
        as_of_end=as_of_end,
        window_start=window_start,
        tickets=tickets[tickets["created_at"] <= as_of_end].reset_index(drop=True),
        events=events[events["event_at"] <= as_of_end]
        .sort_values(["ticket_id", "event_at", "event_id"])
        .reset_index(drop=True),
        surveys=surveys,
        accounts=accounts,
        teams=teams,
        agent_roles=agent_roles,
        agents=agents,
        qa_evaluations=qa_evaluations,
        costs=costs,
        schedules=schedules,
        agent_states=agent_states,
        accounting={
            "tickets": accounting(raw_tickets, valid_tickets, tickets),
            "ticket_events": accounting(raw_events, valid_events, events),
            "surveys": accounting(raw_surveys, valid_surveys, surveys),
            "accounts": accounting(raw_accounts, valid_accounts, accounts),
            "teams": accounting(raw_teams, valid_teams, teams),
            "agent_roles": accounting(raw_roles, agent_roles, agent_roles),
            "agents": accounting(raw_agents, valid_agents, agents),
            "qa_evaluations": accounting(raw_qa, valid_qa, qa_evaluations),
            "costs": accounting(raw_costs, costs, costs),
            "schedules": accounting(raw_schedules, schedules, schedules),
            "agent_states": accounting(raw_states, agent_states, agent_states),
        },
    )


@dataclass
class Lifecycle:
    """What one ticket's events say, in event order."""

    is_open: bool = False
    closed_at: pd.Timestamp | None = None
    closing_position: int = -1
    closing_agent: str | None = None
    first_reply_at: pd.Timestamp | None = None
    first_reply_position: int = -1
    reopen_count: int = 0
    handle_seconds: float = 0.0
    escalated: bool = False
    customer_reply_positions: tuple[int, ...] = ()
    assignments: tuple[tuple[pd.Timestamp, str | None], ...] = ()


def replay_events(events: pd.DataFrame) -> dict[str, Lifecycle]:
    """Replay each ticket's events (already in event order)."""
    lifecycles: dict[str, Lifecycle] = defaultdict(Lifecycle)
    positions: Counter[str] = Counter()
    for ticket_id, event_at, event_type, agent_id, handle_seconds in zip(
        events["ticket_id"],
        events["event_at"],
        events["event_type"],
        events["agent_id"],
        events["handle_seconds"],
        strict=True,
    ):
        life = lifecycles[ticket_id]
        position = positions[ticket_id]
        positions[ticket_id] += 1
        agent = None if pd.isna(agent_id) else agent_id
        life.handle_seconds += float(handle_seconds)
        if event_type in OPENING_EVENTS:
            life.is_open = True
        elif event_type in CLOSING_EVENTS and life.is_open:
            life.is_open = False
            life.closed_at, life.closing_position, life.closing_agent = event_at, position, agent
        if event_type == "reopened":
            life.reopen_count += 1
        elif event_type == "escalated":
            life.escalated = True
        elif event_type == "agent_reply" and life.first_reply_at is None:
            life.first_reply_at, life.first_reply_position = event_at, position
        elif event_type == "customer_reply":
            life.customer_reply_positions += (position,)
        elif event_type == "assigned":
            life.assignments += ((event_at, agent),)
    return lifecycles


def latest_assignee(life: Lifecycle, at_or_before: pd.Timestamp) -> str | None:
    assignee = None
    for assigned_at, agent in life.assignments:
        if assigned_at <= at_or_before:
            assignee = agent
    return assignee


def has_follow_up(life: Lifecycle) -> bool:
    """A customer_reply between the first agent_reply and the solve, in event order (before
    the solve when there is no agent reply)."""
    return any(
        life.first_reply_position < position < life.closing_position
        for position in life.customer_reply_positions
    )


def derive_tickets(raw: Raw) -> pd.DataFrame:
    """One row per ticket with the fields the KPIs need."""
    lifecycles = replay_events(raw.events)
    tickets = raw.tickets.copy()
    lives = [lifecycles.get(ticket_id, Lifecycle()) for ticket_id in tickets["ticket_id"]]

    def closed_at(life: Lifecycle) -> pd.Timestamp | None:
        return None if life.is_open or life.closed_at is None else life.closed_at

    tickets["final_solved_at"] = pd.to_datetime(
        pd.Series([closed_at(life) for life in lives], index=tickets.index, dtype=object)
    ).astype("datetime64[us]")
    tickets["first_reply_at"] = pd.to_datetime(
        pd.Series([life.first_reply_at for life in lives], index=tickets.index, dtype=object)
    ).astype("datetime64[us]")
    tickets["reopen_count"] = [life.reopen_count for life in lives]
    tickets["handle_seconds"] = [life.handle_seconds for life in lives]
    tickets["escalated"] = [life.escalated for life in lives]
    tickets["follow_up"] = [has_follow_up(life) for life in lives]
    is_solved = tickets["final_solved_at"].notna()

    owners: list[str | None] = []
    for life, solved_at in zip(lives, tickets["final_solved_at"], strict=True):
        if pd.notna(solved_at) and life.closing_agent is not None:
            owners.append(life.closing_agent)
        else:
            owners.append(
                latest_assignee(life, solved_at if pd.notna(solved_at) else raw.as_of_end)
            )
    tickets["owner_agent_id"] = owners
    tickets["attribution_date"] = (
        tickets["final_solved_at"].fillna(pd.Timestamp(raw.as_of_date)).dt.normalize()
    )

    # SLA: policy by (contract tier, severity); unknown or null account = standard.
    tier_by_account = dict(
        zip(raw.accounts["account_id"], raw.accounts["contract_tier"], strict=True)
    )
    tickets["contract_tier"] = tickets["account_id"].map(tier_by_account).fillna("standard")
    policies = read_seed("sla_policies")
    policy_minutes = {
        (tier, int(severity)): int(minutes)
        for tier, severity, minutes in zip(
            policies["contract_tier"],
            policies["severity"],
            policies["resolution_target_minutes"],
            strict=True,
        )
    }
    minutes = [
        policy_minutes[(tier, severity)]
        for tier, severity in zip(tickets["contract_tier"], tickets["severity"], strict=True)
    ]
    tickets["due_at"] = tickets["created_at"] + pd.to_timedelta(minutes, unit="m")
    met = is_solved & (tickets["final_solved_at"] <= tickets["due_at"])
    breached = ~met & (tickets["due_at"] <= raw.as_of_end)
    tickets["sla_met"] = met
    tickets["sla_outcome_at"] = tickets["final_solved_at"].where(met, tickets["due_at"])
    tickets.loc[~met & ~breached, "sla_outcome_at"] = pd.NaT

    # Driver and FCR.
    drivers = read_seed("contact_drivers")
    driver_by_reason = dict(
        zip(
            drivers["contact_reason"].str.strip().str.lower(),
            drivers["driver"].str.strip(),
            strict=True,
        )
    )
    tickets["driver"] = tickets["contact_reason"].map(driver_by_reason).fillna("unclassified")
    tickets["repeat_contact"] = repeat_contacts(tickets, raw.as_of_end)
    tickets["is_fcr"] = (
        is_solved
        & (tickets["reopen_count"] == 0)
        & ~tickets["follow_up"]
        & ~tickets["repeat_contact"]
    )
    return tickets


def repeat_contacts(tickets: pd.DataFrame, as_of_end: pd.Timestamp) -> pd.Series:
    """Another ticket of the same requester and driver created in (final_solved_at,
    final_solved_at + window] and at or before as_of_end."""
    solved = tickets.loc[
        tickets["final_solved_at"].notna(),
        ["ticket_id", "requester_id", "driver", "final_solved_at"],
    ]
    others = tickets[["ticket_id", "requester_id", "driver", "created_at"]].rename(
        columns={"ticket_id": "other_id"}
    )
    pairs = solved.merge(others, on=["requester_id", "driver"])
    window = pd.Timedelta(days=FCR_REPEAT_WINDOW_DAYS)
    repeats = pairs[
        (pairs["other_id"] != pairs["ticket_id"])
        & (pairs["created_at"] > pairs["final_solved_at"])
        & (pairs["created_at"] <= pairs["final_solved_at"] + window)
        & (pairs["created_at"] <= as_of_end)
    ]
    return tickets["ticket_id"].isin(set(repeats["ticket_id"]))


# --------------------------------------------------------------------------------------
# KPI components
# --------------------------------------------------------------------------------------


def period_starts(stamps: pd.Series, grain: str) -> pd.Series:
    code = {"month": "M", "quarter": "Q"}[grain]
    return stamps.dt.to_period(code).dt.start_time.dt.date


def components(
    kpi_id: str,
    stamps: pd.Series,
    numerator: pd.Series,
    *,
    total: bool,
    raw: Raw,
    grain: str,
) -> KpiValues:
    """Sum the numerator and count the facts per period; facts outside [window_start,
    as_of_end] or without a stamp are not reported."""
    inside = stamps.notna() & (stamps >= raw.window_start) & (stamps <= raw.as_of_end)
    frame = pd.DataFrame(
        {"period": period_starts(stamps[inside], grain), "numerator": numerator[inside]}
    )
    grouped = frame.groupby("period")["numerator"].agg(["sum", "count"])
    return {
        (kpi_id, period): (float(row["sum"]), None if total else float(row["count"]))
        for period, row in grouped.iterrows()
    }


def backlog_components(tickets: pd.DataFrame, raw: Raw, grain: str) -> KpiValues:
    """Open tickets at each period's snapshot least(period end 23:59:59.999, as_of_end)."""
    transitions = raw.events[raw.events["event_type"].isin(OPENING_EVENTS | CLOSING_EVENTS)]
    code = {"month": "M", "quarter": "Q"}[grain]
    periods = pd.period_range(raw.window_start, pd.Timestamp(raw.as_of_date), freq=code)
    values: KpiValues = {}
    for period in periods:
        snapshot = min(period.end_time.floor("ms"), raw.as_of_end)  # period end 23:59:59.999
        last = transitions[transitions["event_at"] <= snapshot].groupby("ticket_id").tail(1)
        open_ids = set(last.loc[last["event_type"].isin(OPENING_EVENTS), "ticket_id"])
        backlog = tickets[tickets["ticket_id"].isin(open_ids) & (tickets["created_at"] <= snapshot)]
        if backlog.empty:
            continue
        aged = int((snapshot - backlog["created_at"] >= pd.Timedelta(hours=48)).sum())
        start = period.start_time.date()
        values[("backlog_open", start)] = (float(len(backlog)), None)
        values[("backlog_over_48h_rate", start)] = (float(aged), float(len(backlog)))
    return values


def ticket_components(tickets: pd.DataFrame, raw: Raw, grain: str) -> KpiValues:
    solved = tickets[tickets["final_solved_at"].notna()]
    replied = tickets[tickets["first_reply_at"].notna()]
    outcome = tickets[tickets["sla_outcome_at"].notna()]
    values: KpiValues = {}
    values |= components(
        "ticket_volume",
        tickets["created_at"],
        pd.Series(1.0, index=tickets.index),
        total=True,
        raw=raw,
        grain=grain,
    )
    values |= components(
        "first_response_minutes",
        replied["first_reply_at"],
        (replied["first_reply_at"] - replied["created_at"]).dt.total_seconds() / 60,
        total=False,
        raw=raw,
        grain=grain,
    )
    solved_numerators = {
        "resolution_hours": (solved["final_solved_at"] - solved["created_at"]).dt.total_seconds()
        / 3600,
        "fcr_rate": solved["is_fcr"].astype(float),
        "aht_minutes": solved["handle_seconds"] / 60,
        "escalation_rate": solved["escalated"].astype(float),
    }
    for kpi_id, numerator in solved_numerators.items():
        values |= components(
            kpi_id, solved["final_solved_at"], numerator, total=False, raw=raw, grain=grain
        )
    values |= components(
        "sla_attainment",
        outcome["sla_outcome_at"],
        outcome["sla_met"].astype(float),
        total=False,
        raw=raw,
        grain=grain,
    )
    for severity in range(1, 5):
        of_severity = outcome[outcome["severity"] == severity]
        values |= components(
            f"sla_attainment_sev{severity}",
            of_severity["sla_outcome_at"],
            of_severity["sla_met"].astype(float),
            total=False,
            raw=raw,
            grain=grain,
        )
    return values | backlog_components(tickets, raw, grain)


def survey_components(tickets: pd.DataFrame, raw: Raw, grain: str) -> KpiValues:
    surveys = raw.surveys
    csat = surveys[
        (surveys["survey_type"] == "csat") & surveys["ticket_id"].isin(tickets["ticket_id"])
    ]
    ces = surveys[
        (surveys["survey_type"] == "ces") & surveys["ticket_id"].isin(tickets["ticket_id"])
    ]
    nps = surveys[surveys["survey_type"] == "nps"]
    nps_points = (nps["score"] >= 9).astype(float) - (nps["score"] <= 6).astype(float)
    values: KpiValues = {}
    values |= components(
        "csat", csat["responded_at"], csat["score"], total=False, raw=raw, grain=grain
    )
    values |= components(
        "dsat_rate",
        csat["responded_at"],
        (csat["score"] <= 2).astype(float),
        total=False,
        raw=raw,
        grain=grain,
    )
    values |= components(
        "ces", ces["responded_at"], ces["score"], total=False, raw=raw, grain=grain
    )
    values |= components("nps", nps["responded_at"], nps_points, total=False, raw=raw, grain=grain)
    return values


def team_on_dates(agent_roles: pd.DataFrame, agents: pd.Series, dates: pd.Series) -> pd.Series:
    """The team of each (agent, date) from agent_roles (valid_from <= date < valid_to);
    `unassigned` for no agent, no role that day, or a role without a team."""
    facts = pd.DataFrame(
        {"agent_id": agents.values, "on": dates.values, "_fact": range(len(agents))}
    )
    pairs = facts.merge(agent_roles, on="agent_id")
    covering = pairs[
        (pairs["valid_from"] <= pairs["on"])
        & (pairs["valid_to"].isna() | (pairs["on"] < pairs["valid_to"]))
        & pairs["role"].isin(TEAM_ROLES)
        & pairs["team_id"].notna()
    ]
    team_by_fact = dict(zip(covering["_fact"], covering["team_id"], strict=True))
    return pd.Series(
        [team_by_fact.get(fact, UNASSIGNED) for fact in range(len(agents))], index=agents.index
    )


# --------------------------------------------------------------------------------------
# QA, HR, finance and WFM KPIs (director level, month grain)
# --------------------------------------------------------------------------------------


def report_months(raw: Raw) -> list[pd.Period]:
    """The months from window_start to as_of_date's month."""
    return list(pd.period_range(raw.window_start, pd.Timestamp(raw.as_of_date), freq="M"))


def month_components(
    kpi_id: str,
    numerators: dict[date, float],
    denominators: dict[date, float] | None,
) -> KpiValues:
    """One row per month with a fact in the numerator or the denominator; a side without a
    fact is 0. Totals (denominators None) have a null denominator."""
    months = set(numerators) | set(denominators or {})
    return {
        (kpi_id, month): (
            float(numerators.get(month, 0.0)),
            None if denominators is None else float(denominators.get(month, 0.0)),
        )
        for month in months
    }


def qa_components(raw: Raw) -> KpiValues:
    qa = raw.qa_evaluations
    return components(
        "qa_score", qa["evaluated_at"], qa["score"], total=False, raw=raw, grain="month"
    )


def attrition_components(raw: Raw) -> KpiValues:
    """Frontline leavers / frontline headcount days, both in [window_start, as_of_date]."""
    first_day, last_day = raw.window_start, pd.Timestamp(raw.as_of_date)
    agents, roles = raw.agents, raw.agent_roles

    # Leavers: termination in the window; the last role row that started on or before the
    # termination date is frontline.
    terminated = agents[agents["termination_date"].between(first_day, last_day)]
    pairs = terminated.merge(roles, on="agent_id")
    pairs = pairs[pairs["valid_from"] <= pairs["termination_date"]]
    last_roles = pairs.sort_values("valid_from").groupby("agent_id").tail(1)
    leavers = last_roles[last_roles["role"].isin(FRONTLINE_ROLES)]
    leaver_counts = Counter(period_starts(leavers["termination_date"], "month"))

    # Headcount days: employed (hire_date..termination_date inclusive) and holding a frontline
    # role that day (valid_from <= day < valid_to); roles of one person do not overlap.
    frontline = roles[roles["role"].isin(FRONTLINE_ROLES)].merge(agents, on="agent_id")
    open_end = pd.Timestamp.max.normalize()
    start = frontline[["hire_date", "valid_from"]].max(axis=1)
    end = pd.concat(
        [
            frontline["termination_date"].fillna(open_end),
            (frontline["valid_to"] - pd.Timedelta(days=1)).fillna(open_end),
        ],
        axis=1,
    ).min(axis=1)
    headcount_days: dict[date, float] = {}
    for month in report_months(raw):
        month_first = max(month.start_time, first_day)
        month_last = min(month.end_time.normalize(), last_day)
        days = (end.clip(upper=month_last) - start.clip(lower=month_first)).dt.days + 1
        total = float(days.clip(lower=0).sum())
        if total > 0:
            headcount_days[month.start_time.date()] = total
    return month_components(
        "attrition_rate", {month: float(n) for month, n in leaver_counts.items()}, headcount_days
    )


def cost_components(tickets: pd.DataFrame, raw: Raw) -> KpiValues:
    """Every valid cost line of the month in the reporting currency, per ticket created that
    month and per account whose contract overlaps the whole calendar month."""
    months = report_months(raw)
    costs = raw.costs[
        (raw.costs["month"] >= raw.window_start) & (raw.costs["month"] <= raw.as_of_end)
    ]
    cost = {
        month.date(): float(amount)
        for month, amount in costs.groupby("month")["amount_reporting"].sum().items()
    }
    created = tickets["created_at"]
    created = created[(created >= raw.window_start) & (created <= raw.as_of_end)]
    ticket_counts = {
        month: float(n) for month, n in Counter(period_starts(created, "month")).items()
    }
    accounts = raw.accounts
    customers: dict[date, float] = {}
    for month in months:
        overlapping = (accounts["contract_start"] <= month.end_time.normalize()) & (
            accounts["contract_end"].isna() | (accounts["contract_end"] >= month.start_time)
        )
        if overlapping.any():
            customers[month.start_time.date()] = float(overlapping.sum())
    return month_components("cost_per_ticket", cost, ticket_counts) | month_components(
        "cost_per_customer", cost, customers
    )


def service_credit_components(tickets: pd.DataFrame, raw: Raw) -> KpiValues:
    """Breached tickets of known accounts: the policy's credit_per_breach, capped per account
    and month of outcome_at at monthly_credit_cap_pct x arr x rate / 12 (scaled by C / U
    when the uncapped sum U exceeds C); a null cap or no rate means no cap."""
    policies = read_seed("sla_policies")
    credit_per_breach = {
        (tier, int(severity)): float(credit)
        for tier, severity, credit in zip(
            policies["contract_tier"],
            policies["severity"],
            policies["credit_per_breach"],
            strict=True,
        )
    }
    cap_pct = {
        tier: (None if pd.isna(pct) else float(pct))
        for tier, pct in zip(
            policies["contract_tier"], policies["monthly_credit_cap_pct"], strict=True
        )
    }
    accounts = raw.accounts.set_index("account_id")
    breached = tickets[tickets["sla_outcome_at"].notna() & ~tickets["sla_met"]]
    breached = breached[
        breached["account_id"].isin(accounts.index)
        & (breached["sla_outcome_at"] >= raw.window_start)
        & (breached["sla_outcome_at"] <= raw.as_of_end)
    ].copy()
    breached["credit"] = [
        credit_per_breach[(tier, severity)]
        for tier, severity in zip(breached["contract_tier"], breached["severity"], strict=True)
    ]
    breached["month"] = breached["sla_outcome_at"].dt.to_period("M").dt.start_time
    rates = fx_rates()
    exposure: dict[date, float] = defaultdict(float)
    for (account_id, month), credits in breached.groupby(["account_id", "month"])["credit"]:
        account = accounts.loc[account_id]
        pct = cap_pct[account["contract_tier"]]
        rate = rate_to_reporting(rates, account["currency"], month)
        uncapped = float(credits.sum())
        credit = uncapped
        if pct is not None and rate is not None:
            cap = pct * float(account["arr"]) * rate / 12
            if uncapped > cap:
                credit = float((credits * (cap / uncapped)).sum())
        exposure[month.date()] += credit
    return month_components("service_credit_exposure", exposure, None)


def split_at_midnight(intervals: pd.DataFrame, raw: Raw) -> pd.DataFrame:
    """Intervals (start, end) cut at as_of_end and split at midnight UTC: one row per piece
    with its day; pieces on days before window_start are dropped."""
    cut = intervals.assign(end=intervals["end"].clip(upper=raw.as_of_end))
    cut = cut[cut["end"] > cut["start"]]
    first_days = cut["start"].dt.normalize()
    day_counts = (cut["end"].dt.normalize() - first_days).dt.days + 1
    pieces = cut.loc[cut.index.repeat(day_counts)].copy()
    offsets = pieces.groupby(level=0).cumcount()
    pieces["day"] = first_days.loc[pieces.index] + pd.to_timedelta(offsets, unit="D")
    pieces["start"] = pieces[["start", "day"]].max(axis=1)
    pieces["end"] = pd.concat([pieces["end"], pieces["day"] + pd.Timedelta(days=1)], axis=1).min(
        axis=1
    )
    pieces = pieces[(pieces["end"] > pieces["start"]) & (pieces["day"] >= raw.window_start)]
    return pieces.reset_index(drop=True)


def sum_by_month(days: pd.Series, amounts: pd.Series) -> dict[date, float]:
    frame = pd.DataFrame({"month": period_starts(days, "month"), "amount": amounts})
    return {month: float(total) for month, total in frame.groupby("month")["amount"].sum().items()}


def schedule_adherence_components(raw: Raw) -> KpiValues:
    """Minutes of scheduled non-time_off segments in which the agent's state matches the
    activity / scheduled minutes, per day of the piece."""
    segments = split_at_midnight(raw.schedules[raw.schedules["kind"] != "time_off"], raw)
    states = split_at_midnight(raw.agent_states, raw)
    segments["_segment"] = range(len(segments))
    pairs = segments.merge(states, on=["agent_id", "day"], suffixes=("", "_state"))
    adherent = np.array(
        [
            state in ADHERENT_STATES[activity]
            for activity, state in zip(pairs["kind"], pairs["kind_state"], strict=True)
        ],
        dtype=bool,
    )
    pairs = pairs[adherent]
    overlap = (
        pd.concat([pairs["end"], pairs["end_state"]], axis=1).min(axis=1)
        - pd.concat([pairs["start"], pairs["start_state"]], axis=1).max(axis=1)
    ).dt.total_seconds().clip(lower=0) / 60
    scheduled = (segments["end"] - segments["start"]).dt.total_seconds() / 60
    return month_components(
        "schedule_adherence",
        sum_by_month(pairs["day"], overlap),
        sum_by_month(segments["day"], scheduled),
    )


def headcount_efficiency_components(tickets: pd.DataFrame, raw: Raw) -> KpiValues:
    """Solved tickets (by final_solved_at) / productive hours (available, on_contact,
    after_contact; split at midnight)."""
    solved = tickets["final_solved_at"]
    solved = solved[(solved >= raw.window_start) & (solved <= raw.as_of_end)]
    productive = split_at_midnight(
        raw.agent_states[raw.agent_states["kind"].isin(PRODUCTIVE_STATES)], raw
    )
    hours = (productive["end"] - productive["start"]).dt.total_seconds() / 3600
    return month_components(
        "headcount_efficiency",
        {month: float(n) for month, n in Counter(period_starts(solved, "month")).items()},
        sum_by_month(productive["day"], hours),
    )


def director_month_components(tickets: pd.DataFrame, raw: Raw) -> KpiValues:
    return (
        qa_components(raw)
        | attrition_components(raw)
        | cost_components(tickets, raw)
        | service_credit_components(tickets, raw)
        | schedule_adherence_components(raw)
        | headcount_efficiency_components(tickets, raw)
    )


# --------------------------------------------------------------------------------------
# Fixtures over the recomputation
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recomputed:
    raw: Raw
    tickets: pd.DataFrame
    values: dict[str, KpiValues]  # by grain


@pytest.fixture(scope="module")
def recomputed(build: Build) -> Recomputed:
    raw = load_raw(build.raw_dir)
    tickets = derive_tickets(raw)
    values = {
        grain: ticket_components(tickets, raw, grain) | survey_components(tickets, raw, grain)
        for grain in ("month", "quarter")
    }
    values["month"] |= director_month_components(tickets, raw)
    return Recomputed(raw, tickets, values)


def cascade_values(build: Build, level: str, grain: str, kpi_ids: Iterable[str]) -> KpiValues:
    kpi_list = ", ".join(f"'{kpi_id}'" for kpi_id in kpi_ids)
    rows = fetch(
        build,
        f"""select kpi_id, period_start, numerator, denominator from marts.fct_kpi_cascade
        where level = '{level}' and period_grain = '{grain}' and kpi_id in ({kpi_list})""",
    )
    return {
        (kpi_id, pd.Timestamp(start).date()): (
            float(numerator),
            None if pd.isna(denominator) else float(denominator),
        )
        for kpi_id, start, numerator, denominator in rows.itertuples(index=False)
    }


def close(expected: float | None, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return abs(expected - actual) <= REL_TOLERANCE * max(1.0, abs(expected), abs(actual))


def differences(expected: KpiValues, actual: KpiValues) -> list[str]:
    problems = []
    for key in sorted(set(expected) | set(actual)):
        want, got = expected.get(key), actual.get(key)
        if want is None or got is None:
            problems.append(f"{key}: expected {want}, mart has {got}")
        elif not (close(want[0], got[0]) and close(want[1], got[1])):
            problems.append(f"{key}: expected (num, den) {want}, mart has {got}")
    return problems


# --------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------


def test_build_passes_every_test(build: Build) -> None:
    results = json.loads((build.target_dir / "run_results.json").read_text())["results"]
    by_kind = Counter(result["unique_id"].split(".")[0] for result in results)
    # Exposures are listed with status no-op: dbt has nothing to run for them.
    failed = [
        (result["unique_id"], result["status"])
        for result in results
        if result["status"] not in {"success", "pass"}
        and not (result["unique_id"].startswith("exposure.") and result["status"] == "no-op")
    ]
    assert failed == [], failed
    assert by_kind["exposure"] == 2, by_kind
    assert by_kind["model"] > 0 and by_kind["seed"] > 0, by_kind
    assert by_kind["test"] > 0 and by_kind["unit_test"] > 0, by_kind
    assert "ERROR=0" in build.result.output and "WARN=0" in build.result.output


def test_row_accounting_matches_generator(build: Build) -> None:
    bad_rows = json.loads((build.raw_dir / "_bad_rows.json").read_text())
    counts = fetch(build, "select * from marts.audit_row_counts").set_index("source_table")
    classes = fetch(
        build,
        """select source_table, rejection_class, count(*) as n from marts.audit_rejected_rows
        group by all""",
    )
    assert set(counts.index) == set(bad_rows)
    for table, expected in bad_rows.items():
        row = counts.loc[table]
        assert row["rows_read"] == expected["rows"], table
        assert (
            row["rows_read"] == row["rows_used"] + row["duplicates_dropped"] + row["rows_rejected"]
        ), table
        assert row["rows_rejected"] == expected["rejected_total"], table
        assert row["duplicates_dropped"] == sum(expected["duplicates"].values()), table
        of_table = classes[classes["source_table"] == table]
        assert (
            dict(zip(of_table["rejection_class"], of_table["n"], strict=True))
            == expected["rejected"]
        ), table


def test_recomputed_row_accounting_matches_audit(build: Build, recomputed: Recomputed) -> None:
    counts = fetch(build, "select * from marts.audit_row_counts").set_index("source_table")
    for table, expected in recomputed.raw.accounting.items():
        row = counts.loc[table]
        actual = Accounting(
            int(row["rows_read"]),
            int(row["rows_used"]),
            int(row["duplicates_dropped"]),
            int(row["rows_rejected"]),
        )
        assert actual == expected, table


def personal_values(raw_dir: Path) -> set[str]:
    sources = {
        "tickets": ("requester_email", "subject"),
        "surveys": ("comment",),
        "agents": ("email",),
    }
    values: set[str] = set()
    for table, columns in sources.items():
        frame = pd.read_parquet(raw_dir / f"{table}.parquet")
        for column in columns:
            values |= set(clean_text(optional_column(frame, column)).dropna())
    return values


def mart_text(build: Build) -> dict[str, str]:
    """Every distinct varchar value of every mart table, joined per table."""
    columns = fetch(
        build,
        """select table_name, column_name from information_schema.columns
        where table_schema = 'marts' and data_type = 'VARCHAR'""",
    )
    texts: dict[str, list[str]] = defaultdict(list)
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        for table, column in columns.itertuples(index=False):
            rows = connection.execute(
                f'select distinct "{column}" from marts."{table}" where "{column}" is not null'
            ).fetchall()
            texts[table].extend(row[0] for row in rows)
    return {table: "\x00".join(values) for table, values in texts.items()}


def test_no_personal_data_in_marts(build: Build) -> None:
    needles = personal_values(build.raw_dir)
    assert len(needles) > 100
    haystacks = mart_text(build)
    assert "fct_tickets" in haystacks and "audit_rejected_rows" in haystacks
    leaks = sorted(
        (table, needle) for table, text in haystacks.items() for needle in needles if needle in text
    )
    assert leaks == [], leaks[:20]


def test_periods_follow_window_and_as_of_date(build: Build, recomputed: Recomputed) -> None:
    """Periods start at window_start, end with the as_of_date's period, and are complete
    exactly when they end on or before as_of_date."""
    raw = recomputed.raw
    periods = fetch(
        build,
        """select distinct period_grain, period_start, period_end, is_complete_period
        from marts.fct_kpi_cascade""",
    )
    starts = pd.to_datetime(periods["period_start"])
    ends = pd.to_datetime(periods["period_end"])
    # A week or quarter may start before window_start; none ends before it.
    assert starts[periods["period_grain"] == "day"].min() >= raw.window_start
    assert ends.min() >= raw.window_start
    assert ends[periods["period_grain"] == "day"].max().date() == raw.as_of_date
    month_starts = starts[periods["period_grain"] == "month"]
    assert month_starts.min() == raw.window_start
    assert month_starts.max() == pd.Timestamp(raw.as_of_date).to_period("M").start_time
    expected_complete = ends.dt.date <= raw.as_of_date
    assert (periods["is_complete_period"] == expected_complete).all()


@pytest.mark.parametrize("kpi_id", DIRECTOR_KPIS + DIRECTOR_MONTH_KPIS)
def test_director_month_matches_recomputation(
    build: Build, recomputed: Recomputed, kpi_id: str
) -> None:
    expected = {key: value for key, value in recomputed.values["month"].items() if key[0] == kpi_id}
    actual = cascade_values(build, "director", "month", [kpi_id])
    assert expected, f"no recomputed facts for {kpi_id}"
    assert {key[1] for key in actual} == {key[1] for key in expected}, kpi_id
    assert differences(expected, actual) == []


@pytest.mark.parametrize("kpi_id", QUARTER_KPIS)
def test_director_quarter_matches_recomputation(
    build: Build, recomputed: Recomputed, kpi_id: str
) -> None:
    expected = {
        key: value for key, value in recomputed.values["quarter"].items() if key[0] == kpi_id
    }
    actual = cascade_values(build, "director", "quarter", [kpi_id])
    assert expected, f"no recomputed facts for {kpi_id}"
    assert differences(expected, actual) == []


def test_team_month_ticket_volume_matches_recomputation(
    build: Build, recomputed: Recomputed
) -> None:
    raw, tickets = recomputed.raw, recomputed.tickets
    tickets = tickets[
        (tickets["created_at"] >= raw.window_start) & (tickets["created_at"] <= raw.as_of_end)
    ]
    owner_team = team_on_dates(
        raw.agent_roles, tickets["owner_agent_id"], tickets["attribution_date"]
    )
    expected = (
        pd.DataFrame({"team": owner_team, "period": period_starts(tickets["created_at"], "month")})
        .value_counts()
        .to_dict()
    )
    actual_rows = fetch(
        build,
        """select entity_id, period_start, sum(numerator) as n from marts.fct_kpi_cascade
        where level = 'team' and period_grain = 'month' and kpi_id = 'ticket_volume'
        group by all""",
    )
    actual = {
        (team, pd.Timestamp(start).date()): int(n)
        for team, start, n in actual_rows.itertuples(index=False)
    }
    assert {team for team, _ in expected} - {UNASSIGNED} <= set(raw.teams["team_id"])
    mismatches = {
        key: (expected.get(key), actual.get(key))
        for key in set(expected) | set(actual)
        if expected.get(key) != actual.get(key)
    }
    assert mismatches == {}
