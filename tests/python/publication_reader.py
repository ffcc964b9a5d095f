"""A BI reader for test_publishing: loops over the published marts until told to stop.

Each round reads the publication three ways, as the connection recipe in the docs says
a BI tool would: DuckDB read-only, SQLAlchemy (duckdb-engine) read-only, and the Parquet
`current` folder. Each read takes `_publication` and the actual row count of every
published table in one connection and writes one JSON line: its build id, whether the
counts match `_publication` (one consistent build), or the error it met.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

Rows = list[tuple[Any, ...]]


def counts_sql(tables: list[str], relation: Callable[[str], str]) -> str:
    return " union all ".join(
        f"select '{table}' as table_name, count(*) as row_count from {relation(table)}"
        for table in tables
    )


def check(publication: Rows, present: set[str], actual: dict[str, int]) -> tuple[str, list[str]]:
    """The build id seen, and every way the tables differ from what `_publication` says."""
    build_ids = {row[0] for row in publication}
    expected = {row[1]: int(row[2]) for row in publication}
    problems = [f"build ids {sorted(build_ids)}"] if len(build_ids) != 1 else []
    if present != set(expected):
        problems.append(f"tables {sorted(present ^ set(expected))} differ from _publication")
    problems += [
        f"{table}: {actual.get(table)} rows, _publication says {count}"
        for table, count in expected.items()
        if actual.get(table) != count
    ]
    return ",".join(sorted(build_ids)), problems


def read_duckdb(published_file: Path) -> tuple[str, list[str]]:
    with duckdb.connect(str(published_file), read_only=True) as connection:
        publication = connection.execute(
            "select build_id, table_name, row_count from _publication"
        ).fetchall()
        present = {
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        tables = sorted(row[1] for row in publication)
        actual = dict(connection.execute(counts_sql(tables, lambda t: f"marts.{t}")).fetchall())
    return check(publication, present, actual)


def read_sqlalchemy(published_file: Path) -> tuple[str, list[str]]:
    # NullPool: a pooled connection would keep the file it first opened, i.e. one build.
    engine = create_engine(
        f"duckdb:///{published_file}", connect_args={"read_only": True}, poolclass=NullPool
    )
    try:
        with engine.connect() as connection:
            publication = [
                tuple(row)
                for row in connection.execute(
                    text("select build_id, table_name, row_count from _publication")
                )
            ]
            present = {
                row[0]
                for row in connection.execute(
                    text(
                        "select table_name from information_schema.tables "
                        "where table_schema = 'marts'"
                    )
                )
            }
            tables = sorted(row[1] for row in publication)
            actual = {
                row[0]: int(row[1])
                for row in connection.execute(text(counts_sql(tables, lambda t: f"marts.{t}")))
            }
    finally:
        engine.dispose()
    return check(publication, present, actual)


def read_parquet(current: Path) -> tuple[str, list[str]]:
    # Resolve `current` once: every file of one read then comes from the same build even
    # if the link is swapped meanwhile (the replaced build's folder is kept).
    folder = Path(os.path.realpath(current))
    with duckdb.connect() as connection:
        publication = connection.execute(
            "select build_id, table_name, row_count from read_parquet(?)",
            [str(folder / "_publication.parquet")],
        ).fetchall()
        present = {path.stem for path in folder.glob("*.parquet")} - {"_publication"}
        tables = sorted(row[1] for row in publication)
        actual = dict(
            connection.execute(
                counts_sql(tables, lambda t: f"read_parquet('{folder / t}.parquet')")
            ).fetchall()
        )
    return check(publication, present, actual)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publish-dir", type=Path, required=True)
    parser.add_argument("--stop-file", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--pause", type=float, default=0.1)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    args = parser.parse_args()
    readers: dict[str, Callable[[], tuple[str, list[str]]]] = {
        "duckdb": lambda: read_duckdb(args.publish_dir / "scorecard.duckdb"),
        "sqlalchemy": lambda: read_sqlalchemy(args.publish_dir / "scorecard.duckdb"),
        "parquet": lambda: read_parquet(args.publish_dir / "parquet" / "current"),
    }
    deadline = time.time() + args.max_seconds
    with args.log.open("a") as log:
        while not args.stop_file.exists() and time.time() < deadline:
            for kind, read in readers.items():
                started = time.time()
                record: dict[str, Any] = {"kind": kind, "started": started}
                try:
                    build_id, problems = read()
                    record.update(ok=True, build_id=build_id, problems=problems)
                except Exception as error:  # every failure is a finding for the test
                    record.update(ok=False, error=f"{type(error).__name__}: {error}")
                record["ended"] = time.time()
                log.write(json.dumps(record) + "\n")
                log.flush()
            time.sleep(args.pause)


if __name__ == "__main__":
    main()
