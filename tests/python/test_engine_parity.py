"""PostgreSQL rejects the same raw rows for the same reasons as DuckDB, edge spellings and
malformed CSV lines included.

The rejections fixture plus a few lines on which the engines used to disagree: numbers a
double cannot hold (infinity on DuckDB, a failed query on PostgreSQL), 24:00:00 (the next
midnight on DuckDB, rejected on PostgreSQL), more than six fractional second digits
(truncated by DuckDB, rounded by PostgreSQL) and CSV lines with too few or too many fields
(a rejected row on DuckDB, a refused file in scripts/load_raw.py). DuckDB reads the files,
PostgreSQL the tables load_raw.py fills; only seeds, staging and the audit marts are built,
so the test stays well under a minute.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import (
    PG_PORT,
    PROJECT_ROOT,
    copy_fixture,
    postgres_connection,
    run_dbt,
    start_postgres_database,
)

PG_DATABASE = "scorecard_engine_parity"
BUILD = [
    *("build", "--select", "+audit_rejected_rows", "+audit_row_counts"),
    *("--resource-type", "model", "seed"),
]
# Lines appended to the fixture's files: (table, line).
APPENDED = [
    ("accounts", "AC90,Infinite Arr,smb,basic,1e999,USD,2024-01-01,"),
    ("accounts", "AC91,Vanishing Arr,smb,basic,1e-400,USD,2024-01-01,"),
    ("accounts", "AC92,Long Arr,smb,basic,1.5e308,USD,2024-01-01,"),
    ("costs", "2025-03-01,T1,labour,-1e999,USD"),
    ("ticket_events", "E90,TK1,2025-03-03T24:00:00Z,internal_note,A1,t1,"),
    ("ticket_events", "E91,TK1,2025-03-03T09:40:00.1234567Z,internal_note,A1,t1,"),
    ("ticket_events", "E92,TK1,2025-03-03T09:41:59.9999999+00:00,internal_note,A1,t1,"),
    ("qa_evaluations", "Q90,A1,TK1,2025-03-04T24:00:00,80,M1"),
]
# Lines whose number of fields differs from the header's, inserted after a row:
# (table, data rows before it, line). `agents` holds personal data: its text is left out.
RAGGED = [
    ("teams", 1, "T7,Gamma,M1"),
    ("agents", 2, "A9,Zed Agent,zed@example.com,2025-01-01,,,surplus"),
    ("ticket_events", 16, "E93,TK1"),
]
EDGE_KEYS = {
    ("accounts", "AC90"),
    ("accounts", "AC91"),
    ("ticket_events", "E90"),
    ("qa_evaluations", "Q90"),
}


def mutate_fixture(raw_dir: Path) -> None:
    for table, line in APPENDED:
        path = raw_dir / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")
    for table, after, line in RAGGED:
        path = raw_dir / f"{table}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        lines.insert(after + 1, line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def postgres_env(work: Path) -> dict[str, str]:
    return {
        "SCORECARD_TARGET": "postgres",
        "SCORECARD_RAW_SCHEMA": "raw",
        "SCORECARD_PG_PORT": PG_PORT,
        "SCORECARD_PG_DATABASE": PG_DATABASE,
        "SCORECARD_THREADS": "2",
        "DBT_TARGET_PATH": str(work / "target-postgres"),
        "DBT_LOG_PATH": str(work / "logs-postgres"),
    }


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("engine_parity")
    raw_dir = copy_fixture("raw_rejections", work)
    mutate_fixture(raw_dir)
    warehouse = work / "scorecard.duckdb"
    built = run_dbt(BUILD, raw_dir=raw_dir, warehouse=warehouse)
    assert built.ok, "duckdb: " + built.output[-6000:]

    start_postgres_database(PG_DATABASE)

    loaded = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "load_raw.py"), "--target", "postgres"],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "SCORECARD_RAW_DIR": str(raw_dir),
            "SCORECARD_RAW_FORMAT": "csv",
            **postgres_env(work),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]
    built = run_dbt(BUILD, raw_dir=raw_dir, warehouse=warehouse, extra_env=postgres_env(work))
    assert built.ok, "postgres: " + built.output[-6000:]
    yield warehouse


def read_both(warehouse: Path, sql: str) -> tuple[list[tuple], list[tuple]]:
    """The same query's rows on DuckDB and PostgreSQL, sorted, None first."""

    def key(row: tuple) -> tuple:
        return tuple((value is not None, str(value)) for value in row)

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        duck = connection.execute(sql).fetchall()
    connection = postgres_connection(PG_DATABASE)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        postgres = cursor.fetchall()
    connection.close()
    return sorted(duck, key=key), sorted(postgres, key=key)


def test_rejected_rows_equal_duckdb(builds: Path) -> None:
    duck, postgres = read_both(
        builds,
        "select source_table, row_key, source_row_number, rejection_class, reason, raw_row "
        "from marts.audit_rejected_rows",
    )
    assert duck, "duckdb rejected nothing: nothing would be compared"
    assert postgres == duck


def test_row_counts_equal_duckdb(builds: Path) -> None:
    duck, postgres = read_both(
        builds,
        "select source_table, rows_read, rows_used, duplicates_dropped, rows_rejected "
        "from marts.audit_row_counts",
    )
    assert postgres == duck
    for table, read, used, duplicates, rejected in duck:
        assert read == used + duplicates + rejected, table


def test_edge_spellings_are_invalid_type(builds: Path) -> None:
    """What the comparison above covers: the spellings the engines disagreed on."""
    rows = read_both(
        builds,
        "select source_table, row_key, rejection_class from marts.audit_rejected_rows "
        "where rejection_class = 'invalid_type'",
    )[0]
    found = {(table, key) for table, key, _ in rows}
    assert found >= EDGE_KEYS
    costs = read_both(
        builds,
        "select reason from marts.audit_rejected_rows where source_table = 'costs' "
        "and reason like '%1e999%'",
    )[0]
    assert costs == [("invalid_type: amount '-1e999' is not a decimal number",)]


def test_ragged_lines_are_malformed_rows(builds: Path) -> None:
    rows = read_both(
        builds,
        "select source_table, source_row_number, reason, raw_row from marts.audit_rejected_rows "
        "where rejection_class = 'malformed_row'",
    )[0]
    assert [(table, row) for table, row, _, _ in rows] == sorted(
        (table, after + 1) for table, after, _ in RAGGED
    )
    by_table = {table: (reason, raw_row) for table, _, reason, raw_row in rows}
    assert by_table["teams"] == (
        "malformed_row: line 3 has 3 fields where the header has 4",
        "line 3: T7,Gamma,M1",
    )
    assert "zed@example.com" not in by_table["agents"][1]


def test_fractional_seconds_truncated_alike(builds: Path) -> None:
    duck, postgres = read_both(
        builds,
        "select event_id, event_at from staging.stg_ticketing__ticket_events "
        "where event_id in ('E91', 'E92')",
    )
    assert (
        postgres
        == duck
        == [
            ("E91", dt.datetime(2025, 3, 3, 9, 40, 0, 123456)),
            ("E92", dt.datetime(2025, 3, 3, 9, 41, 59, 999999)),
        ]
    )
