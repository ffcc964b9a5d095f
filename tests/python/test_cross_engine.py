"""The same project on DuckDB, PostgreSQL and Apache Spark gives the same answers.

One small generated data set (with its bad rows) is built with a full `dbt build`
(models, data tests, unit tests) on each engine: DuckDB reads the files, the
others read the tables scripts/load_raw.py loads. The scorecard, the ticket mart
and the row accounting must then agree row for row. PostgreSQL runs on the local
server of scripts/start_postgres.sh, Spark in-process (`method: session`).

The data set is the final state of `scripts/split_last_day.py` (the last day, late
events and re-exports appended), so each engine can also refresh its incremental
models from the initial state with its own strategy (delete+insert; insert_overwrite
of partitions on Spark) and must get the full build's rows.
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
import pytest
from conftest import (
    PG_PORT,
    PROJECT_ROOT,
    generate_raw,
    postgres_connection,
    run_dbt,
    start_postgres_database,
)
from script_loading import load_script

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
PG_DATABASE = "scorecard_cross_engine"
ENGINES = ["postgres", "spark"]
INCREMENTAL_MODELS = {
    "base_ticketing__tickets": "staging",
    "base_ticketing__ticket_events": "staging",
    "stg_ticketing__ticket_events": "staging",
    "int_ticket_events_sequenced": "intermediate",
    "int_ticket_lifecycles_derived": "intermediate",
}
# Bookkeeping of the refresh itself: the run stamp and Spark's partition column.
REFRESH_COLUMNS = {"_loaded_at", "_refresh_partition"}


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


def read_duckdb(path: Path, table: str, schema: str = "marts") -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as connection:
        result = connection.execute(f"select * from {schema}.{table}")
        return [column[0] for column in result.description], result.fetchall()


def read_postgres(table: str, schema: str = "marts") -> tuple[list[str], list[tuple]]:
    connection = postgres_connection(PG_DATABASE)
    with connection.cursor() as cursor:
        cursor.execute(f"select * from {schema}.{table}")
        columns = [column[0] for column in cursor.description or []]
        rows = cursor.fetchall()
    connection.close()
    return columns, rows


def read_spark(work: Path, table: str, schema: str = "marts") -> tuple[list[str], list[tuple]]:
    """Spark's managed tables are Parquet folders (partitioned ones one level deeper,
    `_refresh_partition=<value>/`): read them without starting a JVM."""
    folder = work / "spark" / "spark-warehouse" / f"{schema}.db" / table
    assert folder.is_dir(), f"Spark table folder missing: {folder}"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        result = connection.execute(
            f"select * from read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
        )
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
    generated_dir = work / "generated"
    generate_raw(generated_dir, CROSS_ENGINE_GENERATOR_ARGS, "parquet")
    initial_dir, raw_dir = work / "initial", work / "raw"
    load_script(PROJECT_ROOT / "scripts" / "split_last_day.py").split_last_day(
        generated_dir, initial_dir, raw_dir
    )

    warehouse = work / "scorecard.duckdb"
    built = run_dbt(
        ["build"],
        raw_dir=raw_dir,
        warehouse=warehouse,
        raw_format="parquet",
        extra_env={"SCORECARD_TARGET": "duckdb"},
    )
    assert built.ok, "duckdb: " + built.output[-6000:]

    start_postgres_database(PG_DATABASE)

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

    yield {"duckdb": warehouse, "work": work, "initial": initial_dir, "final": raw_dir}


def read_mart(
    engine: str, builds: dict[str, object], table: str, schema: str = "marts"
) -> tuple[list[str], list[tuple]]:
    if engine == "duckdb":
        columns, rows = read_duckdb(Path(str(builds["duckdb"])), table, schema)
    elif engine == "postgres":
        columns, rows = read_postgres(table, schema)
    else:
        columns, rows = read_spark(Path(str(builds["work"])), table, schema)
    normalised = [tuple(normalise(value) for value in row) for row in rows]
    return columns, sorted(normalised, key=sort_key)


def read_refreshed_model(
    engine: str, builds: dict[str, object], model: str
) -> tuple[list[str], list[tuple], int]:
    """The model's rows without the refresh bookkeeping, and how many rows carry the
    newest run stamp (the rows the last run wrote)."""
    columns, rows = read_mart(engine, builds, model, INCREMENTAL_MODELS[model])
    stamp_index = columns.index("_loaded_at")
    newest_stamp = max((row[stamp_index] for row in rows), default=None)
    newest = sum(1 for row in rows if row[stamp_index] == newest_stamp)
    kept = [index for index, name in enumerate(columns) if name not in REFRESH_COLUMNS]
    trimmed = [tuple(row[index] for index in kept) for row in rows]
    return [columns[index] for index in kept], sorted(trimmed, key=sort_key), newest


@pytest.fixture(scope="module")
def incremental_refreshes(engine_builds: dict[str, object]) -> dict[str, dict[str, object]]:
    """Per engine: the incremental models as the full build left them, then after a
    build of the initial state and an incremental run on the final state."""
    work = Path(str(engine_builds["work"]))
    warehouse = Path(str(engine_builds["duckdb"]))
    selection = ["--select", "+int_ticket_lifecycles_derived"]
    refreshes: dict[str, dict[str, object]] = {}
    for engine in ["duckdb", *ENGINES]:
        full = {
            model: read_refreshed_model(engine, engine_builds, model)
            for model in INCREMENTAL_MODELS
        }
        env = {"SCORECARD_TARGET": "duckdb"} if engine == "duckdb" else engine_env(engine, work)
        for state, args in (("initial", ["--full-refresh"]), ("final", [])):
            raw_dir = Path(str(engine_builds[state]))
            if engine != "duckdb":
                load_raw(engine, raw_dir, work)
            ran = run_dbt(
                ["run", *selection, *args],
                raw_dir=raw_dir,
                warehouse=warehouse,
                raw_format="parquet",
                extra_env=env,
            )
            assert ran.ok, f"{engine} {state}: " + ran.output[-6000:]
        refreshed = {
            model: read_refreshed_model(engine, engine_builds, model)
            for model in INCREMENTAL_MODELS
        }
        target = Path(env.get("DBT_TARGET_PATH", str(warehouse.parent / "target")))
        run_sql = {
            path.stem: path.read_text(encoding="utf-8")
            for path in (target / "run").rglob("*.sql")
            if path.stem in INCREMENTAL_MODELS
        }
        refreshes[engine] = {"full": full, "refreshed": refreshed, "run_sql": run_sql}
    return refreshes


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


@pytest.mark.parametrize("engine", ["duckdb", *ENGINES])
@pytest.mark.parametrize("model", list(INCREMENTAL_MODELS))
def test_incremental_refresh_equals_full_build(
    incremental_refreshes: dict[str, dict[str, object]], engine: str, model: str
) -> None:
    """Each engine's strategy refreshes only part of the table and still gets every row
    of the full build."""
    full = incremental_refreshes[engine]["full"][model]  # type: ignore[index]
    refreshed = incremental_refreshes[engine]["refreshed"][model]  # type: ignore[index]
    full_columns, full_rows, _ = full
    columns, rows, newest = refreshed
    assert columns == full_columns
    assert full_rows, f"{engine}: the full build left {model} empty: nothing would be compared"
    assert 0 < newest < len(rows), (
        f"{engine}.{model}: the incremental run wrote {newest} of {len(rows)} rows;"
        " it should refresh some rows and keep the others"
    )
    missing = sorted(set(full_rows) - set(rows), key=sort_key)[:5]
    extra = sorted(set(rows) - set(full_rows), key=sort_key)[:5]
    assert rows == full_rows, f"{engine}.{model}: missing {missing}, unexpected {extra}"


@pytest.mark.parametrize("engine", ["duckdb", *ENGINES])
def test_incremental_strategy_of_each_engine(
    incremental_refreshes: dict[str, dict[str, object]], engine: str
) -> None:
    """Spark's parquet tables are refreshed by overwriting partitions, the others by
    deleting and inserting the refreshed keys."""
    run_sql = incremental_refreshes[engine]["run_sql"]
    assert isinstance(run_sql, dict)
    assert set(run_sql) == set(INCREMENTAL_MODELS)
    expected = "insert overwrite table" if engine == "spark" else "delete from"
    for model, sql in run_sql.items():
        assert expected in sql.lower(), f"{engine}.{model}: no '{expected}' in\n{sql[:2000]}"
