"""`dbt source freshness` on the raw files: every source with a date column has a
loaded_at_field and thresholds; the latest value is read as staging reads it, recent files
pass, and stale files warn or error as the sources yml configures."""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT, generate_raw, run_dbt

PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
# A short window ending on a fixed past date; shifted in time by the tests that need
# recent data, so what is measured never depends on the day the tests run.
GENERATOR_ARGS = [
    "--tickets",
    "2000",
    "--months",
    "3",
    "--agents",
    "12",
    "--teams",
    "3",
    "--seed",
    "5",
    "--start-date",
    "2025-01-06",
    "--quiet",
]


def source_tables() -> dict[str, dict[str, Any]]:
    """`source.table` -> its columns, loaded_at_field and freshness, merged as dbt does."""
    tables: dict[str, dict[str, Any]] = {}
    for path in sorted(PROJECT_ROOT.glob("models/staging/*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text())["sources"]:
            source_config = source.get("config", {})
            for table in source["tables"]:
                config = {**source_config, **table.get("config", {})}
                tables[f"{source['name']}.{table['name']}"] = {
                    "table": table["name"],
                    "columns": table["columns"],
                    "loaded_at_field": config.get("loaded_at_field"),
                    "freshness": config.get("freshness"),
                }
    return tables


SOURCES = source_tables()
CHECKED = {name: table for name, table in SOURCES.items() if table["freshness"]}


def expected_status(freshness: dict[str, Any], age_seconds: float) -> str:
    for status in ("error", "warn"):
        threshold = freshness.get(f"{status}_after")
        if threshold and age_seconds > threshold["count"] * PERIOD_SECONDS[threshold["period"]]:
            return status
    return "pass"


def shift_raw_files(source_dir: Path, target_dir: Path, seconds: float, raw_format: str) -> None:
    """Copy the raw CSVs with every timestamp moved by `seconds` (dates by whole days);
    values that do not parse stay as they are."""
    target_dir.mkdir(parents=True)
    days = math.floor(seconds / 86400)
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        for table in {t["table"]: t for t in SOURCES.values()}.values():
            replaced = []
            for column in table["columns"]:
                name, data_type = column["name"], column.get("data_type")
                if data_type == "timestamp":
                    replaced.append(
                        f"coalesce(strftime(try_cast({name} as timestamptz) at time zone 'UTC' "
                        f"+ to_seconds({seconds:.0f}), '%Y-%m-%dT%H:%M:%S'), {name}) as {name}"
                    )
                elif data_type == "date":
                    replaced.append(
                        f"coalesce(strftime(try_cast({name} as date) + to_days({days}), "
                        f"'%Y-%m-%d'), {name}) as {name}"
                    )
            select = f"select * replace ({', '.join(replaced)})" if replaced else "select *"
            source = f"read_csv('{source_dir / table['table']}.csv', all_varchar = true)"
            options = "(format parquet)" if raw_format == "parquet" else "(header, format csv)"
            connection.execute(
                f"copy ({select} from {source}) "
                f"to '{target_dir / table['table']}.{raw_format}' {options}"
            )


def latest_loaded_at(raw_dir: Path, raw_format: str) -> dict[str, datetime]:
    """The latest loaded_at_field value per checked table, computed here independently."""
    latest = {}
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        for name, table in CHECKED.items():
            path = raw_dir / f"{table['table']}.{raw_format}"
            reader = (
                f"read_csv('{path}', all_varchar = true)"
                if raw_format == "csv"
                else f"read_parquet('{path}')"
            )
            value = connection.execute(
                f"select max(try_cast({table['loaded_at_field']} as timestamptz)) from {reader}"
            ).fetchone()[0]
            latest[name] = value.astimezone(UTC)
    return latest


@pytest.fixture(scope="module")
def dbt_work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One warehouse and target folder for the module: dbt re-parses only what changed."""
    return tmp_path_factory.mktemp("freshness_dbt")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw_dir = tmp_path_factory.mktemp("freshness") / "raw"
    generate_raw(raw_dir, GENERATOR_ARGS, "csv")
    return raw_dir


def freshness_run(raw_dir: Path, raw_format: str, work: Path) -> tuple[int, dict[str, dict]]:
    warehouse = work / "freshness.duckdb"
    started = time.time()
    result = run_dbt(
        ["source", "freshness"], raw_dir=raw_dir, warehouse=warehouse, raw_format=raw_format
    )
    sources_json = warehouse.parent / "target" / "sources.json"
    assert sources_json.is_file(), result.output[-3000:]
    assert sources_json.stat().st_mtime >= started, result.output[-3000:]
    results = json.loads(sources_json.read_text())["results"]
    by_table = {r["unique_id"].removeprefix("source.cs_scorecard."): r for r in results}
    for name, row in by_table.items():
        assert row["status"] in ("pass", "warn", "error"), (name, row, result.output[-3000:])
    return result.returncode, by_table


def shifted_to_age(generated: Path, work: Path, age: timedelta, raw_format: str) -> Path:
    """The generated files moved in time so that the latest ticket event is `age` old."""
    latest_event = latest_loaded_at(generated, "csv")["ticketing.ticket_events"]
    shift = (datetime.now(UTC) - age - latest_event).total_seconds()
    raw_dir = work / "raw"
    shift_raw_files(generated, raw_dir, shift, raw_format)
    return raw_dir


def test_every_source_with_a_date_has_freshness() -> None:
    unchecked = {name for name in SOURCES if name not in CHECKED}
    assert unchecked == {"hr.teams"}  # no date column: nothing to measure
    for name, table in CHECKED.items():
        assert table["loaded_at_field"], name
        columns = {c["name"]: c for c in table["columns"]}
        assert columns[table["loaded_at_field"]].get("data_type") in ("timestamp", "date"), name
        warn, error = table["freshness"]["warn_after"], table["freshness"]["error_after"]
        assert (
            warn["count"] * PERIOD_SECONDS[warn["period"]]
            < error["count"] * PERIOD_SECONDS[error["period"]]
        ), name


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_recent_raw_files_pass(
    generated: Path, dbt_work: Path, tmp_path: Path, raw_format: str
) -> None:
    raw_dir = shifted_to_age(generated, tmp_path, timedelta(hours=1), raw_format)

    returncode, results = freshness_run(raw_dir, raw_format, dbt_work)

    assert set(results) == set(CHECKED)
    assert {name: row["status"] for name, row in results.items()} == dict.fromkeys(CHECKED, "pass")
    assert returncode == 0
    latest = latest_loaded_at(raw_dir, raw_format)
    for name, row in results.items():
        assert datetime.fromisoformat(row["max_loaded_at"]) == latest[name], name


def test_stale_raw_files_warn_as_configured(
    generated: Path, dbt_work: Path, tmp_path: Path
) -> None:
    raw_dir = shifted_to_age(generated, tmp_path, timedelta(days=2), "csv")

    returncode, results = freshness_run(raw_dir, "csv", dbt_work)

    statuses = {name: row["status"] for name, row in results.items()}
    for name, row in results.items():
        age = row["max_loaded_at_time_ago_in_s"]
        assert statuses[name] == expected_status(CHECKED[name]["freshness"], age), (name, age)
    # Daily exports two days old: past warn_after (1 day), not yet error_after (3 days).
    assert statuses["ticketing.tickets"] == statuses["ticketing.ticket_events"] == "warn"
    assert statuses["surveys.surveys"] == "pass"
    assert returncode == (1 if "error" in statuses.values() else 0)


def test_old_raw_files_error(generated: Path, dbt_work: Path) -> None:
    returncode, results = freshness_run(generated, "csv", dbt_work)

    latest = latest_loaded_at(generated, "csv")
    for name, row in results.items():
        age = (datetime.now(UTC) - latest[name]).total_seconds()
        assert expected_status(CHECKED[name]["freshness"], age) == "error", name
        assert row["status"] == "error", name
    assert set(results) == set(CHECKED)
    assert returncode == 1
