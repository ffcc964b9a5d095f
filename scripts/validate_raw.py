"""Validate the raw exports against the raw contract with Great Expectations, before the build.

The contract is read from the dbt sources (``models/staging/*/_*__sources.yml``): each
column's ``data_type`` and ``meta`` (``required``, ``required_when``, ``optional``,
``unique``, ``accepted_values``, ``pattern``, ``range``, ``references``, ``after``,
``on_or_after``, ``personal_data``; see the ``raw_sources`` doc block). One expectation
suite per raw table is derived from it, so the rules have one home.

Reads ``$SCORECARD_RAW_DIR/<table>.$SCORECARD_RAW_FORMAT`` (CSV: every column as text,
like staging). DuckDB prepares one frame per table: trimmed text (empty = null), codes
lower-cased, typed values parsed the way the staging macros parse them, and two kinds of
helper column that hold the offending raw text and are null otherwise: ``<col>__unparsed``
(a value that does not cast) and ``<col>__unknown`` (a reference not found in the
referenced file, a join Great Expectations cannot do on a dataframe). Great Expectations
then evaluates every expectation on the frames.

Exit status: 0 when every raw file honours the contract at file level (row-level problems
are counted and reported: staging rejects those rows with a reason); 1 when a file is
missing or unreadable or lacks a required column (the message names the file and the
column); 2 when an expectation could not be evaluated.

Writes, to ``<out>`` (default ``$DBT_TARGET_PATH/validation``, i.e. ``target/validation``):
``index.html``, one self-contained page rendered from the validation results (it opens
offline); ``data_docs/``, Great Expectations Data Docs built from the ephemeral context (its
validation pages hold every detail; its own index lists them only with scripts from a CDN);
``summary.json``, the counts per table and expectation. No personal-data value is read.

Usage::

    .venv/bin/python scripts/validate_raw.py                       # env vars or defaults
    .venv/bin/python scripts/validate_raw.py --raw-dir data/raw --format csv --out target/validation
"""

from __future__ import annotations

import argparse
import html
import json
import operator
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

# No usage statistics leave the machine (GX sends them unless told not to).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.expectations.row_conditions import Column, Condition  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES_GLOB = "models/staging/*/_*__sources.yml"
SITE_NAME = "raw_validation"
DATA_DOCS = "data_docs"
MARKER = ".validate_raw"
REDACTED = "[redacted]"
EXAMPLES = 5

# Same parsing as macros/cross_db/parsing.sql (duckdb__try_parse_*), so that a value
# counted here as not castable is one staging rejects as invalid_type. {x} is cleaned text.
# Timestamps are normalised first (a lower-case z, a space before the offset, no seconds).
NORMALISERS: dict[str, str] = {
    "timestamp": (
        r"regexp_replace(regexp_replace(upper({x}), '\s+(Z|[+-]\d)', '\1'), "
        r"'^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})(Z|[+-].*)?$', '\1:00\2')"
    ),
}
PARSERS: dict[str, str] = {
    "timestamp": (
        "case when regexp_full_match({x}, "
        r"'\d{4}-\d{2}-\d{2}[T ]([01]\d|2[0-3]):\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)') "
        "then try_cast({x} as timestamptz) at time zone 'UTC' "
        "when regexp_full_match({x}, "
        r"'\d{4}-\d{2}-\d{2}([T ]([01]\d|2[0-3]):\d{2}:\d{2}(\.\d+)?)?') "
        "then try_cast({x} as timestamp) end"
    ),
    "date": r"case when regexp_full_match({x}, '\d{4}-\d{2}-\d{2}') then try_cast({x} as date) end",
    "integer": (
        r"cast(case when regexp_full_match({x}, '[+-]?\d{1,18}') "
        "then try_cast({x} as bigint) end as double)"
    ),
    # A number a double cannot hold (1e999, 1e-400) is not castable, as on every engine.
    "decimal": (
        r"case when regexp_full_match({x}, '[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?0*\d{1,3})?') "
        "and length({x}) <= 1000 and isfinite(try_cast({x} as double)) "
        "and (try_cast({x} as double) != 0 "
        r"or regexp_full_match({x}, '[+-]?0*\.?0*([eE][+-]?\d+)?')) "
        "then try_cast({x} as double) end"
    ),
}


class ContractBroken(Exception):
    """A raw file cannot be read as the contract says (missing, unreadable, column absent)."""


@dataclass(frozen=True)
class ContractColumn:
    name: str
    data_type: str
    meta: dict[str, Any]

    @property
    def optional(self) -> bool:
        return bool(self.meta.get("optional", False))


@dataclass
class TableReport:
    name: str
    file: str
    rows: int = 0
    absent_optional_columns: list[str] = field(default_factory=list)
    expectations: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0


def load_contract(project_root: Path) -> dict[str, list[ContractColumn]]:
    """Raw table -> its declared columns, in declared order, from the dbt sources."""
    tables: dict[str, list[ContractColumn]] = {}
    for path in sorted(project_root.glob(SOURCES_GLOB)):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = [
                    ContractColumn(
                        name=column["name"],
                        data_type=str(column.get("data_type") or "text").lower(),
                        meta=column.get("meta") or {},
                    )
                    for column in table.get("columns", [])
                ]
    if not tables:
        raise SystemExit(f"No dbt sources found under {project_root / SOURCES_GLOB}")
    unknown = {
        f"{table}.{column.name}: {column.data_type}"
        for table, columns in tables.items()
        for column in columns
        if column.data_type != "text" and column.data_type not in PARSERS
    }
    if unknown:
        raise SystemExit(f"Unsupported data_type in the sources: {', '.join(sorted(unknown))}")
    return tables


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader_sql(path: Path, raw_format: str) -> str:
    """The raw file as staging reads it (macros/cross_db/raw.sql)."""
    if raw_format == "csv":
        return (
            f"read_csv({_sql_string(str(path))}, header = true, all_varchar = true, "
            "delim = ',', quote = '\"', escape = '\"')"
        )
    return f"read_parquet({_sql_string(str(path))})"


def unreadable(path: Path, table: str, error: Exception) -> str:
    reason = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    return f"Raw file unreadable: {path} (raw table '{table}'): {reason[:400]}"


def column_mapping(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    columns: list[ContractColumn],
    path: Path,
    raw_format: str,
) -> dict[str, str | None]:
    """Contract column -> its header in the file (trimmed, case-insensitive), None if absent."""
    if not path.is_file():
        raise ContractBroken(
            f"Raw file not found: {path} (raw table '{table}'). Put the export there, or "
            "point SCORECARD_RAW_DIR / SCORECARD_RAW_FORMAT at your files."
        )
    try:
        described = connection.execute(f"describe select * from {reader_sql(path, raw_format)}")
        present = [row[0] for row in described.fetchall()]
    except duckdb.Error as error:
        raise ContractBroken(unreadable(path, table, error)) from error
    by_key = {name.strip().lower().replace("\ufeff", ""): name for name in present}
    mapping = {column.name: by_key.get(column.name) for column in columns}
    missing = [c.name for c in columns if mapping[c.name] is None and not c.optional]
    if missing:
        raise ContractBroken(
            f"Raw table '{table}' ({path}) is missing required column(s): {', '.join(missing)}. "
            "The raw contract (../shared/spec/raw_contract.md) requires them."
        )
    return mapping


def clean(expression: str) -> str:
    return f"nullif(trim(cast({expression} as varchar)), '')"


def frame_sql(
    table: str,
    columns: list[ContractColumn],
    mapping: dict[str, str | None],
    readers: dict[str, str],
    mappings: dict[str, dict[str, str | None]],
) -> str:
    """One row per raw row: the values the expectations look at, plus helper columns."""
    cleaned = [
        f"{clean(_identifier(raw)) if raw else 'cast(null as varchar)'} as {_identifier(c)}"
        for c, raw in mapping.items()
    ]
    normalisable = {c.name: c.data_type for c in columns if c.data_type in NORMALISERS}
    cleaned += [
        f"{NORMALISERS[data_type].replace('{x}', clean(_identifier(str(mapping[name]))))} "
        f"as {_identifier(name + '__normalised')}"
        for name, data_type in normalisable.items()
        if mapping[name] is not None
    ]
    parsed: list[str] = []
    joins: list[str] = []
    selected: list[str] = []
    for column in columns:
        if mapping[column.name] is None:
            continue
        x, out = f"raw.{_identifier(column.name)}", _identifier(column.name)
        if column.meta.get("personal_data"):
            # Presence is all that is checked; the value never reaches the report.
            selected.append(f"case when {x} is not null then '{REDACTED}' end as {out}")
        elif column.data_type in PARSERS:
            value = _identifier(column.name + "__value")
            text = _identifier(
                column.name + ("__normalised" if column.name in normalisable else "")
            )
            parsed.append(
                f"{PARSERS[column.data_type].replace('{x}', 'cleaned.' + text)} as {value}"
            )
            selected.append(f"{value} as {out}")
            selected.append(
                f"case when {x} is not null and {value} is null then {x} end "
                f"as {_identifier(column.name + '__unparsed')}"
            )
        elif "accepted_values" in column.meta:
            selected.append(f"lower({x}) as {out}")
        else:
            selected.append(f"{x} as {out}")
        reference = column.meta.get("references")
        if reference:
            ref_table, ref_column = str(reference).split(".")
            ref_raw = mappings[ref_table][ref_column]
            alias = f"ref_{column.name}"
            joins.append(
                f"left join (select distinct {clean(_identifier(str(ref_raw)))} as ref_key "
                f"from {readers[ref_table]}) as {alias} on {alias}.ref_key = {x}"
            )
            selected.append(
                f"case when {x} is not null and {alias}.ref_key is null then {x} end "
                f"as {_identifier(column.name + '__unknown')}"
            )
    return (
        "with cleaned as (\n    select\n        "
        + ",\n        ".join(cleaned)
        + f"\n    from {readers[table]}\n),\n\n"
        "raw as (\n    select\n        "
        + ",\n        ".join(["cleaned.*", *parsed])
        + "\n    from cleaned\n)\n\n"
        "select\n    " + ",\n    ".join(selected) + "\nfrom raw\n" + "\n".join(joins)
    )


def _categorical(column: pa.ChunkedArray) -> pd.Categorical:
    encoded = column.combine_chunks().dictionary_encode()
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    categories = pd.CategoricalDtype(pd.Index(encoded.dictionary.to_pandas()))
    return pd.Categorical.from_codes(codes, dtype=categories, validate=False)


def to_frame(arrow_table: pa.Table) -> pd.DataFrame:
    """Text as categoricals. Great Expectations hashes every batch to fingerprint it and
    copies the whole frame for each metric it computes (dropping the nulls of the column
    at hand); on millions of strings that dominates the run, on dictionary codes it is
    cheap. The categoricals are built from the codes directly: pyarrow's own conversion
    of a dictionary with millions of entries is several times slower."""
    data = {
        name: _categorical(column)
        if pa.types.is_string(column.type)
        else column.to_pandas(date_as_object=False)
        for name, column in zip(arrow_table.column_names, arrow_table.columns, strict=True)
    }
    return pd.DataFrame(data)


# A row condition with the words the report shows for it.
Where = tuple[Condition, str]


def _condition(when: dict[str, Any]) -> Where:
    """`{column: value or [values]}` as a row condition (all must hold)."""
    conditions: list[Where] = []
    for column, values in when.items():
        value_list = [str(v) for v in (values if isinstance(values, list) else [values])]
        conditions.append((Column(column).is_in(value_list), f"{column} in {value_list}"))
    return _all(conditions)


def _all(conditions: list[Where]) -> Where:
    return (
        reduce(operator.and_, [condition for condition, _ in conditions]),
        " and ".join(text for _, text in conditions),
    )


def expectations_for(
    columns: list[ContractColumn], mapping: dict[str, str | None]
) -> list[gxe.Expectation]:
    """The suite of one raw table, derived from its declared columns."""
    suite: list[gxe.Expectation] = []

    def add(
        expectation_class: type[gxe.Expectation],
        rule: str,
        name: str,
        where: list[Where | None] | None = None,
        **kwargs: Any,
    ) -> None:
        meta = {"rule": rule, "contract_column": name}
        conditions = [w for w in where or [] if w is not None]
        if conditions:
            kwargs["row_condition"], meta["where"] = _all(conditions)
        suite.append(expectation_class(meta=meta, **kwargs))

    for column in columns:
        name, meta = column.name, column.meta
        if mapping[name] is None:
            continue
        typed = column.data_type in PARSERS
        # A value that does not parse counts once, as invalid_type, not as missing too.
        parsed_only: Where | None = (
            (
                Column(f"{name}__unparsed").is_null(),
                f"{name} is empty or a valid {column.data_type}",
            )
            if typed
            else None
        )
        add(gxe.ExpectColumnToExist, "column_present", name, column=name)
        if meta.get("required"):
            add(
                gxe.ExpectColumnValuesToNotBeNull,
                "missing_required",
                name,
                [parsed_only],
                column=name,
            )
        if meta.get("required_when"):
            add(
                gxe.ExpectColumnValuesToNotBeNull,
                "missing_required",
                name,
                [_condition(meta["required_when"]), parsed_only],
                column=name,
            )
        if typed:
            add(gxe.ExpectColumnValuesToBeNull, "invalid_type", name, column=f"{name}__unparsed")
        if "accepted_values" in meta:
            add(
                gxe.ExpectColumnValuesToBeInSet,
                "not_allowed",
                name,
                column=name,
                value_set=[str(v) for v in meta["accepted_values"]],
            )
        if "pattern" in meta:
            add(
                gxe.ExpectColumnValuesToMatchRegex,
                "not_allowed",
                name,
                column=name,
                regex=f"^(?:{meta['pattern']})$",
            )
        ranges = meta.get("range")
        for bounds in ranges if isinstance(ranges, list) else [ranges] if ranges else []:
            when = bounds.get("when")
            add(
                gxe.ExpectColumnValuesToBeBetween,
                "out_of_range",
                name,
                [_condition(when) if when else None],
                column=name,
                min_value=bounds.get("min"),
                max_value=bounds.get("max"),
            )
        if meta.get("unique"):
            add(gxe.ExpectColumnValuesToBeUnique, "duplicate_key", name, column=name)
        if meta.get("references"):
            ref_table = str(meta["references"]).split(".")[0]
            add(
                gxe.ExpectColumnValuesToBeNull,
                f"unknown_{ref_table.removesuffix('s')}",
                name,
                column=f"{name}__unknown",
            )
        for key, or_equal in (("after", False), ("on_or_after", True)):
            if key in meta and mapping.get(meta[key]) is not None:
                add(
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB,
                    "end_not_after_start",
                    name,
                    column_A=name,
                    column_B=meta[key],
                    or_equal=or_equal,
                    ignore_row_if="either_value_is_missing",
                )
    return suite


def _example(value: Any) -> Any:
    """A JSON-friendly example value; a pair of values reads `a / b`."""
    if isinstance(value, tuple | list):
        return " / ".join(str(_example(v)) for v in value)
    if isinstance(value, np.datetime64 | pd.Timestamp):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return _example(value)


def summarise(result: Any) -> dict[str, Any]:
    config = result.expectation_config
    outcome = result.result or {}
    kwargs = {k: _jsonable(v) for k, v in config.kwargs.items() if k != "batch_id"}
    # The unexpected values of a null check are nulls: nothing to show.
    shown = (
        []
        if config.type == "expect_column_values_to_not_be_null"
        else outcome.get("partial_unexpected_list")
    )
    examples = list(dict.fromkeys(map(_example, shown or [])))
    return {
        "expectation": config.type,
        "rule": (config.meta or {}).get("rule"),
        "column": (config.meta or {}).get("contract_column"),
        "where": (config.meta or {}).get("where"),
        "kwargs": kwargs,
        "success": bool(result.success),
        "element_count": outcome.get("element_count"),
        "unexpected_count": outcome.get("unexpected_count"),
        "examples": examples[:EXAMPLES],
        "exception": (result.exception_info or {}).get("exception_message")
        if (result.exception_info or {}).get("raised_exception")
        else None,
    }


def unexpected_rows(report: TableReport) -> dict[str, dict[str, int]]:
    """Rule -> contract column -> rows breaking it (summed over conditional expectations)."""
    counts: dict[str, dict[str, int]] = {}
    for e in report.expectations:
        if not e["success"] and e["unexpected_count"]:
            by_column = counts.setdefault(e["rule"], {})
            by_column[e["column"]] = by_column.get(e["column"], 0) + e["unexpected_count"]
    return counts


def prepare_output(out_dir: Path) -> None:
    """Start from an empty report folder, so no page of an earlier run survives; a folder
    this script did not create is never cleared."""
    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
            raise SystemExit(f"Refusing to clear {out_dir}: it holds no earlier validation report")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / MARKER).write_text("Written by scripts/validate_raw.py; cleared on each run.\n")


VERDICTS = {
    "passed": "every raw row meets the contract",
    "row_level_problems": "row-level problems found; staging rejects those rows with a reason",
    "contract_broken": "the raw files break the contract at file level",
    "not_evaluated": "some expectations could not be evaluated",
}
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 75rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fff4e5; } .error { color: #a00; } code { font-size: 0.85rem; }
"""


def render_report(summary: dict[str, Any], docs_pages: dict[str, str]) -> str:
    """One self-contained page (it opens offline); the Data Docs pages hold the detail."""
    esc = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Raw data validation: {esc(summary['status'])}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Raw data validation</h1>",
        f"<p><strong>{esc(VERDICTS[summary['status']])}</strong>. Raw files: "
        f"<code>{esc(summary['raw_dir'])}</code> ({esc(summary['format'])}); "
        f"{summary['seconds']} s. Rules: the raw contract as declared in "
        "<code>models/staging/*/_*__sources.yml</code>, one Great Expectations suite per "
        "table. Rows with problems are rejected by staging with a reason "
        "(<code>audit_rejected_rows</code>).</p>",
    ]
    if summary["file_errors"] or summary["unevaluated"]:
        parts.append("<h2 class='error'>Errors</h2><ul>")
        parts += [f"<li class='error'>{esc(e)}</li>" for e in summary["file_errors"]]
        parts += [f"<li class='error'>{esc(e)}</li>" for e in summary["unevaluated"]]
        parts.append("</ul><p>Fix the files and run <code>make validate</code> again.</p>")
    evaluated = {t: r for t, r in summary["tables"].items() if r["expectations"]}
    if evaluated:
        parts.append(
            "<h2>Tables</h2><table><tr><th>table</th><th>rows</th><th>expectations</th>"
            "<th>with unexpected rows</th><th>unexpected rows</th><th>absent optional"
            " columns</th></tr>"
        )
        for table, report in evaluated.items():
            failed = [e for e in report["expectations"] if not e["success"]]
            parts.append(
                f"<tr class='{'failed' if failed else ''}'><td><a href='#{esc(table)}'>"
                f"{esc(table)}</a></td><td class='n'>{report['rows']}</td>"
                f"<td class='n'>{len(report['expectations'])}</td>"
                f"<td class='n'>{len(failed)}</td>"
                f"<td class='n'>{sum(e['unexpected_count'] or 0 for e in failed)}</td>"
                f"<td>{esc(', '.join(report['absent_optional_columns']))}</td></tr>"
            )
        parts.append("</table>")
    for table, report in evaluated.items():
        page = docs_pages.get(table)
        link = f" (<a href='{esc(page)}'>Great Expectations Data Docs</a>)" if page else ""
        parts.append(
            f"<h2 id='{esc(table)}'>{esc(table)}</h2><p><code>{esc(report['file'])}</code>, "
            f"{report['rows']} rows{link}</p><table><tr><th>column</th><th>rule</th>"
            "<th>expectation</th><th>rows checked</th><th>unexpected rows</th>"
            "<th>examples</th></tr>"
        )
        for e in report["expectations"]:
            checked = e["kwargs"].get("column") or ", ".join(
                str(e["kwargs"][k]) for k in ("column_A", "column_B") if k in e["kwargs"]
            )
            where = f"<br>rows where {esc(e['where'])}" if e["where"] else ""
            parts.append(
                f"<tr class='{'' if e['success'] else 'failed'}'><td>{esc(str(e['column']))}</td>"
                f"<td>{esc(str(e['rule']))}</td><td><code>{esc(e['expectation'])}({esc(str(checked))})</code>{where}"
                f"</td><td class='n'>{e['element_count'] if e['element_count'] is not None else ''}"
                f"</td><td class='n'>{e['unexpected_count'] or 0}</td>"
                f"<td>{esc(', '.join(map(str, e['examples'])))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def validate(raw_dir: Path, raw_format: str, out_dir: Path, project_root: Path) -> int:
    started = time.perf_counter()
    contract = load_contract(project_root)
    prepare_output(out_dir)
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")

    reports: dict[str, TableReport] = {}
    readers: dict[str, str] = {}
    mappings: dict[str, dict[str, str | None]] = {}
    errors: list[str] = []
    for table, columns in contract.items():
        path = raw_dir / f"{table}.{raw_format}"
        reports[table] = TableReport(table, str(path))
        try:
            mappings[table] = column_mapping(connection, table, columns, path, raw_format)
            readers[table] = reader_sql(path, raw_format)
        except ContractBroken as broken:
            errors.append(str(broken))

    context = None
    if not errors:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        context.add_data_docs_site(
            site_name=SITE_NAME,
            site_config={
                "class_name": "SiteBuilder",
                "site_index_builder": {
                    "class_name": "DefaultSiteIndexBuilder",
                    "show_how_to_buttons": False,
                },
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str((out_dir / DATA_DOCS).resolve()),
                },
            },
        )
        datasource = context.data_sources.add_pandas("raw")
        for table, columns in contract.items():
            report = reports[table]
            table_started = time.perf_counter()
            mapping = mappings[table]
            report.absent_optional_columns = [c for c, raw in mapping.items() if raw is None]
            try:
                sql = frame_sql(table, columns, mapping, readers, mappings)
                frame = to_frame(connection.execute(sql).to_arrow_table())
            except duckdb.Error as error:
                errors.append(unreadable(Path(report.file), table, error))
                continue
            report.rows = len(frame)
            suite = context.suites.add(gx.ExpectationSuite(name=table))
            for expectation in expectations_for(columns, mapping):
                suite.add_expectation(expectation)
            batch = datasource.add_dataframe_asset(table).add_batch_definition_whole_dataframe(
                "whole_file"
            )
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=table, data=batch, suite=suite)
            )
            result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
            report.expectations = [summarise(r) for r in result.results]
            report.seconds = round(time.perf_counter() - table_started, 2)

    unevaluated = [
        f"{table}: {e['expectation']} on {e['column']}: {e['exception']}"
        for table, report in reports.items()
        for e in report.expectations
        if e["exception"]
    ]
    if errors:
        status, exit_code = "contract_broken", 1
    elif unevaluated:
        status, exit_code = "not_evaluated", 2
    else:
        failed = any(not e["success"] for r in reports.values() for e in r.expectations)
        status, exit_code = ("row_level_problems" if failed else "passed"), 0

    summary = {
        "status": status,
        "raw_dir": str(raw_dir),
        "format": raw_format,
        "seconds": round(time.perf_counter() - started, 1),
        "file_errors": errors,
        "unevaluated": unevaluated,
        "tables": {
            table: {
                "file": report.file,
                "rows": report.rows,
                "absent_optional_columns": report.absent_optional_columns,
                "seconds": report.seconds,
                "unexpected_rows": unexpected_rows(report),
                "expectations": report.expectations,
            }
            for table, report in reports.items()
        },
    }
    docs_pages: dict[str, str] = {}
    if context is not None and not errors:
        context.build_data_docs(site_names=[SITE_NAME])
        for table in reports:
            for page in sorted((out_dir / DATA_DOCS / "validations" / table).rglob("*.html")):
                docs_pages[table] = page.relative_to(out_dir).as_posix()
    (out_dir / "index.html").write_text(render_report(summary, docs_pages))
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_summary(summary, out_dir)
    return exit_code


def print_summary(summary: dict[str, Any], out_dir: Path) -> None:
    for error in summary["file_errors"]:
        print(f"ERROR {error}", file=sys.stderr)
    for problem in summary["unevaluated"]:
        print(f"ERROR expectation not evaluated: {problem}", file=sys.stderr)
    if summary["status"] in ("passed", "row_level_problems"):
        for table, report in summary["tables"].items():
            problems = sum(1 for e in report["expectations"] if not e["success"])
            print(
                f"{table}: {report['rows']} rows, {len(report['expectations'])} expectations, "
                f"{problems} with unexpected rows"
            )
            for e in report["expectations"]:
                if not e["success"]:
                    examples = ", ".join(map(str, e["examples"]))
                    print(
                        f"    {e['column']} {e['rule']}: {e['unexpected_count']} rows"
                        + (f" (e.g. {examples})" if examples else "")
                    )
    verdict = VERDICTS[summary["status"]]
    print(f"Raw data validation: {verdict} ({summary['seconds']} s). Report: {out_dir}/index.html")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Validate the raw files against the raw contract (Great Expectations).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=Path(os.environ.get("SCORECARD_RAW_DIR", "data/raw")),
        help="folder of the raw files (env SCORECARD_RAW_DIR)",
    )
    parser.add_argument(
        "--format",
        default=os.environ.get("SCORECARD_RAW_FORMAT", "parquet"),
        help="csv or parquet (env SCORECARD_RAW_FORMAT)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("DBT_TARGET_PATH", "target")) / "validation",
        help="report folder, beside the dbt docs (env DBT_TARGET_PATH)",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=PROJECT_ROOT, help="dbt project with the sources"
    )
    args = parser.parse_args(argv)
    args.format = args.format.strip().lower()
    if args.format not in ("csv", "parquet"):
        parser.error(f"SCORECARD_RAW_FORMAT must be 'csv' or 'parquet', not '{args.format}'")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return validate(args.raw_dir, args.format, args.out, args.project_dir)


if __name__ == "__main__":
    sys.exit(main())
