"""A raw file or required column that is missing stops the build with a message that
names it; an optional column that is absent is read as null."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_fixture, csv_folder_to_parquet, drop_csv_column, query, run_dbt


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_missing_raw_file_names_the_file(tmp_path: Path, raw_format: str) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    if raw_format == "parquet":
        csv_folder_to_parquet(raw_dir)
    (raw_dir / f"tickets.{raw_format}").unlink()

    result = run_dbt(
        ["run", "--select", "base_ticketing__tickets"],
        raw_dir=raw_dir,
        warehouse=tmp_path / "w.duckdb",
        raw_format=raw_format,
    )

    assert not result.ok
    assert f"Raw file not found: {raw_dir}/tickets.{raw_format}" in result.output
    assert "raw table 'tickets'" in result.output


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_missing_required_column_names_file_and_column(tmp_path: Path, raw_format: str) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    drop_csv_column(raw_dir / "ticket_events.csv", "event_type")
    if raw_format == "parquet":
        csv_folder_to_parquet(raw_dir)

    result = run_dbt(
        ["run", "--select", "base_ticketing__tickets", "base_ticketing__ticket_events"],
        raw_dir=raw_dir,
        warehouse=tmp_path / "w.duckdb",
        raw_format=raw_format,
    )

    assert not result.ok
    assert (
        f"Raw table 'ticket_events' ({raw_dir}/ticket_events.{raw_format}) "
        "is missing required column(s): event_type"
    ) in result.output


def test_absent_optional_columns_are_read_as_null(tmp_path: Path) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    drop_csv_column(raw_dir / "tickets.csv", "subject")
    drop_csv_column(raw_dir / "accounts.csv", "currency")
    warehouse = tmp_path / "w.duckdb"

    result = run_dbt(
        ["run", "--select", "base_ticketing__tickets", "base_crm__accounts", "stg_crm__accounts"],
        raw_dir=raw_dir,
        warehouse=warehouse,
    )

    assert result.ok, result.output[-3000:]
    assert query(warehouse, "select count(*) from staging.base_ticketing__tickets") == [(8,)]
    # No currency column: every account is in the reporting currency.
    assert query(warehouse, "select distinct currency from staging.stg_crm__accounts") == [("USD",)]


def test_headers_match_case_insensitively(tmp_path: Path) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    teams = raw_dir / "teams.csv"
    lines = teams.read_text().splitlines()
    teams.write_text("\n".join([lines[0].upper(), *lines[1:]]) + "\n")
    warehouse = tmp_path / "w.duckdb"

    result = run_dbt(["run", "--select", "base_hr__teams"], raw_dir=raw_dir, warehouse=warehouse)

    assert result.ok, result.output[-3000:]
    assert query(warehouse, "select count(*) from staging.base_hr__teams where team_id = 'T1'") == [
        (2,)
    ]


def test_unknown_raw_format_is_refused(tmp_path: Path) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    result = run_dbt(
        ["run", "--select", "base_hr__teams"],
        raw_dir=raw_dir,
        warehouse=tmp_path / "w.duckdb",
        raw_format="xlsx",
    )
    assert not result.ok
    assert "SCORECARD_RAW_FORMAT must be 'csv' or 'parquet'" in result.output
