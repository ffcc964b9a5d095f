"""Bad input: every case is a tiny VALID raw set changed by ONE mutation, and the build
either goes on with the bad rows rejected with a reason and every other row intact, or
stops with a message that names the file (and the column or line).

Outcomes, asserted per case (each parametrized case shows its id):

* rejected: the bad line is in ``marts.audit_rejected_rows`` under its table and file row
  number, with the expected class and reason; its table's row counts are the baseline's
  plus that line and reconcile; its table's staging rows are the baseline's; the KPIs in
  ``fct_kpi_cascade`` are the baseline's.
* duplicate / used: a repeated key, an older export or a superseded response is dropped as
  a duplicate; a row stamped after the as-of date stays in staging and changes no KPI.
* accepted: a rewrite that keeps the meaning (BOM, CRLF, extra or reordered columns, a
  blank line, offsets for the same instant, non-ASCII and 100k-character text): nothing
  rejected, staging and KPIs as in the baseline, names and long text arrive intact.
* stopped: the build stops with a message naming the file and the column or line.
* staging: an absent optional column or a header-only file reads as the contract says.

How the builds are shared, to stay within a few minutes on two cores:

* The valid set is generated once (fixed seed, ``--bad-row-rate 0``: no bad row, which
  ``test_baseline_rejects_nothing`` checks) and read as CSV.
* dbt runs in-process (``dbtRunner``) on a manifest parsed once, always on the same raw
  folder and warehouse path (the sources' file locations and the database name are fixed
  at parse time): a start-up costs ~2 s instead of ~10 s.
* The baseline (the valid set) is built once: seeds, then every model the checks read.
* A stopped case runs only the staging model that reads the mutated file: the stop comes
  when that model is compiled. A staging case runs its table's staging models and the
  audit models on a copy of the baseline warehouse.
* The row-level cases share two builds instead of one each (~15 s a build: over ten
  minutes for all). In the ``rejected`` build every bad line is an EXTRA line, with fresh
  keys that no other row references, added to the valid files, whose lines stay as they
  are. So "the same data without the bad rows" is exactly the valid set, and the baseline
  is the comparison for every case of the build. In the ``accepted`` build every mutation
  keeps the meaning of the data, so the baseline is again the comparison (names aside).
  Each case is asserted on its own (its audit row, its table's counts and staging rows);
  the KPI comparison is one per build, asserted in each of its cases, and a KPI mismatch
  is traced to a table by the per-case staging checks.
* The as-of date is pinned to the baseline's own (the date of its latest event), so that
  a row stamped in the future cannot move it.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, DbtRun, generate_raw, query
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

# Small enough for a build in seconds, large enough for every KPI to have rows.
TINY_SET_ARGS = [
    *("--tickets", "300", "--months", "2", "--agents", "8", "--teams", "2"),
    *("--seed", "7", "--bad-row-rate", "0", "--quiet"),
]
# raw table -> (base model, staging model, key column), as macros/raw/raw_tables.sql
MODELS = {
    "accounts": ("base_crm__accounts", "stg_crm__accounts", "account_id"),
    "agents": ("base_hr__agents", "stg_hr__agents", "agent_id"),
    "agent_roles": ("base_hr__agent_roles", "stg_hr__agent_roles", None),
    "teams": ("base_hr__teams", "stg_hr__teams", "team_id"),
    "tickets": ("base_ticketing__tickets", "stg_ticketing__tickets", "ticket_id"),
    "ticket_events": ("base_ticketing__ticket_events", "stg_ticketing__ticket_events", "event_id"),
    "surveys": ("base_surveys__responses", "stg_surveys__responses", "response_id"),
    "qa_evaluations": ("base_qa__evaluations", "stg_qa__evaluations", "evaluation_id"),
    "schedules": ("base_wfm__schedules", "stg_wfm__schedules", None),
    "agent_states": ("base_wfm__agent_states", "stg_wfm__agent_states", None),
    "costs": ("base_finance__costs", "stg_finance__costs", None),
}
BUILD_SELECTION = [
    *("+fct_kpi_cascade", "+audit_rejected_rows", "+audit_row_counts"),
    *("+dim_agents", "+dim_teams", "+dim_accounts"),
]
AUDIT_MODELS = ["audit_rejected_rows", "audit_row_counts"]
FUTURE = "2031-01-06T10:00:00"
LONG_TEXT = "".join(str(index % 10) for index in range(99_990)) + " — ünïcödé"
NON_ASCII_NAME = "Zoë Ødegård-Łukasiewicz 山田 太郎"
NON_ASCII_TEAM = "Équipe Süd — 東京 🚀"
NON_ASCII_ACCOUNT = 'Müller & Söhne, "Ünïcode" GmbH — Ελληνικά'
NON_ASCII_SUBJECT = 'Rückerstattung für Zoë — 退款 🙂, "quoted",\nand a second line'


# ---------------------------------------------------------------------------------------
# Raw files, read and written in the generator's style (every value quoted, null empty),
# so that a rewrite changes nothing but the mutation (the fixture checks it).
# ---------------------------------------------------------------------------------------

Record = dict[str, str]


def format_record(values: list[str]) -> str:
    return ",".join('"' + value.replace('"', '""') + '"' if value else "" for value in values)


class RawFolder:
    def __init__(self, path: Path) -> None:
        self.path = path

    def file(self, table: str) -> Path:
        return self.path / f"{table}.csv"

    def read(self, table: str) -> tuple[list[str], list[list[str]]]:
        with self.file(table).open(newline="", encoding="utf-8") as handle:
            records = list(csv.reader(handle))
        return records[0], records[1:]

    def write(self, table: str, header: list[str], rows: list[list[str]]) -> None:
        text = "".join(format_record(values) + "\n" for values in [header, *rows])
        self.file(table).write_text(text, encoding="utf-8", newline="")

    def row(self, table: str, where: Callable[[Record], bool] | None = None) -> Record:
        header, rows = self.read(table)
        # Lines another case made malformed are no template.
        for values in (values for values in rows if len(values) == len(header)):
            record = dict(zip(header, values, strict=True))
            if where is None or where(record):
                return record
        raise AssertionError(f"no {table} row matches")

    def append(self, table: str, record: Record) -> None:
        self.append_text(table, format_record([record[name] for name in self.read(table)[0]]))

    def append_text(self, table: str, line: str) -> None:
        with self.file(table).open("a", encoding="utf-8", newline="") as handle:
            handle.write(line + "\n")

    def lines(self, table: str) -> list[str]:
        return self.file(table).read_text(encoding="utf-8").split("\n")

    def write_lines(self, table: str, lines: list[str]) -> None:
        self.file(table).write_text("\n".join(lines), encoding="utf-8", newline="")

    def insert_text(self, table: str, after_row: int, line: str) -> None:
        lines = self.lines(table)
        lines.insert(after_row + 1, line)
        self.write_lines(table, lines)

    def edit(self, table: str, column: str, change: Callable[[str], str]) -> None:
        header, rows = self.read(table)
        for values in rows:
            values[header.index(column)] = change(values[header.index(column)])
        self.write(table, header, rows)

    def set(self, table: str, where: Callable[[Record], bool], column: str, value: str) -> None:
        header, rows = self.read(table)
        for values in rows:
            if where(dict(zip(header, values, strict=True))):
                values[header.index(column)] = value
        self.write(table, header, rows)

    def drop_column(self, table: str, column: str) -> None:
        header, rows = self.read(table)
        keep = [index for index, name in enumerate(header) if name != column]
        self.write(table, [header[i] for i in keep], [[values[i] for i in keep] for values in rows])

    def transform_bytes(self, table: str, change: Callable[[bytes], bytes]) -> None:
        self.file(table).write_bytes(change(self.file(table).read_bytes()))

    def row_numbers(self, table: str, marker: Record) -> list[int]:
        """File rows (1-based, header excluded) holding every marker value; no marker: the
        lines of blanks only."""
        header, rows = self.read(table)

        def matches(values: list[str]) -> bool:
            if not marker:
                return bool(values) and not "".join(values).strip()
            return all(
                header.index(name) < len(values) and values[header.index(name)] == value
                for name, value in marker.items()
            )

        return [number for number, values in enumerate(rows, start=1) if matches(values)]


# ---------------------------------------------------------------------------------------
# dbt in-process, parsed once
# ---------------------------------------------------------------------------------------


def release_warehouse() -> None:
    """Closes the DuckDB database that dbt-duckdb keeps open in the process between runs,
    so that the file is complete on disk and free for copies and readers."""
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


class Project:
    """One raw folder and one warehouse path for every run, so that one parse serves all."""

    def __init__(self, work: Path, as_of_date: str) -> None:
        self.raw = RawFolder(work / "run" / "raw")
        self.warehouse = work / "run" / "scorecard.duckdb"
        self.vars = f'{{as_of_date: "{as_of_date}"}}'
        self.environment = {
            "DBT_PROFILES_DIR": str(PROJECT_ROOT),
            "SCORECARD_RAW_DIR": str(self.raw.path),
            "SCORECARD_RAW_FORMAT": "csv",
            "SCORECARD_DB": str(self.warehouse),
            "DBT_TARGET_PATH": str(work / "target"),
            "DBT_LOG_PATH": str(work / "logs"),
        }
        with self._environment():
            parsed = dbtRunner().invoke(["parse", "--quiet"])
        assert parsed.success, parsed.exception
        self.runner = dbtRunner(manifest=parsed.result)
        self.nodes_run = 0

    @contextmanager
    def _environment(self) -> Iterator[None]:
        saved = {name: os.environ.get(name) for name in self.environment}
        cwd = Path.cwd()
        os.environ.update(self.environment)
        # dbt-duckdb resolves paths from the working directory.
        os.chdir(PROJECT_ROOT)
        try:
            yield
        finally:
            os.chdir(cwd)
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value

    def invoke(self, command: str, *select: str) -> DbtRun:
        args = [command, "--quiet", "--vars", self.vars]
        if command in ("run", "build"):
            # Every case rewrites raw files under the baseline warehouse: a fresh build of
            # that input, not an incremental one (which would stop at a rewritten file).
            args.append("--full-refresh")
        if select:
            args += ["--select", *select]
        with self._environment():
            try:
                result = self.runner.invoke(args)
            finally:
                release_warehouse()
        messages = [str(result.exception)] if result.exception else []
        nodes = getattr(result.result, "results", [])
        messages += [str(node.message) for node in nodes if node.message]
        self.nodes_run = len(nodes)
        return DbtRun(0 if result.success else 1, "\n".join(messages))


# ---------------------------------------------------------------------------------------
# Row-level cases: one extra line each
# ---------------------------------------------------------------------------------------

Mutation = Callable[[RawFolder], None]


@dataclass(frozen=True)
class RowCase:
    """One extra raw line: rejected (class, reason), dropped as a duplicate, or used."""

    id: str
    table: str
    mutate: Mutation
    # values only the case's line holds (a function: taken from the valid data)
    marker: Record | Callable[[RawFolder], Record]
    outcome: str = "rejected"
    rejection_class: str = ""
    reason: str = ""
    # an exact copy also matches its original: the case's line is the last match
    copies: int = 1


def is_csat(row: Record) -> bool:
    return row["survey_type"] == "csat" and bool(row["ticket_id"])


def is_agent_reply(row: Record) -> bool:
    return row["event_type"] == "agent_reply"


def is_work(row: Record) -> bool:
    return row["activity"] == "work"


def appended(table: str, where: Callable[[Record], bool] | None = None, **values: str) -> Mutation:
    """Appends a copy of the first valid row (that `where` accepts) with other values."""
    return lambda raw: raw.append(table, {**raw.row(table, where), **values})


def value_case(
    table: str,
    key: str,
    column: str,
    value: str,
    rejection_class: str,
    reason: str = "",
    where: Callable[[Record], bool] | None = None,
    **other: str,
) -> RowCase:
    """A copy of a valid row with a fresh key (or marker) and one bad value."""
    key_column = MODELS[table][2] or ("amount" if table == "costs" else "agent_id")
    marker = {key_column: key} if key else (other or {column: value})
    if not reason:
        verb = "must be" if rejection_class == "out_of_range" else "is not"
        missing = rejection_class == "missing_required"
        reason = f"{column} is required" if missing else f"{column} '{value}' {verb}"
    return RowCase(
        f"{rejection_class}-{table}-{column}={value[:30]}",
        table,
        appended(table, where, **{**marker, column: value, **other}),
        marker,
        rejection_class=rejection_class,
        reason=reason,
    )


def malformed(
    name: str,
    table: str,
    key: str,
    line: Callable[[list[str]], str],
    reason: str,
    after: int | None = None,
) -> RowCase:
    """A line whose number of fields differs from the header's (at the end, or after a row)."""
    key_column = MODELS[table][2] or "agent_id"

    def mutate(raw: RawFolder) -> None:
        header, _ = raw.read(table)
        record = {**raw.row(table), key_column: key}
        text = line([record[name] for name in header])
        if after is None:
            raw.append_text(table, text)
        else:
            raw.insert_text(table, after, text)

    return RowCase(
        f"malformed-{name}-{table}",
        table,
        mutate,
        {key_column: key},
        rejection_class="malformed_row",
        reason=reason,
    )


def single_period_agent(raw: RawFolder) -> Record:
    """A frontline agent with one open role period: nothing later can overlap."""
    header, rows = raw.read("agent_roles")
    periods = [dict(zip(header, values, strict=True)) for values in rows]
    for period in periods:
        own = [other for other in periods if other["agent_id"] == period["agent_id"]]
        if period["role"] == "agent" and len(own) == 1 and not period["valid_to"]:
            return period
    raise AssertionError("no single-period agent")


def shifted(text: str, **delta: float) -> str:
    return (datetime.fromisoformat(text) + timedelta(**delta)).isoformat()


def as_utc(text: str) -> datetime:
    """A raw timestamp as naive UTC: with an offset converted, without one taken as UTC."""
    moment = datetime.fromisoformat(text)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def role_overlap_values(raw: RawFolder) -> Record:
    start = single_period_agent(raw)["valid_from"]
    return {"valid_from": shifted(start, days=3)[:10], "valid_to": shifted(start, days=4)[:10]}


def schedule_overlap_values(raw: RawFolder) -> Record:
    start = raw.row("schedules", is_work)["segment_start"]
    return {
        "segment_start": shifted(start, seconds=607),
        "segment_end": shifted(start, seconds=1207),
        "activity": "meeting",
    }


ROW_CASES: list[RowCase] = [
    # A line that does not split into the header's fields.
    malformed(
        "too-many-fields",
        "tickets",
        "TK-BAD-WIDE",
        lambda values: format_record(values) + ',"one more"',
        "has 12 fields where the header has 11",
    ),
    malformed(
        "too-few-fields",
        "ticket_events",
        "EV-BAD-NARROW",
        lambda values: format_record(values[:-1]),
        "has 6 fields where the header has 7",
    ),
    malformed(
        "mid-file",
        "agent_states",
        "A-BAD-RAGGED",
        lambda values: format_record(values[:2]),
        "line 12 has 2 fields where the header has 4",
        after=10,
    ),
    RowCase(
        "malformed-whitespace-line-schedules",
        "schedules",
        lambda raw: raw.insert_text("schedules", 5, "   "),
        {},
        rejection_class="malformed_row",
        reason="line 7 has 1 field where the header has 4",
    ),
    RowCase(
        "malformed-unquoted-thousands-separator-costs",
        "costs",
        lambda raw: raw.append_text("costs", '"2025-07-01","T01","other",1,234.50,"USD"'),
        {"amount": "1"},
        rejection_class="malformed_row",
        reason="has 6 fields where the header has 5",
    ),
    # tickets
    value_case("tickets", "TK-BAD-1", "created_at", "yesterday", "invalid_type"),
    value_case("tickets", "TK-BAD-2", "updated_at", "2025-02-30T10:00:00", "invalid_type"),
    value_case("tickets", "TK-BAD-3", "channel", "fax", "not_allowed"),
    value_case("tickets", "TK-BAD-4", "priority", "p9", "not_allowed"),
    value_case("tickets", "TK-BAD-5", "requester_id", "", "missing_required"),
    value_case("tickets", "", "ticket_id", "", "missing_required", requester_id="REQ-BAD-6"),
    # ticket_events (copies of an event of a valid ticket)
    value_case("ticket_events", "EV-BAD-1", "event_at", "2025-13-01T00:00:00", "invalid_type"),
    value_case(
        "ticket_events", "EV-BAD-2", "event_at", "2025-07-02T10:00:00+25:00", "invalid_type"
    ),
    value_case("ticket_events", "EV-BAD-3", "handle_seconds", "12.5", "invalid_type"),
    value_case("ticket_events", "EV-BAD-4", "handle_seconds", "9" * 20, "invalid_type"),
    value_case("ticket_events", "EV-BAD-5", "handle_seconds", "-5", "out_of_range"),
    value_case("ticket_events", "EV-BAD-6", "event_type", "merged", "not_allowed"),
    value_case("ticket_events", "EV-BAD-7", "tier", "t4", "not_allowed"),
    value_case("ticket_events", "EV-BAD-8", "ticket_id", "TK-NOPE", "unknown_ticket"),
    # 24:00 is the next midnight to DuckDB, no time to PostgreSQL's check and Spark.
    value_case("ticket_events", "EV-BAD-9", "event_at", "2025-07-02T24:00:00", "invalid_type"),
    # accounts
    value_case("accounts", "ACC-BAD-1", "arr", "1.234,56", "invalid_type"),
    value_case("accounts", "ACC-BAD-2", "arr", "-1", "out_of_range"),
    # Beyond the double range: infinity on DuckDB and Spark, a failed query on PostgreSQL.
    value_case("accounts", "ACC-BAD-7", "arr", "1e999", "invalid_type"),
    value_case("accounts", "ACC-BAD-3", "contract_start", "2025/01/01", "invalid_type"),
    value_case("accounts", "ACC-BAD-4", "currency", "EURO", "not_allowed"),
    value_case("accounts", "ACC-BAD-5", "segment", "huge", "not_allowed"),
    value_case(
        "accounts",
        "ACC-BAD-6",
        "contract_end",
        "2025-02-28",
        "end_not_after_start",
        "contract_end must be on or after contract_start",
        contract_start="2025-03-01",
    ),
    # agents
    value_case("agents", "A-BAD-1", "hire_date", "2025-02-29", "invalid_type"),
    value_case(
        "agents",
        "A-BAD-2",
        "termination_date",
        "2025-02-01",
        "end_not_after_start",
        "termination_date must be on or after hire_date",
        hire_date="2025-03-01",
    ),
    # agent_roles (no key: found by its values)
    value_case("agent_roles", "A-BAD-ROLE-1", "role", "ceo", "not_allowed"),
    value_case("agent_roles", "A-BAD-ROLE-2", "team_id", "T99", "unknown_team", role="agent"),
    value_case(
        "agent_roles",
        "A-BAD-ROLE-3",
        "valid_to",
        "2025-03-01",
        "end_not_after_start",
        "valid_to must be after valid_from",
        valid_from="2025-03-01",
    ),
    RowCase(
        "overlap-agent_roles",
        "agent_roles",
        lambda raw: raw.append(
            "agent_roles", {**single_period_agent(raw), **role_overlap_values(raw)}
        ),
        role_overlap_values,
        rejection_class="overlap",
        reason="role period starts before an earlier role period",
    ),
    # teams
    value_case("teams", "T-BAD-1", "director_id", "", "missing_required"),
    # surveys
    value_case(
        "surveys",
        "SR-BAD-1",
        "score",
        "6",
        "out_of_range",
        "between 1 and 5 for csat",
        where=is_csat,
    ),
    value_case("surveys", "SR-BAD-2", "score", "five", "invalid_type"),
    value_case("surveys", "SR-BAD-3", "survey_type", "xyz", "not_allowed"),
    value_case("surveys", "SR-BAD-4", "responded_at", "2025-07-01 25:00", "invalid_type"),
    value_case(
        "surveys",
        "SR-BAD-5",
        "ticket_id",
        "",
        "missing_required",
        "ticket_id is required for csat and ces responses",
        where=is_csat,
    ),
    value_case("surveys", "SR-BAD-6", "ticket_id", "TK-NOPE", "unknown_ticket", where=is_csat),
    # qa_evaluations
    value_case("qa_evaluations", "QA-BAD-1", "score", "101", "out_of_range"),
    value_case("qa_evaluations", "QA-BAD-2", "score", "NaN", "invalid_type"),
    value_case("qa_evaluations", "QA-BAD-4", "score", "1e-400", "invalid_type"),
    value_case("qa_evaluations", "QA-BAD-3", "evaluated_at", "", "missing_required"),
    # schedules (no key: found by its values)
    value_case(
        "schedules",
        "A-BAD-SCHEDULE-1",
        "segment_end",
        "2025-07-02T09:00:00",
        "end_not_after_start",
        "segment_end must be after segment_start",
        segment_start="2025-07-02T10:00:00",
    ),
    value_case("schedules", "A-BAD-SCHEDULE-2", "activity", "nap", "not_allowed"),
    value_case("schedules", "A-BAD-SCHEDULE-3", "segment_start", "tomorrow", "invalid_type"),
    RowCase(
        "overlap-schedules",
        "schedules",
        lambda raw: raw.append(
            "schedules", {**raw.row("schedules", is_work), **schedule_overlap_values(raw)}
        ),
        schedule_overlap_values,
        rejection_class="overlap",
        reason="schedule segment starts before an earlier schedule segment",
    ),
    # agent_states
    value_case("agent_states", "A-BAD-STATE-1", "state", "sleeping", "not_allowed"),
    value_case(
        "agent_states",
        "A-BAD-STATE-2",
        "state_end",
        "2025-07-02T10:00:00",
        "end_not_after_start",
        "state_end must be after state_start",
        state_start="2025-07-02T10:00:00",
    ),
    # costs (no key: found by a unique amount)
    value_case("costs", "", "amount", "abc", "invalid_type"),
    value_case("costs", "", "amount", "-1e999", "invalid_type"),
    value_case("costs", "11.11", "currency", "JPY", "no_fx_rate", "currency 'JPY' has no rate"),
    value_case("costs", "22.22", "team_id", "T99", "unknown_team"),
    value_case("costs", "33.33", "category", "bribes", "not_allowed"),
    value_case("costs", "44.44", "cost_month", "2025-07", "invalid_type"),
    # Repeated keys, older exports, superseded responses: dropped as duplicates.
    RowCase(
        "duplicate-ticket_events-exact-copy",
        "ticket_events",
        lambda raw: raw.append("ticket_events", raw.row("ticket_events", is_agent_reply)),
        lambda raw: {"event_id": raw.row("ticket_events", is_agent_reply)["event_id"]},
        outcome="duplicate",
        copies=2,
    ),
    RowCase(
        "duplicate-accounts-repeated-key",
        "accounts",
        appended("accounts", account_name="Repeated key, other name"),
        {"account_name": "Repeated key, other name"},
        outcome="duplicate",
    ),
    RowCase(
        "duplicate-tickets-older-export",
        "tickets",
        lambda raw: raw.append(
            "tickets",
            {**raw.row("tickets"), "updated_at": raw.row("tickets")["created_at"], "queue": "old"},
        ),
        {"queue": "old"},
        outcome="duplicate",
    ),
    RowCase(
        "duplicate-surveys-superseded-csat",
        "surveys",
        lambda raw: raw.append(
            "surveys",
            {
                **raw.row("surveys", is_csat),
                "response_id": "SR-SUPERSEDED",
                "responded_at": shifted(raw.row("surveys", is_csat)["responded_at"], seconds=-61),
            },
        ),
        {"response_id": "SR-SUPERSEDED"},
        outcome="duplicate",
    ),
    # Stamped after the as-of date: used (kept in staging), in no KPI period.
    RowCase(
        "future-tickets",
        "tickets",
        appended("tickets", ticket_id="TK-FUTURE", created_at=FUTURE, updated_at=FUTURE),
        {"ticket_id": "TK-FUTURE"},
        outcome="used",
    ),
    RowCase(
        "future-ticket_events",
        "ticket_events",
        appended("ticket_events", is_agent_reply, event_id="EV-FUTURE", event_at=FUTURE),
        {"event_id": "EV-FUTURE"},
        outcome="used",
    ),
    RowCase(
        "future-surveys-csat",
        "surveys",
        appended("surveys", is_csat, response_id="SR-FUTURE", responded_at=FUTURE, score="1"),
        {"response_id": "SR-FUTURE"},
        outcome="used",
    ),
]


# ---------------------------------------------------------------------------------------
# Rewrites that keep the meaning
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedCase:
    id: str
    table: str
    mutate: Mutation
    # columns of the table's staging model that change on purpose
    renamed: tuple[str, ...] = ()
    # (mart, key column, key, column) -> the value that must arrive intact
    arrives: dict[tuple[str, str, str, str], str] = field(default_factory=dict)


def same_instant(hours: int, minutes: int = 0) -> Callable[[str], str]:
    """A timestamp as the same instant in local time with the given offset."""
    offset = timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes)

    def change(value: str) -> str:
        if not value:
            return value
        local = as_utc(value) + offset
        sign = "-" if hours < 0 else "+"
        return f"{local.isoformat()}{sign}{abs(hours):02d}:{minutes:02d}"

    return change


def utc_with(suffix: str) -> Callable[[str], str]:
    """A timestamp as the same instant in UTC, spelled with a suffix such as Z."""
    return lambda value: as_utc(value).isoformat() + suffix if value else value


def edit_columns(table: str, columns: list[str], change: Callable[[str], str]) -> Mutation:
    def mutate(raw: RawFolder) -> None:
        for column in columns:
            raw.edit(table, column, change)

    return mutate


def add_column(table: str, name: str, first: bool) -> Mutation:
    def mutate(raw: RawFolder) -> None:
        header, rows = raw.read(table)
        extra = [f"x{number}" for number in range(len(rows))]
        if first:
            raw.write(
                table, [name, *header], [[extra[i], *values] for i, values in enumerate(rows)]
            )
        else:
            raw.write(
                table, [*header, name], [[*values, extra[i]] for i, values in enumerate(rows)]
            )

    return mutate


def reversed_columns(table: str) -> Mutation:
    def mutate(raw: RawFolder) -> None:
        header, rows = raw.read(table)
        raw.write(table, header[::-1], [values[::-1] for values in rows])

    return mutate


def set_value(table: str, key_column: str, key: str, column: str, value: str) -> Mutation:
    return lambda raw: raw.set(table, lambda row: row[key_column] == key, column, value)


def frontline_agent(raw: RawFolder) -> str:
    """The agent with the most replies: certain to have KPI rows."""
    header, rows = raw.read("ticket_events")
    events = [dict(zip(header, values, strict=True)) for values in rows]
    agents = [event["agent_id"] for event in events if is_agent_reply(event)]
    return max(sorted(set(agents)), key=agents.count)


def rename_frontline_agent(raw: RawFolder) -> None:
    agent_id = frontline_agent(raw)
    raw.set("agents", lambda row: row["agent_id"] == agent_id, "full_name", NON_ASCII_NAME)


def prefixed_bom(table: str) -> Mutation:
    return lambda raw: raw.transform_bytes(table, lambda data: b"\xef\xbb\xbf" + data)


def crlf(table: str) -> Mutation:
    return lambda raw: raw.transform_bytes(table, lambda data: data.replace(b"\n", b"\r\n"))


FRONTLINE = "<the first frontline agent>"
ACCEPTED_CASES: list[AcceptedCase] = [
    AcceptedCase("extra-column-first-agents", "agents", add_column("agents", "legacy_id", True)),
    AcceptedCase(
        "extra-column-last-qa_evaluations",
        "qa_evaluations",
        add_column("qa_evaluations", "reviewer_note", False),
    ),
    AcceptedCase("reordered-columns-costs", "costs", reversed_columns("costs")),
    AcceptedCase("blank-line-costs", "costs", lambda raw: raw.insert_text("costs", 3, "")),
    AcceptedCase(
        "offset-z-tickets",
        "tickets",
        edit_columns("tickets", ["created_at", "updated_at"], utc_with("Z")),
    ),
    AcceptedCase(
        "offset-plus-0200-ticket_events",
        "ticket_events",
        edit_columns("ticket_events", ["event_at"], same_instant(2)),
    ),
    AcceptedCase(
        "offset-minus-0500-schedules",
        "schedules",
        edit_columns("schedules", ["segment_start", "segment_end"], same_instant(-5)),
    ),
    AcceptedCase(
        "offset-plus-0530-surveys",
        "surveys",
        edit_columns("surveys", ["responded_at"], same_instant(5, 30)),
    ),
    AcceptedCase(
        "offset-fraction-z-agent_states",
        "agent_states",
        edit_columns("agent_states", ["state_start", "state_end"], utc_with(".000Z")),
    ),
    AcceptedCase(
        "offset-plus-0000-qa_evaluations",
        "qa_evaluations",
        edit_columns("qa_evaluations", ["evaluated_at"], utc_with("+00:00")),
    ),
    AcceptedCase(
        "non-ascii-subject-tickets",
        "tickets",
        set_value("tickets", "ticket_id", "TK-0000001", "subject", NON_ASCII_SUBJECT),
    ),
    AcceptedCase(
        "long-subject-tickets",
        "tickets",
        set_value("tickets", "ticket_id", "TK-0000002", "subject", LONG_TEXT),
    ),
    AcceptedCase(
        "long-comment-surveys",
        "surveys",
        set_value("surveys", "response_id", "SR-0000001", "comment", LONG_TEXT),
    ),
    AcceptedCase(
        "non-ascii-account_name-accounts",
        "accounts",
        set_value("accounts", "account_id", "ACC-00001", "account_name", NON_ASCII_ACCOUNT),
        renamed=("account_name",),
        arrives={("dim_accounts", "account_id", "ACC-00001", "account_name"): NON_ASCII_ACCOUNT},
    ),
    AcceptedCase(
        "long-account_name-accounts",
        "accounts",
        set_value("accounts", "account_id", "ACC-00002", "account_name", LONG_TEXT),
        renamed=("account_name",),
        arrives={("dim_accounts", "account_id", "ACC-00002", "account_name"): LONG_TEXT},
    ),
    AcceptedCase(
        "non-ascii-team_name-teams",
        "teams",
        set_value("teams", "team_id", "T01", "team_name", NON_ASCII_TEAM),
        renamed=("team_name",),
        arrives={
            ("dim_teams", "team_id", "T01", "team_name"): NON_ASCII_TEAM,
            ("fct_kpi_cascade", "entity_id", "T01", "entity_name"): NON_ASCII_TEAM,
        },
    ),
    AcceptedCase(
        "non-ascii-full_name-agents",
        "agents",
        rename_frontline_agent,
        renamed=("full_name",),
        arrives={
            ("dim_agents", "agent_id", FRONTLINE, "full_name"): NON_ASCII_NAME,
            ("fct_kpi_cascade", "entity_id", FRONTLINE, "entity_name"): NON_ASCII_NAME,
        },
    ),
    # Byte-level rewrites last: a later record-level rewrite of the file would undo them.
    AcceptedCase("bom-ticket_events", "ticket_events", prefixed_bom("ticket_events")),
    AcceptedCase("bom-agent_roles", "agent_roles", prefixed_bom("agent_roles")),
    AcceptedCase("crlf-teams", "teams", crlf("teams")),
    AcceptedCase("crlf-schedules", "schedules", crlf("schedules")),
]


# ---------------------------------------------------------------------------------------
# Files that cannot be read: the build stops
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StopCase:
    id: str
    table: str
    mutate: Mutation
    # texts the message must contain; {file} is the raw file's path
    expected: tuple[str, ...]


def missing_column(table: str, column: str) -> StopCase:
    return StopCase(
        f"missing-required-column-{table}-{column}",
        table,
        lambda raw: raw.drop_column(table, column),
        (f"Raw table '{table}' ({{file}}) is missing required column(s): {column}.",),
    )


def edit_line(table: str, line: int, change: Callable[[str], str]) -> Mutation:
    """Changes file line `line` (1-based, the header is line 1) as text."""

    def mutate(raw: RawFolder) -> None:
        lines = raw.lines(table)
        lines[line - 1] = change(lines[line - 1])
        raw.write_lines(table, lines)

    return mutate


def latin1_value(raw: RawFolder) -> None:
    lines = raw.file("accounts").read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b'","', '","Müller '.encode("latin-1"), 1)
    raw.file("accounts").write_bytes(b"\n".join(lines))


def duplicate_header_column(raw: RawFolder) -> None:
    header, rows = raw.read("teams")
    raw.write("teams", [*header, "Team_Name"], [[*values, values[1]] for values in rows])


def cannot_read(table: str, line: int, *more: str) -> tuple[str, ...]:
    return (f"Raw file {{file}} (raw table '{table}') cannot be read at line {line}", *more)


STOP_CASES: list[StopCase] = [
    StopCase(
        "empty-file-tickets",
        "tickets",
        lambda raw: raw.file("tickets").write_bytes(b""),
        ("Raw file {file} (raw table 'tickets') is empty",),
    ),
    StopCase(
        "empty-file-costs",
        "costs",
        lambda raw: raw.file("costs").write_bytes(b""),
        ("Raw file {file} (raw table 'costs') is empty",),
    ),
    StopCase(
        "unterminated-quote-mid-file-tickets",
        "tickets",
        edit_line("tickets", 6, lambda text: text.removesuffix('"')),
        cannot_read("tickets", 6),
    ),
    StopCase(
        "unterminated-quote-last-line-costs",
        "costs",
        lambda raw: raw.append_text("costs", '"2025-08-01","T01","labour","100.00","USD'),
        cannot_read("costs", 17, "unterminated quote"),
    ),
    StopCase(
        "stray-quote-costs",
        "costs",
        lambda raw: raw.append_text("costs", '"2025-08-01","T01,"labour","100.00","USD"'),
        cannot_read("costs", 17),
    ),
    StopCase(
        "text-after-closing-quote-agents",
        "agents",
        edit_line("agents", 4, lambda text: text.replace('","', '"x,"', 1)),
        cannot_read("agents", 4),
    ),
    StopCase(
        "not-utf8-accounts", "accounts", latin1_value, cannot_read("accounts", 5, "not utf-8")
    ),
    StopCase(
        "line-over-2mb-tickets",
        "tickets",
        set_value("tickets", "ticket_id", "TK-0000003", "subject", "x" * 2_100_000),
        cannot_read("tickets", 4, "Maximum line size"),
    ),
    StopCase(
        "semicolon-separated-costs",
        "costs",
        lambda raw: raw.transform_bytes("costs", lambda data: data.replace(b",", b";")),
        (
            "Raw table 'costs' ({file}) is missing required column(s): "
            "cost_month, team_id, category, amount, currency.",
        ),
    ),
    StopCase(
        "over-1000-malformed-lines-agent_states",
        "agent_states",
        lambda raw: raw.append_text(
            "agent_states", "\n".join(f'"A-BAD-{n}","x"' for n in range(1001))
        ),
        ("Raw file {file} (raw table 'agent_states') has more than 1000 lines that do not split",),
    ),
    StopCase(
        "duplicate-header-column-teams",
        "teams",
        duplicate_header_column,
        ("Raw table 'teams' ({file}) has the column 'team_name' more than once",),
    ),
    *[
        missing_column(table, column)
        for table, columns in [
            ("accounts", ["account_id", "arr"]),
            ("agents", ["agent_id", "hire_date"]),
            ("agent_roles", ["role", "valid_from"]),
            ("teams", ["team_id", "director_id"]),
            ("tickets", ["created_at", "requester_id"]),
            ("ticket_events", ["event_at", "ticket_id"]),
            ("surveys", ["response_id", "score"]),
            ("qa_evaluations", ["evaluation_id", "agent_id"]),
            ("schedules", ["segment_start", "activity"]),
            ("agent_states", ["agent_id", "state_end"]),
            ("costs", ["amount", "currency"]),
        ]
        for column in columns
    ],
]


# ---------------------------------------------------------------------------------------
# Session state: the valid set, the baseline and the two shared builds
# ---------------------------------------------------------------------------------------


@dataclass
class Build:
    warehouse: Path
    result: DbtRun
    row_numbers: dict[str, int] = field(default_factory=dict)
    kpi_differences: list[tuple] | None = None


@dataclass
class BadInput:
    work: Path
    valid: RawFolder
    project: Project
    baseline: Path
    builds: dict[str, Build] = field(default_factory=dict)

    def reset_raw(self) -> None:
        shutil.rmtree(self.project.raw.path, ignore_errors=True)
        shutil.copytree(self.valid.path, self.project.raw.path)

    def reset_warehouse(self) -> None:
        shutil.copyfile(self.baseline, self.project.warehouse)


@pytest.fixture(scope="session")
def bad_input(tmp_path_factory: pytest.TempPathFactory) -> BadInput:
    work = tmp_path_factory.mktemp("bad_input")
    generated_dir = work / "generated"
    generate_raw(generated_dir, TINY_SET_ARGS, "csv")
    valid = RawFolder(work / "valid")
    valid.path.mkdir()
    for table in MODELS:
        shutil.copyfile(generated_dir / f"{table}.csv", valid.file(table))
        # A rewrite of an unchanged file must give the same bytes, or a case would carry
        # a second change.
        original = valid.file(table).read_text(encoding="utf-8")
        valid.write(table, *valid.read(table))
        assert valid.file(table).read_text(encoding="utf-8") == original, table

    header, rows = valid.read("ticket_events")
    as_of_date = max(values[header.index("event_at")] for values in rows)[:10]
    project = Project(work, as_of_date)
    state = BadInput(work, valid, project, work / "baseline" / "scorecard.duckdb")
    state.reset_raw()
    seeded = project.invoke("seed")
    assert seeded.ok, seeded.output[-4000:]
    built = project.invoke("run", *BUILD_SELECTION)
    assert built.ok, built.output[-4000:]
    state.baseline.parent.mkdir()
    shutil.copyfile(project.warehouse, state.baseline)
    return state


def table_difference(
    warehouse: Path, baseline: Path, relation: str, exclude: tuple[str, ...] = ()
) -> tuple[int, int]:
    """Rows only in the build, and only in the baseline. `_loaded_at` (on incremental
    models) stamps the run that wrote a row, so it always differs between two builds."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(f"attach '{baseline}' as baseline (read_only)")
        columns = ", ".join(
            name
            for name, *_ in connection.execute(f"describe {relation}").fetchall()
            if name not in (*exclude, "_loaded_at")
        )
        mine = f"select {columns} from {relation}"
        theirs = f"select {columns} from baseline.{relation}"
        only_mine = connection.execute(f"select count(*) from ({mine} except all {theirs})")
        only_mine_count = only_mine.fetchone()[0]
        only_theirs = connection.execute(f"select count(*) from ({theirs} except all {mine})")
        return only_mine_count, only_theirs.fetchone()[0]


KPI_KEY = ["kpi_id", "period_grain", "period_start", "level", "entity_id", "parent_entity_id"]


def kpi_differences(warehouse: Path, baseline: Path, exclude: tuple[str, ...] = ()) -> list:
    """KPI rows (up to 10) on one side only or with another value. Doubles may differ in
    the last bits (sums in another order), so they are compared to 1e-9 relative."""
    relation = "marts.fct_kpi_cascade"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        connection.execute(f"attach '{baseline}' as baseline (read_only)")
        differs = ["mine.kpi_id is null", "theirs.kpi_id is null"]
        for name, kind, *_ in connection.execute(f"describe {relation}").fetchall():
            mine, theirs = f"mine.{name}", f"theirs.{name}"
            if name in KPI_KEY or name in exclude:
                continue
            if kind == "DOUBLE":
                differs.append(
                    f"({mine} is null) <> ({theirs} is null) or abs({mine} - {theirs})"
                    f" > 1e-9 * greatest(1, abs({mine}), abs({theirs}))"
                )
            else:
                differs.append(f"{mine} is distinct from {theirs}")
        matched = " and ".join(
            f"mine.{name} is not distinct from theirs.{name}" for name in KPI_KEY
        )
        keys = ", ".join(f"mine.{name}, theirs.{name}" for name in KPI_KEY[:5])
        return connection.execute(
            f"select {keys} from {relation} as mine full outer join baseline.{relation} as theirs"
            f" on {matched} where ({') or ('.join(differs)}) limit 10"
        ).fetchall()


def staging_difference(
    warehouse: Path, baseline: Path, table: str, exclude: tuple[str, ...] = ()
) -> tuple[int, int]:
    """Row numbers move when a line is inserted mid-file; file order itself is kept."""
    relation = f"staging.{MODELS[table][1]}"
    return table_difference(warehouse, baseline, relation, ("source_row_number", *exclude))


def row_counts(warehouse: Path, table: str) -> tuple[int, int, int, int]:
    rows = query(
        warehouse,
        "select rows_read, rows_used, duplicates_dropped, rows_rejected "
        f"from marts.audit_row_counts where source_table = '{table}'",
    )
    assert len(rows) == 1, rows
    return rows[0]


def shared_build(state: BadInput, name: str, mutations: list[Mutation]) -> Build:
    state.reset_raw()
    state.reset_warehouse()
    for mutate in mutations:
        mutate(state.project.raw)
    result = state.project.invoke("run", *BUILD_SELECTION)
    kept = state.work / name / "scorecard.duckdb"
    kept.parent.mkdir()
    shutil.copyfile(state.project.warehouse, kept)
    return Build(kept, result)


@pytest.fixture(scope="session")
def rejected_build(bad_input: BadInput) -> Build:
    build = shared_build(bad_input, "rejected", [case.mutate for case in ROW_CASES])
    for case in ROW_CASES:
        marker = case.marker(bad_input.valid) if callable(case.marker) else case.marker
        numbers = bad_input.project.raw.row_numbers(case.table, marker)
        assert len(numbers) == case.copies, (case.id, numbers)
        build.row_numbers[case.id] = numbers[-1]
    if build.result.ok:
        build.kpi_differences = kpi_differences(build.warehouse, bad_input.baseline)
    return build


@pytest.fixture(scope="session")
def accepted_build(bad_input: BadInput) -> Build:
    build = shared_build(bad_input, "accepted", [case.mutate for case in ACCEPTED_CASES])
    if build.result.ok:
        # Entity names change where a case renames a team or an agent on purpose.
        build.kpi_differences = kpi_differences(
            build.warehouse, bad_input.baseline, ("entity_name",)
        )
    return build


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


def test_baseline_rejects_nothing(bad_input: BadInput) -> None:
    assert query(bad_input.baseline, "select count(*) from marts.audit_rejected_rows") == [(0,)]
    for table in MODELS:
        read, used, duplicates, rejected = row_counts(bad_input.baseline, table)
        assert read > 0 and read == used + duplicates and rejected == 0, table
    # The KPI comparisons below are not vacuous.
    assert query(bad_input.baseline, "select count(*) > 1000 from marts.fct_kpi_cascade") == [
        (True,)
    ]


def test_timestamps_without_offset_are_utc(bad_input: BadInput) -> None:
    """A time without an offset is read as written, in UTC (not in a session time zone)."""
    ticket = bad_input.valid.row("tickets", lambda row: len(row["created_at"]) == 19)
    rows = query(
        bad_input.baseline,
        "select strftime(created_at, '%Y-%m-%dT%H:%M:%S') from staging.stg_ticketing__tickets "
        f"where ticket_id = '{ticket['ticket_id']}'",
    )
    assert rows == [(ticket["created_at"],)]


@pytest.mark.parametrize("case", ROW_CASES, ids=[case.id for case in ROW_CASES])
def test_bad_line_is_accounted_for_and_changes_no_kpi(
    bad_input: BadInput, rejected_build: Build, case: RowCase
) -> None:
    assert rejected_build.result.ok, rejected_build.result.output[-4000:]
    row_number = rejected_build.row_numbers[case.id]
    _, staging_model, key_column = MODELS[case.table]
    audit = query(
        rejected_build.warehouse,
        "select rejection_class, reason, row_key from marts.audit_rejected_rows "
        f"where source_table = '{case.table}' and source_row_number = {row_number}",
    )
    used = query(
        rejected_build.warehouse,
        f"select count(*) from staging.{staging_model} where source_row_number = {row_number}",
    )
    if case.outcome == "rejected":
        assert len(audit) == 1, audit
        rejection_class, reason, row_key = audit[0]
        assert (rejection_class, case.reason in reason) == (case.rejection_class, True), reason
        # The key where the line holds a readable one, else its row number.
        marker = case.marker if isinstance(case.marker, dict) else {}
        readable_key = rejection_class != "malformed_row" and marker.get(key_column or "")
        assert row_key == (readable_key or f"row {row_number}")
        assert used == [(0,)]
    else:
        assert audit == []
        assert used == [(1 if case.outcome == "used" else 0,)]

    # The table's counts are the baseline's plus the build's extra lines, by outcome.
    extra = [other.outcome for other in ROW_CASES if other.table == case.table]
    read, rows_used, duplicates, rejected = row_counts(bad_input.baseline, case.table)
    assert row_counts(rejected_build.warehouse, case.table) == (
        read + len(extra),
        rows_used + extra.count("used"),
        duplicates + extra.count("duplicate"),
        rejected + extra.count("rejected"),
    )
    # Every valid row of the table is used as before (rows stamped later come on top).
    assert staging_difference(rejected_build.warehouse, bad_input.baseline, case.table) == (
        extra.count("used"),
        0,
    )
    # The scorecard is the valid set's.
    assert rejected_build.kpi_differences == []


def test_rejected_build_rejects_only_the_bad_lines(rejected_build: Build) -> None:
    assert rejected_build.result.ok, rejected_build.result.output[-4000:]
    rejected = query(
        rejected_build.warehouse,
        "select source_table, source_row_number from marts.audit_rejected_rows",
    )
    assert sorted(rejected) == sorted(
        (case.table, rejected_build.row_numbers[case.id])
        for case in ROW_CASES
        if case.outcome == "rejected"
    )


def test_audit_data_tests_hold_with_the_bad_lines(
    bad_input: BadInput, rejected_build: Build
) -> None:
    """The audit models' own tests (accepted classes, one row per file row, rows read = used
    + duplicates + rejected) on the build with every bad line."""
    assert rejected_build.result.ok, rejected_build.result.output[-4000:]
    shutil.copyfile(rejected_build.warehouse, bad_input.project.warehouse)

    result = bad_input.project.invoke("test", *AUDIT_MODELS)

    assert result.ok, result.output[-4000:]
    assert bad_input.project.nodes_run >= 5


@pytest.mark.parametrize("case", ACCEPTED_CASES, ids=[case.id for case in ACCEPTED_CASES])
def test_rewrite_that_keeps_the_meaning_changes_nothing(
    bad_input: BadInput, accepted_build: Build, case: AcceptedCase
) -> None:
    assert accepted_build.result.ok, accepted_build.result.output[-4000:]
    warehouse = accepted_build.warehouse
    assert query(
        warehouse,
        f"select count(*) from marts.audit_rejected_rows where source_table = '{case.table}'",
    ) == [(0,)]
    assert row_counts(warehouse, case.table) == row_counts(bad_input.baseline, case.table)
    renamed = tuple(
        column for other in ACCEPTED_CASES if other.table == case.table for column in other.renamed
    )
    assert staging_difference(warehouse, bad_input.baseline, case.table, renamed) == (0, 0)
    for (mart, key_column, key, column), expected in case.arrives.items():
        key = frontline_agent(bad_input.valid) if key == FRONTLINE else key
        values = query(
            warehouse, f"select distinct {column} from marts.{mart} where {key_column} = '{key}'"
        )
        assert values == [(expected,)], (mart, column, [len(value) for (value,) in values])
    # KPI figures as in the baseline.
    assert accepted_build.kpi_differences == []


@pytest.mark.parametrize("case", STOP_CASES, ids=[case.id for case in STOP_CASES])
def test_unreadable_file_stops_with_a_message_naming_it(
    bad_input: BadInput, case: StopCase
) -> None:
    bad_input.reset_raw()
    case.mutate(bad_input.project.raw)

    result = bad_input.project.invoke("run", MODELS[case.table][0])

    assert not result.ok
    for text in case.expected:
        expected = text.format(file=bad_input.project.raw.file(case.table))
        assert expected in result.output, result.output[-3000:]


def run_staging(bad_input: BadInput, table: str, mutate: Mutation) -> Path:
    bad_input.reset_raw()
    bad_input.reset_warehouse()
    mutate(bad_input.project.raw)
    result = bad_input.project.invoke("run", *MODELS[table][:2], *AUDIT_MODELS)
    assert result.ok, result.output[-3000:]
    return bad_input.project.warehouse


@pytest.mark.parametrize("table", ["qa_evaluations", "costs", "surveys"])
def test_header_only_file_reads_no_rows(bad_input: BadInput, table: str) -> None:
    header, _ = bad_input.valid.read(table)

    warehouse = run_staging(bad_input, table, lambda raw: raw.write(table, header, []))

    assert row_counts(warehouse, table) == (0, 0, 0, 0)
    assert query(warehouse, "select count(*) from marts.audit_rejected_rows") == [(0,)]


def test_absent_optional_subject_changes_no_ticket(bad_input: BadInput) -> None:
    warehouse = run_staging(bad_input, "tickets", lambda raw: raw.drop_column("tickets", "subject"))

    assert row_counts(warehouse, "tickets") == row_counts(bad_input.baseline, "tickets")
    assert staging_difference(warehouse, bad_input.baseline, "tickets") == (0, 0)


def test_absent_optional_currency_is_the_reporting_currency(bad_input: BadInput) -> None:
    warehouse = run_staging(
        bad_input, "accounts", lambda raw: raw.drop_column("accounts", "currency")
    )

    assert row_counts(warehouse, "accounts") == row_counts(bad_input.baseline, "accounts")
    assert staging_difference(warehouse, bad_input.baseline, "accounts", ("currency",)) == (0, 0)
    assert query(warehouse, "select distinct currency from staging.stg_crm__accounts") == [("USD",)]
