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
the row's 1-based position in the file, and `_read_error` / `_read_line`: for
a CSV line whose number of fields differs from the header's, the rejection
reason and the line's text, every file column null (as the DuckDB target's
`duckdb__raw_csv_read_errors`). So staging rejects the same rows for the same
reasons on every engine, and keeps the same "first row in file order". The
schema is replaced as a whole: tables of files no longer there do not linger.

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
# More malformed lines than this and the file is most likely not comma-separated.
MALFORMED_LINE_LIMIT = 1000
READ_ERROR_COLUMNS = "null::varchar as _read_error, null::varchar as _read_line"


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


def csv_options(names: list[str]) -> str:
    """The DuckDB target's CSV options: no sniffing, every column text, by position."""
    columns = ", ".join(f"'column{index}': 'VARCHAR'" for index in range(1, len(names) + 1))
    return (
        f"header = true, auto_detect = false, columns = {{{columns}}}, "
        "delim = ',', quote = '\"', escape = '\"'"
    )


def csv_read_errors(path: Path, options: str, width: int) -> list[tuple[int, str, str]]:
    """The lines DuckDB cannot split into the header's fields: (row number, reason, line).

    The same scan and the same stops as the DuckDB target's duckdb__raw_csv_read_errors
    (macros/cross_db/raw.sql): a quoting or encoding error, or more malformed lines than
    can be listed one by one, refuses the file.
    """
    connection = duckdb.connect()
    store_limit = (MALFORMED_LINE_LIMIT + 1) * (width + 1)
    # Every column counted: with count(*) alone DuckDB skips the values' UTF-8 check.
    connection.execute(
        f"select count(columns(*)) from read_csv({sql_string(str(path))}, {options}, "
        "store_rejects = true, rejects_table = 'read_errors', rejects_scan = 'read_scans', "
        f"rejects_limit = {store_limit})"
    ).fetchall()
    first = "coalesce(column_idx, 0)"
    rejects = connection.execute(
        f"select line, arg_min(cast(error_type as varchar), {first}), "
        f"arg_min(error_message, {first}), "
        f"left(trim(arg_min(csv_line, {first}), e' \\r\\n'), 500), "
        "arg_min(try_cast(regexp_extract(error_message, 'Found: ([0-9]+)', 1) as integer), "
        f"{first}), (select count(*) from temp.main.read_errors) "
        "from temp.main.read_errors group by line order by line"
    ).fetchall()
    connection.close()
    if len(rejects) > MALFORMED_LINE_LIMIT or (rejects and rejects[0][5] >= store_limit):
        raise SystemExit(
            f"Raw file {path} has more than {MALFORMED_LINE_LIMIT} lines that do not split "
            f"into its {width} header columns (the first at line {rejects[0][0]}). "
            "Is it a comma-separated file with the raw contract's header?"
        )
    errors = []
    for line, error_type, message, text, found, _ in rejects:
        if error_type not in ("MISSING COLUMNS", "TOO MANY COLUMNS"):
            raise SystemExit(
                f"Raw file {path} cannot be read at line {line}: {message} "
                f"({error_type.lower()}). The raw contract expects UTF-8 CSV, "
                '"-quoted where needed, a quote inside a quoted value doubled.'
            )
        fields = "field" if found == 1 else "fields"
        reason = f"malformed_row: line {line} has {found} {fields} where the header has {width}"
        errors.append((line - 1, reason, text))
    return errors


def text_query(path: Path, raw_format: str) -> tuple[str, list[str], list[tuple[int, str, str]]]:
    """A DuckDB query reading the file as the DuckDB target does: text columns, file position.

    Also returns the malformed lines, to be added as rows of their own.
    """
    if raw_format == "parquet":
        reader = f"read_parquet({sql_string(str(path))}, file_row_number = true)"
        described = duckdb.sql(f"describe select * from {reader}").fetchall()
        names = [row[0] for row in described if row[0] != "file_row_number"]
        select_list = [
            f"cast({quote_identifier(name)} as varchar) as {quote_identifier(name)}"
            for name in names
        ]
        query = (
            f"select {', '.join(select_list)}, file_row_number + 1 as _row_number, "
            f"{READ_ERROR_COLUMNS} from {reader}"
        )
        return query, names, []
    names = csv_header(path)
    options = csv_options(names)
    errors = csv_read_errors(path, options, len(names))
    select_list = [
        f"column{index} as {quote_identifier(name)}" for index, name in enumerate(names, start=1)
    ]
    # The k-th line read is the k-th row number not taken by a malformed line.
    readable_before = ", ".join(str(row - index) for index, (row, _, _) in enumerate(errors, 1))
    query = (
        f"select {', '.join(select_list)}, _read_position + len(list_filter("
        f"[{readable_before}]::bigint[], lambda readable: readable < _read_position)) "
        f"as _row_number, {READ_ERROR_COLUMNS} "
        "from (select *, row_number() over () as _read_position "
        f"from read_csv({sql_string(str(path))}, {options}, ignore_errors = true))"
    )
    return query, names, errors


def raw_files(raw_dir: Path, raw_format: str) -> list[Path]:
    files = sorted(raw_dir.glob(f"*.{raw_format}"))
    if not files:
        raise SystemExit(f"No *.{raw_format} raw files in {raw_dir}.")
    return files


def read_as_text(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    query: str,
    errors: list[tuple[int, str, str]],
) -> None:
    try:
        connection.execute(f"create or replace temp table loading as {query}")
    except duckdb.Error as error:
        raise SystemExit(f"Raw file {path} cannot be read: {error}") from error
    if errors:
        connection.executemany(
            "insert into loading (_row_number, _read_error, _read_line) values (?, ?, ?)",
            errors,
        )


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
            query, names, errors = text_query(path, raw_format)
            read_as_text(reader, path, query, errors)
            table = f"{quote_identifier(schema)}.{quote_identifier(path.stem)}"
            columns = [f"{quote_identifier(name)} text" for name in names] + [
                "_row_number bigint",
                "_read_error text",
                "_read_line text",
            ]
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
        query, _, errors = text_query(path, raw_format)
        read_as_text(reader, path, query, errors)
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
