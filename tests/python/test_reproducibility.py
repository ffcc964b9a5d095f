"""Idempotent and reproducible builds.

A second full build of the demo input, into a fresh warehouse, with the wall clock moved
years ahead (libfaketime) and the run's `as_of_date` given explicitly as the date the
first build derived from the data, must give byte-for-byte the same marts. Equal content
proves both properties at once: two builds of the same input agree, and neither the
build's date nor its clock leaks into the scorecard. The compiled SQL is also checked
for clock functions, so a dependency on the clock is caught even where the demo data
would hide it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT, Build, query, run_dbt

FAKED_CLOCK = "2031-01-01 00:00:00"
CLOCK_FUNCTIONS = re.compile(
    r"\b(current_date|current_timestamp|now\s*\(|get_current_time|today\s*\(|localtimestamp)",
    re.IGNORECASE,
)


def mart_tables(warehouse: Path) -> list[str]:
    rows = query(
        warehouse,
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name",
    )
    return [name for (name,) in rows]


def content_hashes(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Row count and an order-independent digest of every mart's rows.

    A row is rendered as DuckDB's text of the whole row, in which doubles print in their
    shortest round-trip form, so two digests agree only when every value is bit-equal."""
    hashes: dict[str, tuple[int, str]] = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table in mart_tables(warehouse):
            count, digest = connection.execute(
                f"""
                select count(*), md5(coalesce(string_agg(row_digest, ',' order by row_digest), ''))
                from (
                    select md5(cast(mart_row as varchar)) as row_digest
                    from marts.{table} as mart_row
                )
                """
            ).fetchone()
            hashes[table] = (count, digest)
    return hashes


def assert_marts_identical(first_warehouse: Path, second_warehouse: Path) -> None:
    """Every mart exists in both warehouses, is not empty, and holds bit-equal rows."""
    first = content_hashes(first_warehouse)
    second = content_hashes(second_warehouse)
    mart_models = {path.stem for path in (PROJECT_ROOT / "models" / "marts").rglob("*.sql")}
    assert set(first) == mart_models
    assert set(second) == mart_models
    differing = {
        table: (first[table], second[table]) for table in first if first[table] != second[table]
    }
    assert not differing, differing
    assert all(count > 0 for count, _ in first.values()), first


@pytest.fixture(scope="module")
def as_of_date(demo_build: Build) -> str:
    ((value,),) = query(
        demo_build.warehouse, "select max(as_of_date) from intermediate.int_reporting_dates"
    )
    return value.isoformat()


@pytest.fixture(scope="module")
def rebuilt(demo_build: Build, as_of_date: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    faketime = shutil.which("faketime")
    assert faketime, "libfaketime is missing: run `make test-tools`"
    warehouse = tmp_path_factory.mktemp("rebuild") / "scorecard.duckdb"
    result = run_dbt(
        ["build", "--vars", f"{{as_of_date: '{as_of_date}'}}"],
        raw_dir=demo_build.raw_dir,
        warehouse=warehouse,
        raw_format="parquet",
        wrapper=[faketime, FAKED_CLOCK],
    )
    assert result.ok, result.output[-6000:]
    return warehouse


def test_faked_clock_reaches_the_build(rebuilt: Path) -> None:
    """Guards the test itself: the second build really ran in 2031."""
    run_results = (rebuilt.parent / "target" / "run_results.json").read_text()
    assert '"generated_at": "2031-' in run_results


def test_rebuild_gives_identical_marts(demo_build: Build, rebuilt: Path) -> None:
    assert_marts_identical(demo_build.warehouse, rebuilt)


def test_no_clock_function_in_compiled_sql(rebuilt: Path) -> None:
    compiled = rebuilt.parent / "target" / "compiled"
    files = list(compiled.rglob("*.sql"))
    assert len(files) > 50
    offenders = {
        str(path.relative_to(compiled))
        for path in files
        if CLOCK_FUNCTIONS.search(path.read_text())
    }
    assert not offenders, offenders
