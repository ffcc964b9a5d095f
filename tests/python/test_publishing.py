"""Publishing the marts for BI tools (`scripts/publish_marts.py`).

The main test runs a separate reader process (`publication_reader.py`) that reads the
published marts in a loop, through DuckDB, SQLAlchemy and the Parquet `current` folder,
for the whole of a second `dbt build` (another as_of_date) and its publication, and
checks that no read failed, that every read saw exactly the row counts its
`_publication` announces, that the readers moved from the first build to the second,
and that the build was not blocked by them.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
from conftest import PROJECT_ROOT, Build, query, run_dbt

PUBLISHER = PROJECT_ROOT / "scripts" / "publish_marts.py"
READER = Path(__file__).with_name("publication_reader.py")
READ_KINDS = ("duckdb", "sqlalchemy", "parquet")
# Storage version 64 is the format DuckDB 0.10 to 1.1 write; every 1.x client reads it.
DUCKDB_1_0_STORAGE_NUMBER = 64
PERSONAL_DATA_COLUMNS = {"requester_email", "subject", "comment", "email"}
MIN_READS_DURING_BUILD = 10  # per way of reading
# Modest, so the reader does not starve the build of CPU on a small machine.
READER_PAUSE_SECONDS = "1.0"
WAIT_SECONDS = 120.0


def publish(warehouse: Path, target_dir: Path, publish_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SCORECARD_DB": str(warehouse),
        "DBT_TARGET_PATH": str(target_dir),
        "SCORECARD_PUBLISH_DIR": str(publish_dir),
    }
    return subprocess.run(
        [sys.executable, str(PUBLISHER)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def invocation_id(target_dir: Path) -> str:
    return json.loads((target_dir / "run_results.json").read_text())["metadata"]["invocation_id"]


def publication(published_file: Path) -> tuple[str, date, dict[str, int]]:
    rows = query(
        published_file, "select build_id, as_of_date, table_name, row_count from _publication"
    )
    assert len({row[0] for row in rows}) == 1, rows
    assert len({row[1] for row in rows}) == 1, rows
    return rows[0][0], rows[0][1], {row[2]: row[3] for row in rows}


def marts_row_counts(database: Path) -> dict[str, int]:
    tables = [
        name
        for (name,) in query(
            database,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        )
    ]
    union = " union all ".join(f"select '{table}', count(*) from marts.{table}" for table in tables)
    return dict(query(database, union))


def fake_target(source: Path, destination: Path, **changes: Any) -> Path:
    """A copy of a build's target folder whose run_results.json is altered."""
    destination.mkdir(parents=True)
    shutil.copy(source / "manifest.json", destination / "manifest.json")
    run_results = json.loads((source / "run_results.json").read_text())
    run_results["metadata"]["invocation_id"] = changes.get("build_id", str(uuid.uuid4()))
    if "which" in changes:
        run_results["args"]["which"] = changes["which"]
    if "failed_status" in changes:
        run_results["results"][-1]["status"] = changes["failed_status"]
    (destination / "run_results.json").write_text(json.dumps(run_results))
    return destination


def published_state(publish_dir: Path) -> tuple[int, int, str]:
    stat = (publish_dir / "scorecard.duckdb").stat()
    return stat.st_ino, stat.st_mtime_ns, os.readlink(publish_dir / "parquet" / "current")


def build_folders(publish_dir: Path) -> set[str]:
    root = publish_dir / "parquet"
    return {child.name for child in root.iterdir() if child.is_dir() and not child.is_symlink()}


def read_log(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines() if line.endswith("}")]


def wait_for_reads(log: Path, build_id: str, times: int, reader: subprocess.Popen) -> None:
    """Until every way of reading has seen the build `times` times."""
    deadline = time.time() + WAIT_SECONDS
    while time.time() < deadline:
        seen = Counter(read["kind"] for read in read_log(log) if read.get("build_id") == build_id)
        if all(seen[kind] >= times for kind in READ_KINDS):
            return
        assert reader.poll() is None, "the reader process stopped early"
        time.sleep(0.5)
    raise AssertionError(
        f"readers did not see build {build_id} {times} times: {read_log(log)[-6:]}"
    )


def test_publish_copies_every_mart_in_a_duckdb_1_file(demo_build: Build, tmp_path: Path) -> None:
    publish_dir = tmp_path / "published"
    result = publish(demo_build.warehouse, demo_build.target_dir, publish_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    published_file = publish_dir / "scorecard.duckdb"

    with published_file.open("rb") as handle:
        magic, storage_number = struct.Struct("<8x4sQ").unpack(handle.read(20))
    assert (magic, storage_number) == (b"DUCK", DUCKDB_1_0_STORAGE_NUMBER)

    build_id, as_of_date, counts = publication(published_file)
    assert build_id == invocation_id(demo_build.target_dir)
    [(expected_as_of,)] = query(
        demo_build.warehouse, "select as_of_date from intermediate.int_reporting_dates"
    )
    assert as_of_date == expected_as_of
    warehouse_counts = marts_row_counts(demo_build.warehouse)
    assert counts == warehouse_counts
    assert marts_row_counts(published_file) == warehouse_counts
    assert sum(counts.values()) > 0

    tables = query(published_file, "select schema_name, table_name from duckdb_tables()")
    assert {table for schema, table in tables if schema != "marts"} == {"_publication"}
    columns = {
        name
        for (name,) in query(
            published_file, "select column_name from duckdb_columns() where not internal"
        )
    }
    assert columns & PERSONAL_DATA_COLUMNS == set()

    current = publish_dir / "parquet" / "current"
    assert os.readlink(current) == build_id
    with duckdb.connect() as connection:
        for table, count in counts.items():
            parquet = str(current / f"{table}.parquet")
            [(parquet_count,)] = connection.execute(
                "select count(*) from read_parquet(?)", [parquet]
            ).fetchall()
            assert parquet_count == count, table
        [(parquet_build,)] = connection.execute(
            "select distinct build_id from read_parquet(?)", [str(current / "_publication.parquet")]
        ).fetchall()
    assert parquet_build == build_id
    assert sorted(path.name for path in publish_dir.iterdir()) == [
        ".publish.lock",
        "parquet",
        "scorecard.duckdb",
    ]


def test_only_a_successful_build_is_published(demo_build: Build, tmp_path: Path) -> None:
    publish_dir = tmp_path / "published"
    first = publish(demo_build.warehouse, demo_build.target_dir, publish_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    before = published_state(publish_dir)

    stale = fake_target(demo_build.target_dir, tmp_path / "stale")
    old = demo_build.warehouse.stat().st_mtime - 3600
    os.utime(stale / "run_results.json", (old, old))
    refused = {
        "failed test": (
            fake_target(demo_build.target_dir, tmp_path / "fail", failed_status="fail"),
            "did not succeed",
        ),
        "model error": (
            fake_target(demo_build.target_dir, tmp_path / "error", failed_status="error"),
            "did not succeed",
        ),
        "docs generate": (
            fake_target(demo_build.target_dir, tmp_path / "docs", which="generate"),
            "not `dbt build`",
        ),
        "stale results": (stale, "changed after"),
        "no results": (tmp_path / "empty", "not found"),
    }
    for case, (target_dir, message) in refused.items():
        result = publish(demo_build.warehouse, target_dir, publish_dir)
        assert result.returncode == 1, case
        assert message in result.stderr, (case, result.stderr)
        assert published_state(publish_dir) == before, case

    # A dbt run still holding the warehouse (DuckDB allows one writer and no reader then).
    busy = tmp_path / "busy" / "scorecard.duckdb"
    busy.parent.mkdir()
    shutil.copy(demo_build.warehouse, busy)
    target_dir = fake_target(demo_build.target_dir, tmp_path / "busy_target")
    with duckdb.connect(str(busy)):
        result = publish(busy, target_dir, publish_dir)
    assert result.returncode == 1
    assert "is a dbt run still writing it" in result.stderr, result.stderr
    assert published_state(publish_dir) == before
    assert sorted(path.name for path in publish_dir.iterdir()) == [
        ".publish.lock",
        "parquet",
        "scorecard.duckdb",
    ]
    assert publication(publish_dir / "scorecard.duckdb")[0] == invocation_id(demo_build.target_dir)


def test_older_parquet_builds_are_pruned_but_the_replaced_one_stays(
    demo_build: Build, tmp_path: Path
) -> None:
    publish_dir = tmp_path / "published"
    build_ids = [str(uuid.uuid4()) for _ in range(3)]
    for number, build_id in enumerate(build_ids):
        target_dir = fake_target(demo_build.target_dir, tmp_path / build_id, build_id=build_id)
        result = publish(demo_build.warehouse, target_dir, publish_dir)
        assert result.returncode == 0, result.stdout + result.stderr
        assert os.readlink(publish_dir / "parquet" / "current") == build_id
        assert build_folders(publish_dir) == set(build_ids[max(0, number - 1) : number + 1])
        assert publication(publish_dir / "scorecard.duckdb")[0] == build_id


def test_readers_see_one_whole_build_at_a_time_and_never_block_a_build(
    demo_build: Build, tmp_path: Path
) -> None:
    publish_dir = tmp_path / "published"
    first = publish(demo_build.warehouse, demo_build.target_dir, publish_dir)
    assert first.returncode == 0, first.stdout + first.stderr
    first_id, first_as_of, first_counts = publication(publish_dir / "scorecard.duckdb")

    # The second build rebuilds a copy of the first warehouse in place, as `make build`
    # does, on other input: a month earlier as_of_date, so the row counts differ.
    warehouse = tmp_path / "build" / "scorecard.duckdb"
    warehouse.parent.mkdir()
    shutil.copy(demo_build.warehouse, warehouse)
    second_as_of = first_as_of - timedelta(days=31)

    log = tmp_path / "reads.jsonl"
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [
            sys.executable,
            str(READER),
            "--publish-dir",
            str(publish_dir),
            "--stop-file",
            str(stop),
            "--log",
            str(log),
            "--pause",
            READER_PAUSE_SECONDS,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_reads(log, first_id, 1, reader)
        build_started = time.time()
        build = run_dbt(
            # An earlier as_of_date needs a full refresh of the incremental models.
            [
                "build",
                "--full-refresh",
                "--vars",
                json.dumps({"as_of_date": second_as_of.isoformat()}),
            ],
            raw_dir=demo_build.raw_dir,
            warehouse=warehouse,
            raw_format="parquet",
        )
        build_ended = time.time()
        assert build.ok, build.output[-6000:]
        second = publish(warehouse, warehouse.parent / "target", publish_dir)
        published = time.time()
        assert second.returncode == 0, second.stdout + second.stderr
        second_id, published_as_of, second_counts = publication(publish_dir / "scorecard.duckdb")
        wait_for_reads(log, second_id, 3, reader)
    finally:
        stop.touch()
        try:
            reader_output, _ = reader.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            reader.kill()
            reader_output, _ = reader.communicate()
    assert reader.returncode == 0, reader_output

    assert second_id == invocation_id(warehouse.parent / "target") != first_id
    assert published_as_of == second_as_of
    assert second_counts != first_counts

    reads = read_log(log)
    failures = [read for read in reads if not read["ok"]]
    inconsistent = [read for read in reads if read["ok"] and read["problems"]]
    during_build = Counter(
        read["kind"]
        for read in reads
        if read["started"] >= build_started and read["ended"] <= build_ended
    )
    during_publish = [
        read for read in reads if read["started"] < published and read["ended"] > build_ended
    ]
    print(
        f"\npublishing under load: {len(reads)} reads ({dict(Counter(r['kind'] for r in reads))}),"
        f" {len(failures)} failed, {len(inconsistent)} inconsistent;"
        f" {sum(during_build.values())} during the {build_ended - build_started:.1f} s dbt build,"
        f" {len(during_publish)} during the {published - build_ended:.1f} s publication"
    )
    assert failures == [], failures[:5]
    assert inconsistent == [], inconsistent[:5]
    for kind in READ_KINDS:
        assert during_build[kind] >= MIN_READS_DURING_BUILD, during_build
        order = [read["build_id"] for read in reads if read["kind"] == kind]
        moves = [
            build_id
            for number, build_id in enumerate(order)
            if order[number - 1 : number] != [build_id]
        ]
        assert moves == [first_id, second_id], (kind, moves)
    assert during_publish, "no read overlapped the publication"
