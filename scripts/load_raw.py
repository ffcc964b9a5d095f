"""Load a folder of raw files into the warehouse schema the sources read.

On DuckDB (the default target) dbt reads the raw files directly. On PostgreSQL
and Spark the raw contract's tables are tables in the schema named by
SCORECARD_RAW_SCHEMA (default `raw`); this script puts them there:

    python scripts/load_raw.py --target postgres   # or: --target spark
    make load-raw SCORECARD_TARGET=postgres

Every `<table>.<format>` file of SCORECARD_RAW_DIR (format from
SCORECARD_RAW_FORMAT, `csv` or `parquet`) becomes the table `<table>`, with
the file's columns under their own names, every value as text exactly as the
DuckDB target reads it (DuckDB reads the file here too), plus `_row_number`,
the row's 1-based position in the file. So staging rejects the same rows for
the same reasons on every engine, and keeps the same "first row in file
order". The schema is replaced as a whole: tables of files no longer there do
not linger.

PostgreSQL: COPY through psycopg2 (the connection from the same environment
variables as profiles.yml). Spark: each table is written as one Parquet file
of text columns under $SCORECARD_SPARK_DIR/raw, and `dbt run-operation
create_raw_tables` registers them as external tables (`using parquet`) in the
metastore of the spark target, so the Spark settings live in profiles.yml only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise SystemExit(
            f"Raw file {path} is empty: it needs at least the header row naming its columns."
        )
    return [name.strip() for name in header]


def text_query(path: Path, raw_format: str) -> tuple[str, list[str]]:
    """A DuckDB query reading the file as the DuckDB target does: text columns, file position."""
    if raw_format == "parquet":
        reader = f"read_parquet({sql_string(str(path))}, file_row_number = true)"
        described = duckdb.sql(f"describe select * from {reader}").fetchall()
        names = [row[0] for row in described if row[0] != "file_row_number"]
        select_list = [
            f"cast({quote_identifier(name)} as varchar) as {quote_identifier(name)}"
            for name in names
        ]
        return (
            f"select {', '.join(select_list)}, file_row_number + 1 as _row_number from {reader}",
            names,
        )
    names = csv_header(path)
    columns = ", ".join(f"'column{index}': 'VARCHAR'" for index in range(1, len(names) + 1))
    options = (
        f"header = true, auto_detect = false, columns = {{{columns}}}, "
        "delim = ',', quote = '\"', escape = '\"'"
    )
    select_list = [
        f"column{index} as {quote_identifier(name)}" for index, name in enumerate(names, start=1)
    ]
    query = (
        f"select {', '.join(select_list)}, row_number() over () as _row_number "
        f"from read_csv({sql_string(str(path))}, {options})"
    )
    return query, names


def raw_files(raw_dir: Path, raw_format: str) -> list[Path]:
    files = sorted(raw_dir.glob(f"*.{raw_format}"))
    if not files:
        raise SystemExit(f"No *.{raw_format} raw files in {raw_dir}.")
    return files


def read_as_text(connection: duckdb.DuckDBPyConnection, path: Path, query: str) -> None:
    try:
        connection.execute(f"create or replace temp table loading as {query}")
    except duckdb.Error as error:
        # The DuckDB target lists a ragged CSV line as a rejected row; the
        # loader refuses the file rather than drop or guess the line.
        raise SystemExit(f"Raw file {path} cannot be read: {error}") from error


def load_postgres(files: list[Path], raw_format: str, schema: str) -> None:
    import psycopg2

    connection = psycopg2.connect(
        host=os.environ.get("SCORECARD_PG_HOST", "127.0.0.1"),
        port=int(os.environ.get("SCORECARD_PG_PORT", "5433")),
        user=os.environ.get("SCORECARD_PG_USER", "postgres"),
        password=os.environ.get("SCORECARD_PG_PASSWORD", ""),
        dbname=os.environ.get("SCORECARD_PG_DATABASE", "postgres"),
    )
    reader = duckdb.connect()
    with connection, connection.cursor() as cursor, tempfile.TemporaryDirectory() as work:
        cursor.execute(f"drop schema if exists {quote_identifier(schema)} cascade")
        cursor.execute(f"create schema {quote_identifier(schema)}")
        for path in files:
            query, names = text_query(path, raw_format)
            read_as_text(reader, path, query)
            table = f"{quote_identifier(schema)}.{quote_identifier(path.stem)}"
            columns = [f"{quote_identifier(name)} text" for name in names] + ["_row_number bigint"]
            cursor.execute(f"create table {table} ({', '.join(columns)})")
            # DuckDB writes null as an empty field and an empty string as "",
            # which is how PostgreSQL's CSV COPY tells them apart.
            staged = Path(work) / f"{path.stem}.csv"
            reader.execute(f"copy loading to {sql_string(str(staged))} (format csv, header false)")
            with staged.open(encoding="utf-8") as handle:
                cursor.copy_expert(f"copy {table} from stdin with (format csv)", handle)
            staged.unlink()
            rows = reader.execute("select count(*) from loading").fetchone()
            print(f"{table}: {rows[0] if rows else 0} rows from {path}")
    connection.close()


def load_spark(files: list[Path], raw_format: str, schema: str) -> None:
    spark_dir = Path(os.environ.get("SCORECARD_SPARK_DIR", "warehouse/spark")).resolve()
    load_dir = spark_dir / "raw"
    reader = duckdb.connect()
    tables = []
    for path in files:
        query, _ = text_query(path, raw_format)
        read_as_text(reader, path, query)
        table_dir = load_dir / path.stem
        table_dir.mkdir(parents=True, exist_ok=True)
        for stale in table_dir.glob("*"):
            stale.unlink()
        target_file = table_dir / "part-0.parquet"
        reader.execute(f"copy loading to {sql_string(str(target_file))} (format parquet)")
        tables.append({"name": path.stem, "path": str(table_dir)})
        rows = reader.execute("select count(*) from loading").fetchone()
        print(f"{schema}.{path.stem}: {rows[0] if rows else 0} rows from {path}")
    dbt = Path(sys.executable).parent / "dbt"
    arguments = json.dumps({"schema": schema, "tables": tables})
    subprocess.run(
        [str(dbt), "run-operation", "create_raw_tables", "--target", "spark", "--args", arguments],
        check=True,
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT)),
        },
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target",
        default=os.environ.get("SCORECARD_TARGET", "postgres"),
        choices=["postgres", "spark"],
    )
    parser.add_argument(
        "--raw-dir", type=Path, default=Path(os.environ.get("SCORECARD_RAW_DIR", "data/raw"))
    )
    parser.add_argument(
        "--format",
        default=os.environ.get("SCORECARD_RAW_FORMAT", "parquet"),
        choices=["csv", "parquet"],
    )
    parser.add_argument("--schema", default=os.environ.get("SCORECARD_RAW_SCHEMA", "raw"))
    args = parser.parse_args()
    files = raw_files(args.raw_dir, args.format)
    if args.target == "postgres":
        load_postgres(files, args.format, args.schema)
    else:
        load_spark(files, args.format, args.schema)


if __name__ == "__main__":
    main()
