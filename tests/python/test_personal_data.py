"""No customer personal data, and no agent e-mail, leaves staging in clear text.

Every raw `requester_email`, ticket `subject`, survey `comment` and agent `email` of the
demo input is searched for in every text column of every mart, in the published DuckDB
file (every schema), in every published Parquet file and in every file of the rendered
HTML scorecard; any cell or file that merely looks like an e-mail address fails too.
Requester hashes are checked against an independent SHA-256 of salt + address, with the
salt read from the environment as the build read it. Their stability across builds is
proved by tests/python/test_reproducibility.py, whose rebuild hashes every mart.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, Build, query, run_dbt

DEFAULT_SALT = "cs-scorecard-demo-salt"  # the project's documented demo default
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
PERSONAL_COLUMNS = {
    "tickets": ["requester_email", "subject"],
    "surveys": ["comment"],
    "agents": ["email"],
}


@pytest.fixture(scope="module")
def personal_values(demo_build: Build) -> list[str]:
    values: set[str] = set()
    with duckdb.connect() as connection:
        for table, columns in PERSONAL_COLUMNS.items():
            path = demo_build.raw_dir / f"{table}.parquet"
            for column in columns:
                rows = connection.execute(
                    f"select distinct trim(cast({column} as varchar)) from read_parquet('{path}') "
                    f"where length(trim(cast({column} as varchar))) >= 6"
                ).fetchall()
                values.update(value for (value,) in rows)
    # Guards the test itself: the demo input really carries each kind of personal data.
    assert len(values) > 100
    return sorted(values)


@pytest.fixture(scope="module")
def published(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    publish_dir = tmp_path_factory.mktemp("pii_published")
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "publish_marts.py"),
            "--warehouse",
            str(demo_build.warehouse),
            "--target-dir",
            str(demo_build.target_dir),
            "--publish-dir",
            str(publish_dir),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return publish_dir


@pytest.fixture(scope="module")
def report(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pii_report")
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "render_scorecard.py"),
            "--db",
            str(demo_build.warehouse),
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return out


def leaks_in_relations(
    connection: duckdb.DuckDBPyConnection, relations: dict[str, str], values: list[str]
) -> dict[str, int]:
    """Per `relation.column`, the count of distinct text values that hold a personal value
    or look like an e-mail address."""
    connection.execute("create or replace temp table personal_values (value varchar)")
    connection.executemany("insert into personal_values values (?)", [(value,) for value in values])
    leaks: dict[str, int] = {}
    for name, relation in relations.items():
        columns = connection.execute(f"describe select * from {relation}").fetchall()
        for column_name, column_type, *_ in columns:
            if column_type != "VARCHAR":
                continue
            (count,) = connection.execute(
                f"""
                with cells as (select distinct "{column_name}" as cell from {relation})
                select count(*) from cells
                where regexp_matches(cell, '{EMAIL_PATTERN}')
                    or exists (
                        select 1 from personal_values
                        where contains(cells.cell, personal_values.value)
                    )
                """
            ).fetchone()
            if count:
                leaks[f"{name}.{column_name}"] = count
    return leaks


def test_no_personal_data_in_marts(demo_build: Build, personal_values: list[str]) -> None:
    tables = query(
        demo_build.warehouse,
        "select table_name from information_schema.tables where table_schema = 'marts'",
    )
    assert len(tables) >= 14
    with duckdb.connect(str(demo_build.warehouse), read_only=True) as connection:
        leaks = leaks_in_relations(
            connection, {name: f"marts.{name}" for (name,) in tables}, personal_values
        )
    assert not leaks, leaks


def test_no_personal_data_in_published_files(published: Path, personal_values: list[str]) -> None:
    published_db = published / "scorecard.duckdb"
    with duckdb.connect(str(published_db), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        assert len(tables) >= 15
        leaks = leaks_in_relations(
            connection,
            {f"{schema}.{name}": f'"{schema}"."{name}"' for schema, name in tables},
            personal_values,
        )
    parquet_files = sorted((published / "parquet" / "current").glob("*.parquet"))
    assert len(parquet_files) >= 15
    with duckdb.connect() as connection:
        leaks |= leaks_in_relations(
            connection,
            {path.name: f"read_parquet('{path}')" for path in parquet_files},
            personal_values,
        )
    assert not leaks, leaks


def test_no_personal_data_in_rendered_report(report: Path, personal_values: list[str]) -> None:
    pattern = re.compile("|".join(re.escape(value) for value in personal_values))
    email = re.compile(EMAIL_PATTERN)
    pages = [path for path in report.rglob("*") if path.is_file() and path.suffix != ".js"]
    assert len([path for path in pages if path.suffix == ".html"]) > 5
    # plotly.min.js is the library itself; the report's own script is checked as text.
    pages += [path for path in report.rglob("*.js") if path.name != "plotly.min.js"]
    leaks = {}
    for path in pages:
        text = path.read_text(errors="replace")
        found = pattern.search(text) or email.search(text)
        if found:
            leaks[str(path.relative_to(report))] = found.group(0)
    assert not leaks, leaks


def test_requester_hashes_are_salted_sha256(demo_build: Build) -> None:
    salt = os.environ.get("SCORECARD_HASH_SALT") or DEFAULT_SALT
    tickets = demo_build.raw_dir / "tickets.parquet"
    with duckdb.connect(str(demo_build.warehouse), read_only=True) as connection:
        pairs = connection.execute(
            f"""
            select distinct raw.requester_email, marts.requester_email_hash
            from read_parquet('{tickets}') as raw
            inner join marts.fct_tickets as marts on trim(raw.ticket_id) = marts.ticket_id
            where raw.requester_email like '%@%'
            """
        ).fetchall()
    assert len(pairs) > 100
    expected = {
        email: hashlib.sha256((salt + email.strip().lower()).encode()).hexdigest()
        for email, _ in pairs
    }
    mismatched = [(email, digest) for email, digest in pairs if expected[email] != digest]
    assert not mismatched, mismatched[:5]


def test_salt_comes_from_the_environment(demo_build: Build, tmp_path: Path) -> None:
    salt = "a-secret-salt-from-the-environment"
    result = run_dbt(
        ["compile", "--select", "base_ticketing__tickets", "fct_tickets"],
        raw_dir=demo_build.raw_dir,
        warehouse=tmp_path / "compile.duckdb",
        raw_format="parquet",
        extra_env={"SCORECARD_HASH_SALT": salt},
    )
    assert result.ok, result.output[-4000:]
    compiled = {
        path.stem: path.read_text() for path in (tmp_path / "target" / "compiled").rglob("*.sql")
    }
    for model in ("base_ticketing__tickets", "fct_tickets"):
        assert salt in compiled[model], model
        assert DEFAULT_SALT not in compiled[model], model


def test_the_search_finds_a_planted_value() -> None:
    """Guards the scanner: a personal value inside longer text, and an address it was not
    given, are both found."""
    with duckdb.connect() as connection:
        connection.execute(
            "create table planted as select * from (values "
            "('ticket about Refund request for my last order, see log'), "
            "('contact: someone.else@example.org'), ('nothing to see')) as rows (note)"
        )
        leaks = leaks_in_relations(
            connection, {"planted": "planted"}, ["Refund request for my last order"]
        )
    assert leaks == {"planted.note": 2}
