"""Tests of scripts/generate_demo_data.py on a small run (parquet and csv)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import yaml
from script_loading import load_script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_demo_data.py"
SMALL = ["--tickets", "3000", "--months", "4", "--agents", "16", "--teams", "3"]
TABLES = (
    "accounts",
    "agents",
    "agent_roles",
    "teams",
    "tickets",
    "ticket_events",
    "surveys",
    "qa_evaluations",
    "schedules",
    "agent_states",
    "costs",
)


def contract_tables() -> dict[str, list[dict]]:
    """Table -> its column entries in order, from the dbt sources (the contract's one home)."""
    tables: dict[str, list[dict]] = {}
    for path in sorted(ROOT.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = table["columns"]
    return tables


# Accepted values of the raw contract (the sources' meta.accepted_values), matched after
# trim + lower-case; priority spellings map to severities in staging, so they are listed here.
PRIORITIES = {"urgent", "high", "normal", "low"} | {
    f"{p}{i}" for p in ("p", "sev", "sev ", "") for i in range(1, 5)
}
ACCEPTED = {
    (table, column["name"]): set(column["meta"]["accepted_values"])
    for table, columns in contract_tables().items()
    for column in columns
    if "accepted_values" in column.get("meta", {})
} | {("tickets", "priority"): PRIORITIES}
# The rejection classes each table must carry at least once.
EXPECTED_CLASSES = {
    "accounts": {"missing_required", "invalid_type", "not_allowed", "out_of_range"},
    "agents": {"missing_required", "invalid_type"},
    "agent_roles": {
        "missing_required",
        "invalid_type",
        "not_allowed",
        "end_not_after_start",
        "unknown_team",
        "overlap",
    },
    "teams": {"missing_required"},
    "tickets": {"missing_required", "invalid_type", "not_allowed"},
    "ticket_events": {
        "missing_required",
        "invalid_type",
        "not_allowed",
        "out_of_range",
        "unknown_ticket",
    },
    "surveys": {
        "missing_required",
        "invalid_type",
        "not_allowed",
        "out_of_range",
        "unknown_ticket",
    },
    "qa_evaluations": {"missing_required", "invalid_type", "out_of_range", "unknown_ticket"},
    "schedules": {
        "missing_required",
        "invalid_type",
        "not_allowed",
        "end_not_after_start",
        "overlap",
    },
    "agent_states": {
        "missing_required",
        "invalid_type",
        "not_allowed",
        "end_not_after_start",
        "overlap",
    },
    "costs": {"missing_required", "invalid_type", "not_allowed", "unknown_team", "no_fx_rate"},
}
TS_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?$")


GEN = load_script(SCRIPT)


def _run(out: Path, *extra: str) -> Path:
    assert GEN.main([*SMALL, "--out", str(out), "--quiet", *extra]) == 0
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("demo")
    return {
        "a": _run(base / "a"),
        "b": _run(base / "b"),
        "seed7": _run(base / "seed7", "--seed", "7"),
        "csv": _run(base / "csv", "--format", "csv"),
    }


@pytest.fixture(scope="module")
def raw(runs: dict[str, Path]) -> dict[str, pa.Table]:
    return {t: pq.read_table(runs["a"] / f"{t}.parquet") for t in TABLES}


@pytest.fixture(scope="module")
def bad(runs: dict[str, Path]) -> dict:
    return json.loads((runs["a"] / "_bad_rows.json").read_text())


@pytest.fixture(scope="module")
def db(runs: dict[str, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The parquet run as DuckDB views with a file-order row number ``rn``."""
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    for t in TABLES:
        path = runs["a"] / f"{t}.parquet"
        con.execute(
            f"create view {t} as select *, row_number() over () as rn from read_parquet('{path}')"
        )
    yield con
    con.close()


def contract_columns() -> dict[str, list[str]]:
    """Table -> column names in order, from the dbt sources."""
    return {
        table: [column["name"] for column in columns]
        for table, columns in contract_tables().items()
    }


def _norm(values: list[str | None]) -> list[str | None]:
    out = []
    for v in values:
        v = None if v is None else v.strip().lower()
        out.append(v or None)
    return out


# --------------------------------------------------------------------------------------


def test_help_lists_every_option() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, check=True
    )
    for option in (
        "--out",
        "--format",
        "--seed",
        "--tickets",
        "--months",
        "--agents",
        "--teams",
        "--start-date",
        "--bad-row-rate",
        "--quiet",
    ):
        assert option in result.stdout


@pytest.mark.parametrize("run", ["a", "csv"])
def test_every_contract_table_and_column_in_order(runs: dict[str, Path], run: str) -> None:
    contract = contract_columns()
    assert set(contract) == set(TABLES)
    for table in TABLES:
        if run == "csv":
            path = runs[run] / f"{table}.csv"
            header = path.read_text(encoding="utf-8").splitlines()[0]
            names = [h.strip('"') for h in header.split(",")]
        else:
            schema = pq.read_schema(runs[run] / f"{table}.parquet")
            names = schema.names
            assert all(f.type == pa.string() for f in schema), table
        assert names == contract[table], table


def test_same_seed_is_byte_identical_and_other_seed_differs(runs: dict[str, Path]) -> None:
    for name in [f"{t}.parquet" for t in TABLES] + ["_bad_rows.json"]:
        assert (runs["a"] / name).read_bytes() == (runs["b"] / name).read_bytes(), name
    differ = [
        t
        for t in TABLES
        if (runs["a"] / f"{t}.parquet").read_bytes()
        != (runs["seed7"] / f"{t}.parquet").read_bytes()
    ]
    assert {"tickets", "ticket_events", "surveys", "schedules"} <= set(differ)


def test_csv_holds_the_same_rows_as_parquet(runs: dict[str, Path], raw) -> None:
    for table in TABLES:
        names = raw[table].column_names
        csv_table = pacsv.read_csv(
            runs["csv"] / f"{table}.csv",
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names}, strings_can_be_null=True
            ),
        )
        for column in names:
            expected = [v if v != "" else None for v in raw[table].column(column).to_pylist()]
            assert csv_table.column(column).to_pylist() == expected, (table, column)


def test_manifest_and_bad_rows_sidecars(runs: dict[str, Path], raw, bad) -> None:
    manifest = json.loads((runs["a"] / "_manifest.json").read_text())
    assert manifest["seed"] == 42
    assert manifest["row_counts"] == {t: raw[t].num_rows for t in TABLES}
    assert set(bad) == set(TABLES)
    for table in TABLES:
        assert bad[table]["rows"] == raw[table].num_rows
        assert set(bad[table]["rejected"]) == EXPECTED_CLASSES[table], table
        assert all(n >= 1 for n in bad[table]["rejected"].values()), table
        total = sum(bad[table]["rejected"].values())
        assert bad[table]["rejected_total"] == total
        by_column = bad[table]["rejected_by_column"]
        assert {c: sum(v.values()) for c, v in by_column.items()} == bad[table]["rejected"]
        # a small share: the default rate, or the one-per-class floor
        assert total <= max(len(EXPECTED_CLASSES[table]), round(0.002 * raw[table].num_rows) + 1)


@pytest.mark.parametrize(("table", "column"), sorted(ACCEPTED))
def test_values_outside_the_accepted_set_are_exactly_the_injected_ones(
    raw, bad, table: str, column: str
) -> None:
    values = _norm(raw[table].column(column).to_pylist())
    outside = [v for v in values if v is not None and v not in ACCEPTED[(table, column)]]
    injected = bad[table]["rejected_by_column"].get("not_allowed", {}).get(column, 0)
    assert len(outside) == injected, sorted(set(outside))


def test_priority_uses_every_accepted_spelling(raw) -> None:
    values = raw["tickets"].column("priority").to_pylist()
    normalised = set(_norm(values))
    assert normalised >= PRIORITIES
    assert any(v != v.strip() for v in values if v)  # stray whitespace
    assert any(v != v.lower() for v in values if v)  # mixed case


def test_timestamps_are_iso_with_a_few_offsets(raw, bad) -> None:
    for table, column in (
        ("tickets", "created_at"),
        ("ticket_events", "event_at"),
        ("surveys", "responded_at"),
        ("qa_evaluations", "evaluated_at"),
        ("schedules", "segment_start"),
        ("agent_states", "state_end"),
    ):
        values = [v for v in raw[table].column(column).to_pylist() if v]
        malformed = [v for v in values if not TS_RE.match(v)]
        assert len(malformed) <= bad[table]["rejected_by_column"]["invalid_type"].get(column, 0)
        if table in ("surveys", "qa_evaluations", "ticket_events"):
            with_offset = sum(1 for v in values if len(v) > 19)
            assert 0 < with_offset < 0.15 * len(values), table
        if table in ("tickets", "schedules", "agent_states"):
            assert all(len(v) <= 19 for v in values if TS_RE.match(v)), table


GOOD_EVENTS = """
    with ev as (
        select *, try_cast(event_at as timestamptz) as at_utc from ticket_events
        where event_id is not null and event_id <> ''
          and ticket_id in (select ticket_id from tickets)
          and try_cast(event_at as timestamptz) is not null
          and event_type in ('created','assigned','agent_reply','customer_reply',
                             'internal_note','escalated','solved','reopened','closed')
          and (tier is null or tier in ('t1','t2','t3'))
          and (handle_seconds is null or regexp_full_match(handle_seconds, '[0-9]+'))
    )
    select * from ev qualify row_number() over (partition by event_id order by rn) = 1
"""


def test_every_ticket_has_exactly_one_created_event_at_created_at(db) -> None:
    rows = db.execute(
        f"""
        with ev as ({GOOD_EVENTS}),
        t as (select distinct ticket_id, created_at from tickets
              where ticket_id like 'TK-0%' and try_cast(created_at as timestamp) is not null),
        c as (select ticket_id, count(*) as n, min(at_utc) as first_at from ev
              where event_type = 'created' group by 1)
        select count(*) as tickets,
               count(*) filter (where c.n is distinct from 1) as wrong_count,
               count(*) filter (where c.first_at <> t.created_at::timestamptz) as wrong_time
        from t left join c using (ticket_id)
        """
    ).fetchone()
    assert rows[0] == 3000
    assert rows[1:] == (0, 0)


def test_event_times_strictly_increase_and_follow_created(db) -> None:
    bad_order = db.execute(
        f"""
        with ev as ({GOOD_EVENTS})
        select count(*) from (
            select event_type, at_utc,
                   lag(at_utc) over (partition by ticket_id order by at_utc, event_id) as prev,
                   first_value(event_type) over (partition by ticket_id order by at_utc, event_id)
                       as first_type
            from ev)
        where at_utc <= prev or first_type <> 'created'
        """
    ).fetchone()[0]
    assert bad_order == 0


def test_no_activity_outside_employment(db) -> None:
    outside = db.execute(
        f"""
        with ev as ({GOOD_EVENTS}),
        a as (select * from agents where agent_id like 'A0%'
              qualify row_number() over (partition by agent_id order by rn) = 1)
        select count(*) from ev join a using (agent_id)
        where (at_utc at time zone 'UTC')::date
                  > coalesce(a.termination_date::date, date '2999-01-01')
           or (at_utc at time zone 'UTC')::date < a.hire_date::date
        """
    ).fetchone()[0]
    assert outside == 0


def test_role_history_starts_at_hire_and_only_injected_overlaps(db, bad) -> None:
    valid_roles = """
        select * from agent_roles
        where agent_id like 'A0%'
          and role in ('agent', 'senior_agent', 'team_lead', 'manager', 'director')
          and (team_id is null or team_id in (select team_id from teams))
          and try_cast(valid_from as date) is not null
          and (valid_to is null or try_cast(valid_to as date) > valid_from::date)
    """
    overlaps = db.execute(
        f"""
        with r as ({valid_roles})
        select count(*) from r b where exists (
            select 1 from r a where a.agent_id = b.agent_id and a.rn <> b.rn
              and (a.valid_from::date < b.valid_from::date
                   or (a.valid_from = b.valid_from and a.rn < b.rn))
              and b.valid_from::date < coalesce(a.valid_to::date, date '2999-01-01'))
        """
    ).fetchone()[0]
    assert overlaps == bad["agent_roles"]["rejected"]["overlap"]
    not_at_hire = db.execute(
        f"""
        with r as ({valid_roles}), a as (select distinct agent_id, hire_date from agents)
        select count(*) from (select agent_id, min(valid_from) as first from r group by 1)
        join a using (agent_id) where first <> hire_date
        """
    ).fetchone()[0]
    assert not_at_hire == 0
    roles = db.execute("select distinct role from agent_roles").fetchall()
    assert {"agent", "senior_agent", "team_lead", "manager", "director"} <= {r[0] for r in roles}
    reasons = db.execute("select distinct termination_reason from agents").fetchall()
    assert {"voluntary", "involuntary", "internal_transfer"} <= {r[0] for r in reasons}


@pytest.mark.parametrize(
    ("table", "start", "end", "code", "codes"),
    [
        (
            "schedules",
            "segment_start",
            "segment_end",
            "activity",
            ACCEPTED[("schedules", "activity")],
        ),
        ("agent_states", "state_start", "state_end", "state", ACCEPTED[("agent_states", "state")]),
    ],
)
def test_intervals_overlap_only_where_injected(
    db, bad, table: str, start: str, end: str, code: str, codes: set[str]
) -> None:
    in_set = ", ".join(f"'{c}'" for c in sorted(codes))
    overlaps = db.execute(
        f"""
        with v as (
            select agent_id, {start}::timestamp as s, {end}::timestamp as e, rn from {table}
            where agent_id is not null and {code} in ({in_set})
              and try_cast({start} as timestamp) is not null
              and try_cast({end} as timestamp) > try_cast({start} as timestamp))
        select count(*) from (
            select s, max(e) over (partition by agent_id order by s, rn
                                   rows between unbounded preceding and 1 preceding) as prev_end
            from v)
        where s < prev_end
        """
    ).fetchone()[0]
    assert overlaps == bad[table]["rejected"]["overlap"]


def test_duplicates_are_present_as_declared(db, bad) -> None:
    for table, key in (
        ("accounts", "account_id"),
        ("agents", "agent_id"),
        ("teams", "team_id"),
        ("ticket_events", "event_id"),
        ("surveys", "response_id"),
        ("qa_evaluations", "evaluation_id"),
    ):
        repeated = db.execute(
            f"select count(*) - count(distinct {key}) from {table} where {key} is not null"
        ).fetchone()[0]
        assert repeated == bad[table]["duplicates"]["repeated_key"] >= 1, table
    reexports = db.execute(
        "select count(*) - count(distinct ticket_id) from tickets where ticket_id like 'TK-0%'"
    ).fetchone()[0]
    assert reexports == bad["tickets"]["duplicates"]["older_version"] >= 1
    # the newest export of a re-exported ticket is the one with the greatest updated_at
    assert (
        db.execute(
            "select count(*) from tickets where updated_at < created_at and ticket_id like 'TK-0%'"
        ).fetchone()[0]
        == 0
    )


def test_bad_rows_are_spread_through_the_file(db) -> None:
    n, first, last = db.execute(
        "select count(*), min(rn) filter (where event_id like 'EV-X%'), "
        "max(rn) filter (where event_id like 'EV-X%') from ticket_events"
    ).fetchone()
    assert first < n / 3 and last > 2 * n / 3


def test_scorecard_realism(db) -> None:
    """Shapes the scorecard relies on: mixes, surveys, QA, backlog, costs."""
    channels = dict(db.execute("select channel, count(*) from tickets group by 1").fetchall())
    assert channels["email"] > channels["chat"] > channels["social"]
    reasons = db.execute(
        "select count(*) filter (where contact_reason is null), "
        "count(*) filter (where lower(trim(contact_reason)) in ('legacy.misc', 'other')), count(*) "
        "from tickets"
    ).fetchone()
    assert 0.01 < reasons[0] / reasons[2] < 0.06 and reasons[1] > 0
    surveys = dict(
        db.execute(
            "select survey_type, avg(try_cast(score as int)) from surveys "
            "where response_id like 'SR-0%' group by 1"
        ).fetchall()
    )
    assert 3.5 < surveys["csat"] < 4.7 and 4 < surveys["ces"] < 6.5 and 6 < surveys["nps"] < 9.5
    assert (
        db.execute(
            "select count(*) from surveys where survey_type = 'nps' and ticket_id is not null"
        ).fetchone()[0]
        == 0
    )
    qa = db.execute(
        "select avg(try_cast(score as double)), count(distinct evaluator_id) from qa_evaluations "
        "where evaluation_id like 'QA-0%'"
    ).fetchone()
    assert 70 < qa[0] < 92 and qa[1] >= 3
    assert db.execute("select count(*) from costs where amount like '-%'").fetchone()[0] >= 1
    currencies = {r[0] for r in db.execute("select distinct currency from costs").fetchall()}
    assert {"USD", "EUR", "JPY"} <= currencies
    night = db.execute(
        "select count(*) from schedules where segment_start[:10] <> segment_end[:10] "
        "and try_cast(segment_end as timestamp) is not null"
    ).fetchone()[0]
    assert night > 0
    solved = db.execute(
        f"with ev as ({GOOD_EVENTS}) select count(distinct ticket_id) from ev "
        "where event_type = 'solved'"
    ).fetchone()[0]
    assert 0.9 * 3000 < solved < 3000  # some tickets are still open at the end


def test_zero_bad_row_rate_gives_no_bad_rows(tmp_path: Path) -> None:
    out = _run(tmp_path / "clean", "--tickets", "500", "--bad-row-rate", "0")
    bad = json.loads((out / "_bad_rows.json").read_text())
    assert all(v["rejected_total"] == 0 for v in bad.values())
    events = pq.read_table(out / "ticket_events.parquet")
    assert events.num_rows > 0


def test_rejects_bad_arguments() -> None:
    with pytest.raises(SystemExit):
        GEN.parse_args(["--format", "xml"])
    with pytest.raises(SystemExit):
        GEN.parse_args(["--agents", "3", "--teams", "3"])


def test_progress_per_stage_with_timings_unless_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert GEN.main(["--tickets", "500", "--out", str(tmp_path / "loud")]) == 0
    stages = capsys.readouterr().err.splitlines()
    timed = re.compile(r"^\[\s*\d+\.\ds \+\s*\d+\.\ds\] \S")
    assert len(stages) >= 8 and all(timed.match(line) for line in stages), stages
    assert any("tickets simulated" in line for line in stages)
    assert any("wrote ticket_events" in line for line in stages)
    _run(tmp_path / "quiet", "--tickets", "500")
    assert capsys.readouterr().err == ""
