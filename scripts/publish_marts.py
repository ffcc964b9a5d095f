"""Publish the marts of the last successful `dbt build` for BI tools.

DuckDB lets no other process open the warehouse while `dbt build` writes it, and a
reader holding it open would make the next build fail. So BI tools never read the
warehouse: after a successful build this script copies every table of the `marts`
schema into a new DuckDB file beside the published one, with a `_publication` table
(build id, times, as-of date, row counts), checkpoints and closes it, and renames it
onto `<publish dir>/scorecard.duckdb` in one atomic step. It exports the same tables
as Parquet into `<publish dir>/parquet/<build id>/` and swaps the `current` symlink onto
that folder. A reader therefore opens either the previous build or the new one, never
a half-written file, and never holds a lock the build needs.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

PUBLISHED_FILE = "scorecard.duckdb"
PUBLICATION_TABLE = "_publication"
PARQUET_DIR = "parquet"
CURRENT_LINK = "current"
LOCK_FILE = ".publish.lock"
TEMP_MARK = ".tmp"
# Pinned rather than left to the writer's default, so a newer DuckDB that writes a
# newer format by default still publishes a file every DuckDB 1.x client can open.
STORAGE_VERSION = "v1.0.0"
PUBLISHED_ALIAS = "published"
SUCCESS_STATUSES = frozenset({"success", "pass", "warn", "no-op"})
# dbt writes run_results.json just before it closes the warehouse, whose checkpoint
# touches the file a moment later; a warehouse changed well after that was written by a
# later (crashed or killed) run that left no run_results, so the stored success is stale.
STALE_AFTER_SECONDS = 30.0
BUILD_ID_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,127}")
REPORTING_DATES_MODEL = "int_reporting_dates"


class PublishError(Exception):
    """The build cannot be published; the message says why."""


@dataclass(frozen=True)
class BuildInfo:
    build_id: str
    generated_at: datetime
    dbt_version: str


@dataclass(frozen=True)
class Publication:
    build_id: str
    as_of_date: date
    published_at: datetime
    row_counts: dict[str, int]
    published_file: Path
    parquet_folder: Path


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_successful_build(target_dir: Path, warehouse: Path) -> BuildInfo:
    """The build described by run_results.json, or PublishError unless it fully succeeded."""
    run_results_path = target_dir / "run_results.json"
    if not run_results_path.is_file():
        raise PublishError(f"{run_results_path} not found: run `dbt build` first")
    run_results = json.loads(run_results_path.read_text())
    command = run_results.get("args", {}).get("which")
    if command != "build":
        raise PublishError(
            f"{run_results_path} describes `dbt {command}`, not `dbt build`: publish right "
            "after a build (`make build` does)"
        )
    results = run_results.get("results", [])
    if not results:
        raise PublishError(f"{run_results_path} lists no node: nothing was built")
    failed = [
        f"{result['unique_id']} ({result['status']})"
        for result in results
        if result["status"] not in SUCCESS_STATUSES
    ]
    if failed:
        raise PublishError(
            f"the last dbt build did not succeed ({len(failed)} nodes, e.g. "
            f"{', '.join(failed[:3])}): nothing published"
        )
    if not warehouse.is_file():
        raise PublishError(f"warehouse {warehouse} not found")
    if warehouse.stat().st_mtime > run_results_path.stat().st_mtime + STALE_AFTER_SECONDS:
        raise PublishError(
            f"{warehouse} changed after {run_results_path} was written: a later dbt run "
            "did not finish; run `dbt build` again"
        )
    metadata = run_results["metadata"]
    build_id = metadata["invocation_id"]
    if not BUILD_ID_PATTERN.fullmatch(build_id):
        raise PublishError(f"unexpected invocation_id {build_id!r} in {run_results_path}")
    generated_at = datetime.fromisoformat(metadata["generated_at"].replace("Z", "+00:00"))
    return BuildInfo(
        build_id=build_id,
        generated_at=generated_at.astimezone(UTC).replace(tzinfo=None),
        dbt_version=metadata.get("dbt_version", ""),
    )


def model_nodes(target_dir: Path) -> list[dict]:
    manifest_path = target_dir / "manifest.json"
    if not manifest_path.is_file():
        raise PublishError(f"{manifest_path} not found: run `dbt build` first")
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    return [node for node in nodes if node["resource_type"] == "model"]


def read_as_of_date(
    connection: duckdb.DuckDBPyConnection, models: list[dict], warehouse_alias: str
) -> date:
    matches = [node for node in models if node["name"] == REPORTING_DATES_MODEL]
    if not matches:
        raise PublishError(f"model {REPORTING_DATES_MODEL} not in the manifest")
    node = matches[0]
    relation = ".".join(
        quote_identifier(part) for part in (warehouse_alias, node["schema"], node["alias"])
    )
    row = connection.execute(f"select max(as_of_date) from {relation}").fetchone()
    if row is None or row[0] is None:
        raise PublishError(f"{REPORTING_DATES_MODEL} holds no as_of_date")
    return row[0]


@contextmanager
def exclusive_lock(publish_dir: Path) -> Iterator[None]:
    """One publisher at a time, so leftovers of a crashed run can be removed safely."""
    with (publish_dir / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(publish_dir: Path, parquet_root: Path) -> None:
    for leftover in [*publish_dir.glob(f".*{TEMP_MARK}*"), *parquet_root.glob(f".*{TEMP_MARK}*")]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()


def fsync_path(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def copy_tables(
    connection: duckdb.DuckDBPyConnection, warehouse_alias: str, schema: str
) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            """
            select table_name from information_schema.tables
            where table_catalog = ? and table_schema = ?
            order by table_name
            """,
            [warehouse_alias, schema],
        ).fetchall()
    ]
    if not tables:
        raise PublishError(f"schema {schema} of the warehouse holds no table")
    target_schema = f"{PUBLISHED_ALIAS}.{quote_identifier(schema)}"
    connection.execute(f"create schema {target_schema}")
    row_counts: dict[str, int] = {}
    for table in tables:
        source = f"{quote_identifier(warehouse_alias)}.{quote_identifier(schema)}"
        connection.execute(
            f"create table {target_schema}.{quote_identifier(table)} as "
            f"select * from {source}.{quote_identifier(table)}"
        )
        counted = connection.execute(
            f"select count(*) from {target_schema}.{quote_identifier(table)}"
        ).fetchone()
        row_counts[table] = int(counted[0]) if counted else 0
    return row_counts


def copy_descriptions(
    connection: duckdb.DuckDBPyConnection, models: list[dict], schema: str, tables: set[str]
) -> None:
    """dbt's table and column descriptions as comments, which BI tools show beside the names."""
    for node in models:
        if node["schema"] != schema or node["alias"] not in tables:
            continue
        relation = f"{PUBLISHED_ALIAS}.{quote_identifier(schema)}.{quote_identifier(node['alias'])}"
        if node.get("description"):
            connection.execute(
                f"comment on table {relation} is {quote_literal(node['description'])}"
            )
        columns = {
            name
            for (name,) in connection.execute(
                f"select column_name from (describe {relation})"
            ).fetchall()
        }
        for column in node.get("columns", {}).values():
            if column["name"] in columns and column.get("description"):
                connection.execute(
                    f"comment on column {relation}.{quote_identifier(column['name'])} "
                    f"is {quote_literal(column['description'])}"
                )


def write_publication_table(
    connection: duckdb.DuckDBPyConnection,
    build: BuildInfo,
    as_of_date: date,
    published_at: datetime,
    schema: str,
    row_counts: dict[str, int],
) -> None:
    relation = f"{PUBLISHED_ALIAS}.main.{PUBLICATION_TABLE}"
    connection.execute(
        f"""
        create table {relation} (
            build_id varchar not null,
            build_generated_at timestamp not null,
            published_at timestamp not null,
            as_of_date date not null,
            dbt_version varchar not null,
            schema_name varchar not null,
            table_name varchar not null,
            row_count bigint not null,
            primary key (schema_name, table_name)
        )
        """
    )
    connection.executemany(
        f"insert into {relation} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                build.build_id,
                build.generated_at,
                published_at,
                as_of_date,
                build.dbt_version,
                schema,
                table,
                count,
            ]
            for table, count in row_counts.items()
        ],
    )
    connection.execute(
        f"comment on table {relation} is "
        + quote_literal(
            "One row per published table: the dbt build (invocation_id) it comes from, when "
            "it was published, the run's as_of_date and the table's row count."
        )
    )


def export_parquet(
    connection: duckdb.DuckDBPyConnection, schema: str, tables: list[str], folder: Path
) -> None:
    folder.mkdir()
    for table in [*tables, PUBLICATION_TABLE]:
        source_schema = "main" if table == PUBLICATION_TABLE else quote_identifier(schema)
        destination = quote_literal(str(folder / f"{table}.parquet"))
        connection.execute(
            f"copy (select * from {PUBLISHED_ALIAS}.{source_schema}.{quote_identifier(table)}) "
            f"to {destination} (format parquet, compression zstd)"
        )


def swap_current_link(parquet_root: Path, build_id: str) -> str | None:
    """Point `current` at the build's folder in one rename; return the folder it left."""
    current = parquet_root / CURRENT_LINK
    previous = os.readlink(current) if current.is_symlink() else None
    temporary_link = parquet_root / f".{CURRENT_LINK}{TEMP_MARK}"
    # Relative, so the published folder can be moved or mounted elsewhere as a whole.
    os.symlink(build_id, temporary_link)
    os.replace(temporary_link, current)
    fsync_path(parquet_root)
    return previous


def prune_parquet(parquet_root: Path, keep: set[str]) -> None:
    """Drop older builds; the one just replaced stays for readers that are still in it."""
    for child in parquet_root.iterdir():
        if child.name.startswith(".") or child.is_symlink() or not child.is_dir():
            continue
        if child.name not in keep:
            shutil.rmtree(child)


def publish(
    warehouse: Path, target_dir: Path, publish_dir: Path, schema: str = "marts"
) -> Publication:
    build = read_successful_build(target_dir, warehouse)
    models = model_nodes(target_dir)
    parquet_root = publish_dir / PARQUET_DIR
    parquet_root.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(publish_dir):
        remove_leftovers(publish_dir, parquet_root)
        try:
            return publish_build(build, models, warehouse, publish_dir, schema)
        finally:
            # Whatever happened, leave nothing half-written beside the publication.
            remove_leftovers(publish_dir, parquet_root)


def publish_build(
    build: BuildInfo, models: list[dict], warehouse: Path, publish_dir: Path, schema: str
) -> Publication:
    parquet_root = publish_dir / PARQUET_DIR
    published_file = publish_dir / PUBLISHED_FILE
    build_folder = parquet_root / build.build_id
    temporary_file = publish_dir / f".{PUBLISHED_FILE}.{build.build_id}{TEMP_MARK}"
    temporary_folder = parquet_root / f".{build.build_id}{TEMP_MARK}"
    # dbt-duckdb names the warehouse's catalog after the file; attaching it under the
    # same name keeps any view that names its catalog resolvable.
    warehouse_alias = warehouse.stem
    published_at = datetime.now(UTC).replace(tzinfo=None)
    with duckdb.connect() as connection:
        try:
            connection.execute(
                f"attach {quote_literal(str(warehouse))} as "
                f"{quote_identifier(warehouse_alias)} (read_only)"
            )
        except duckdb.IOException as error:
            raise PublishError(
                f"cannot open {warehouse} read-only (is a dbt run still writing it?): {error}"
            ) from error
        connection.execute(
            f"attach {quote_literal(str(temporary_file))} as {PUBLISHED_ALIAS} "
            f"(storage_version {quote_literal(STORAGE_VERSION)})"
        )
        as_of_date = read_as_of_date(connection, models, warehouse_alias)
        row_counts = copy_tables(connection, warehouse_alias, schema)
        connection.execute(f"detach {quote_identifier(warehouse_alias)}")
        copy_descriptions(connection, models, schema, set(row_counts))
        write_publication_table(connection, build, as_of_date, published_at, schema, row_counts)
        # A folder of this build is complete (it is only ever renamed into place whole),
        # and readers may be in it: reuse it rather than rewrite it.
        if not build_folder.is_dir():
            export_parquet(connection, schema, list(row_counts), temporary_folder)
        connection.execute(f"checkpoint {PUBLISHED_ALIAS}")
        connection.execute(f"detach {PUBLISHED_ALIAS}")
    if Path(f"{temporary_file}.wal").exists():
        raise PublishError(f"{temporary_file} kept a write-ahead log after its checkpoint")
    fsync_path(temporary_file)
    if temporary_folder.is_dir():
        temporary_folder.rename(build_folder)
    os.replace(temporary_file, published_file)
    fsync_path(publish_dir)
    previous = swap_current_link(parquet_root, build.build_id)
    prune_parquet(parquet_root, {build.build_id, *([previous] if previous else [])})
    return Publication(
        build_id=build.build_id,
        as_of_date=as_of_date,
        published_at=published_at,
        row_counts=row_counts,
        published_file=published_file,
        parquet_folder=build_folder,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("SCORECARD_DB", "warehouse/scorecard.duckdb")),
        help="the warehouse dbt built (default: $SCORECARD_DB or warehouse/scorecard.duckdb)",
    )
    parser.add_argument(
        "--target-dir",
        type=Path,
        default=Path(os.environ.get("DBT_TARGET_PATH", "target")),
        help="dbt's target folder with run_results.json and manifest.json "
        "(default: $DBT_TARGET_PATH or target)",
    )
    parser.add_argument(
        "--publish-dir",
        type=Path,
        default=Path(os.environ.get("SCORECARD_PUBLISH_DIR", "warehouse/published")),
        help="where BI tools read (default: $SCORECARD_PUBLISH_DIR or warehouse/published)",
    )
    parser.add_argument("--schema", default="marts", help="the schema to publish")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        publication = publish(args.warehouse, args.target_dir, args.publish_dir, args.schema)
    except PublishError as error:
        print(f"publish_marts: {error}", file=sys.stderr)
        return 1
    rows = sum(publication.row_counts.values())
    print(
        f"published build {publication.build_id} (as of {publication.as_of_date}): "
        f"{len(publication.row_counts)} tables, {rows} rows in "
        f"{time.perf_counter() - started:.1f} s\n"
        f"  DuckDB:  {publication.published_file.resolve()}\n"
        f"  Parquet: {(publication.parquet_folder.parent / CURRENT_LINK).absolute()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
