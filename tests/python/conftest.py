"""Shared helpers: run dbt against a raw folder into a throw-away warehouse; one demo
build and one headless Chromium shared by every test module that needs them."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest
from playwright.sync_api import Browser, sync_playwright

if TYPE_CHECKING:
    import psycopg2.extensions

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
DBT = str(Path(sys.executable).with_name("dbt"))
GENERATOR = PROJECT_ROOT / "scripts" / "generate_demo_data.py"
# A small demo set that still exercises every KPI: five months, twenty agents, four teams.
DEMO_GENERATOR_ARGS = [
    "--tickets",
    "6000",
    "--months",
    "5",
    "--agents",
    "20",
    "--teams",
    "4",
    "--seed",
    "7",
    "--quiet",
]
PG_PORT = os.environ.get("SCORECARD_PG_PORT", "5433")
CHROMIUM = os.environ.get("SCORECARD_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling out, and a closed
# network refuses it many times a second.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class DbtRun:
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_dbt(
    args: list[str],
    *,
    raw_dir: Path,
    warehouse: Path,
    raw_format: str = "csv",
    extra_env: dict[str, str] | None = None,
    wrapper: list[str] | None = None,
) -> DbtRun:
    """Run one dbt command from the project root (dbt-duckdb resolves paths from the cwd).

    `wrapper` prefixes the command, e.g. `["faketime", "2031-01-01 00:00:00"]`."""
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "SCORECARD_RAW_DIR": str(raw_dir),
        "SCORECARD_RAW_FORMAT": raw_format,
        "SCORECARD_DB": str(warehouse),
        "DBT_TARGET_PATH": str(warehouse.parent / "target"),
        "DBT_LOG_PATH": str(warehouse.parent / "logs"),
        **(extra_env or {}),
    }
    completed = subprocess.run(
        [*(wrapper or []), DBT, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return DbtRun(completed.returncode, completed.stdout + completed.stderr)


def postgres_connection(database: str) -> psycopg2.extensions.connection:
    # Imported here: only the engine tests need psycopg2 (requirements-engines.txt).
    import psycopg2

    return psycopg2.connect(host="127.0.0.1", port=int(PG_PORT), user="postgres", dbname=database)


def start_postgres_database(database: str) -> None:
    """Start the local server of scripts/start_postgres.sh and give the test a database of
    its own, so it never touches another one's schemas."""
    started = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "start_postgres.sh")],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SCORECARD_PG_PORT": PG_PORT},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    connection = postgres_connection("postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"drop database if exists {database} with (force)")
        cursor.execute(f"create database {database}")
    connection.close()


def generate_raw(raw_dir: Path, args: list[str], raw_format: str) -> None:
    """Generate a raw set with scripts/generate_demo_data.py; a failure shows its output."""
    generated = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(raw_dir), "--format", raw_format, *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout[-3000:] + generated.stderr[-3000:]


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def copy_fixture(name: str, destination: Path) -> Path:
    target = destination / name
    shutil.copytree(FIXTURES / name, target)
    return target


def drop_csv_column(path: Path, column: str) -> None:
    """Rewrites a raw CSV file without one of its columns."""
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    fieldnames = [name for name in rows[0] if name != column]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def csv_folder_to_parquet(raw_dir: Path) -> None:
    """Replaces every CSV file of a raw folder by a Parquet file of the same text columns."""
    with duckdb.connect() as connection:
        for csv_path in raw_dir.glob("*.csv"):
            connection.execute(
                f"copy (select * from read_csv('{csv_path}', all_varchar = true)) "
                f"to '{csv_path.with_suffix('.parquet')}' (format parquet)"
            )
            csv_path.unlink()


@pytest.fixture(scope="session")
def rejections_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The hand-crafted raw set with one bad row per rejection class, built once."""
    work = tmp_path_factory.mktemp("rejections")
    raw_dir = copy_fixture("raw_rejections", work)
    warehouse = work / "scorecard.duckdb"
    result = run_dbt(["build"], raw_dir=raw_dir, warehouse=warehouse)
    assert result.ok, result.output[-4000:]
    yield warehouse


@dataclass(frozen=True)
class Build:
    raw_dir: Path
    warehouse: Path
    target_dir: Path
    result: DbtRun


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A small generated demo set built once per session; tests read it, never write it."""
    work = tmp_path_factory.mktemp("end_to_end")
    raw_dir = work / "raw"
    generate_raw(raw_dir, DEMO_GENERATOR_ARGS, "parquet")
    warehouse = work / "scorecard.duckdb"
    result = run_dbt(["build"], raw_dir=raw_dir, warehouse=warehouse, raw_format="parquet")
    assert result.ok, result.output[-6000:]
    return Build(raw_dir, warehouse, work / "target", result)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def run_dbt_beside(build: Build, args: list[str], work: Path) -> Path:
    """Runs a dbt command on a finished build in a target folder of its own, seeded with
    the build's partial-parse state, and returns that folder. The build's own folder holds
    its run_results.json, which other tests read and any dbt command would overwrite."""
    target = work / "target"
    target.mkdir()
    partial_parse = build.target_dir / "partial_parse.msgpack"
    if partial_parse.exists():
        shutil.copy(partial_parse, target / partial_parse.name)
    result = run_dbt(
        args,
        raw_dir=build.raw_dir,
        warehouse=build.warehouse,
        raw_format="parquet",
        extra_env={"DBT_TARGET_PATH": str(target), "DBT_LOG_PATH": str(work / "logs")},
    )
    assert result.ok, result.output[-4000:]
    return target
