"""The same project on DuckDB, PostgreSQL and Apache Spark gives the same answers.

One small generated data set (with its bad rows) is built with a full `dbt build`
(models, data tests, unit tests) on each engine: DuckDB reads the files, the
others read the tables scripts/load_raw.py loads. The scorecard, the ticket mart
and the row accounting must then agree row for row. PostgreSQL runs on the local
server of scripts/start_postgres.sh, Spark in-process (`method: session`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
from conftest import GENERATOR, PROJECT_ROOT, run_dbt

# Small on purpose: Spark pays for every statement, and CI time matters.
CROSS_ENGINE_GENERATOR_ARGS = [
    "--tickets",
    "600",
    "--months",
    "3",
    "--agents",
    "8",
    "--teams",
    "2",
    "--seed",
    "11",
    "--quiet",
]
COMPARED_MARTS = ["fct_kpi_cascade", "fct_tickets", "audit_row_counts"]
PG_PORT = os.environ.get("SCORECARD_PG_PORT", "5433")
PG_DATABASE = "scorecard_cross_engine"
ENGINES = ["postgres", "spark"]


def postgres_connection(database: str) -> psycopg2.extensions.connection:
    return psycopg2.connect(host="127.0.0.1", port=int(PG_PORT), user="postgres", dbname=database)


def recreate_postgres_database() -> None:
    """A database of its own, so the test never touches another one's schemas."""
    connection = postgres_connection("postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f"drop database if exists {PG_DATABASE} with (force)")
        cursor.execute(f"create database {PG_DATABASE}")
    connection.close()


def engine_env(engine: str, work: Path) -> dict[str, str]:
    return {
        "SCORECARD_TARGET": engine,
        "SCORECARD_RAW_SCHEMA": "raw",
        "SCORECARD_PG_PORT": PG_PORT,
        "SCORECARD_PG_DATABASE": PG_DATABASE,
        "SCORECARD_SPARK_DIR": str(work / "spark"),
        "SCORECARD_THREADS": "2",
        "DBT_TARGET_PATH": str(work / f"target-{engine}"),
        "DBT_LOG_PATH": str(work / f"logs-{engine}"),
    }


def load_raw(engine: str, raw_dir: Path, work: Path) -> None:
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "SCORECARD_RAW_DIR": str(raw_dir),
        "SCORECARD_RAW_FORMAT": "parquet",
        **engine_env(engine, work),
    }
    loaded = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "scripts" / "load_raw.py"), "--target", engine],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]


def normalise(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def read_duckdb(path: Path, table: str) -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        result = connection.execute(f"select * from marts.{table}")
        return [column[0] for column in result.description], result.fetchall()


def read_postgres(table: str) -> tuple[list[str], list[tuple]]:
    connection = postgres_connection(PG_DATABASE)
    with connection.cursor() as cursor:
        cursor.execute(f"select * from marts.{table}")
        columns = [column[0] for column in cursor.description or []]
        rows = cursor.fetchall()
    connection.close()
    return columns, rows


def read_spark(work: Path, table: str) -> tuple[list[str], list[tuple]]:
    """Spark's managed tables are Parquet folders: read them without starting a JVM."""
    folder = work / "spark" / "spark-warehouse" / "marts.db" / table
    assert folder.is_dir(), f"Spark table folder missing: {folder}"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        result = connection.execute(f"select * from read_parquet('{folder}/*.parquet')")
        return [column[0] for column in result.description], result.fetchall()


def sort_key(row: tuple) -> tuple:
    """Orders rows by their values, floats rounded so last-bit differences do not reorder."""
    key = []
    for value in row:
        if isinstance(value, float):
            key.append((1, f"{value:.6g}"))
        else:
            key.append((0 if value is None else 1, "" if value is None else str(value)))
    return tuple(key)


def same_value(left: object, right: object) -> bool:
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers) and not isinstance(left, bool):
        if isinstance(left, float) or isinstance(right, float):
            # 1e-9 relative; abs_tol only absorbs rounding residue around zero.
            return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
        return left == right
    return left == right


@pytest.fixture(scope="module")
def engine_builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    work = tmp_path_factory.mktemp("cross_engine")
    raw_dir = work / "raw"
    generated = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--out",
            str(raw_dir),
            "--format",
            "parquet",
            *CROSS_ENGINE_GENERATOR_ARGS,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout[-3000:] + generated.stderr[-3000:]

    warehouse = work / "scorecard.duckdb"
    built = run_dbt(
        ["build"],
        raw_dir=raw_dir,
        warehouse=warehouse,
        raw_format="parquet",
        extra_env={"SCORECARD_TARGET": "duckdb"},
    )
    assert built.ok, "duckdb: " + built.output[-6000:]

    started = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "start_postgres.sh")],
        cwd=PROJECT_ROOT,
        env={**os.environ, "SCORECARD_PG_PORT": PG_PORT},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    recreate_postgres_database()

    for engine in ENGINES:
        load_raw(engine, raw_dir, work)
        built = run_dbt(
            ["build"],
            raw_dir=raw_dir,
            warehouse=warehouse,
            raw_format="parquet",
            extra_env=engine_env(engine, work),
        )
        assert built.ok, f"{engine}: " + built.output[-6000:]

    yield {"duckdb": warehouse, "work": work}


def read_mart(engine: str, builds: dict[str, object], table: str) -> tuple[list[str], list[tuple]]:
    if engine == "duckdb":
        columns, rows = read_duckdb(Path(str(builds["duckdb"])), table)
    elif engine == "postgres":
        columns, rows = read_postgres(table)
    else:
        columns, rows = read_spark(Path(str(builds["work"])), table)
    normalised = [tuple(normalise(value) for value in row) for row in rows]
    return columns, sorted(normalised, key=sort_key)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("table", COMPARED_MARTS)
def test_mart_equals_duckdb(engine_builds: dict[str, object], engine: str, table: str) -> None:
    expected_columns, expected_rows = read_mart("duckdb", engine_builds, table)
    columns, rows = read_mart(engine, engine_builds, table)
    assert columns == expected_columns
    assert expected_rows, f"duckdb built an empty {table}: nothing would be compared"
    assert len(rows) == len(expected_rows), (
        f"{engine}.{table}: {len(rows)} rows, duckdb {len(expected_rows)}"
    )
    for expected, actual in zip(expected_rows, rows, strict=True):
        differing = [
            f"{name}: duckdb {left!r}, {engine} {right!r}"
            for name, left, right in zip(expected_columns, expected, actual, strict=True)
            if not same_value(left, right)
        ]
        assert not differing, (
            f"{table} row {dict(zip(expected_columns, expected, strict=True))}: "
            + "; ".join(differing)
        )


def test_scorecard_has_every_perspective(engine_builds: dict[str, object]) -> None:
    """The comparison above is only worth something if the small set fills the scorecard."""
    columns, rows = read_mart("duckdb", engine_builds, "fct_kpi_cascade")
    perspective = columns.index("perspective")
    assert {row[perspective] for row in rows} == {"customer", "operational", "financial", "people"}
