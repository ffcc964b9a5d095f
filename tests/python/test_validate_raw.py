"""Raw-data validation (scripts/validate_raw.py): Great Expectations suites derived from the
sources' contract count exactly the generator's known bad rows, stop on file-level breaks
with a message naming the file and the column, and write an HTML report without personal
data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import (
    PROJECT_ROOT,
    copy_fixture,
    csv_folder_to_parquet,
    drop_csv_column,
    generate_raw,
)
from script_loading import load_script

SCRIPT = PROJECT_ROOT / "scripts" / "validate_raw.py"
# Classes staging finds on a row by itself; overlaps and missing exchange rates are
# staging's alone (they need other valid rows or a seed).
COMPARABLE = {
    "missing_required",
    "invalid_type",
    "not_allowed",
    "out_of_range",
    "end_not_after_start",
    "unknown_ticket",
    "unknown_team",
}
GENERATOR_ARGS = [
    "--tickets",
    "3000",
    "--months",
    "3",
    "--agents",
    "12",
    "--teams",
    "3",
    "--seed",
    "11",
    "--bad-row-rate",
    "0.004",
    "--quiet",
]


validate_raw = load_script(SCRIPT)


@dataclass(frozen=True)
class Validation:
    raw_dir: Path
    out_dir: Path
    exit_code: int
    output: str

    @property
    def summary(self) -> dict:
        return json.loads((self.out_dir / "summary.json").read_text())


def run_validation(
    raw_dir: Path, raw_format: str, out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> Validation:
    capsys.readouterr()
    exit_code = validate_raw.main(
        ["--raw-dir", str(raw_dir), "--format", raw_format, "--out", str(out_dir)]
    )
    captured = capsys.readouterr()
    return Validation(raw_dir, out_dir, exit_code, captured.out + captured.err)


@pytest.fixture(scope="module", params=["csv", "parquet"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Small generated raw data with the generator's bad rows, validated by the CLI."""
    raw_format = request.param
    work = tmp_path_factory.mktemp(f"validate_{raw_format}")
    raw_dir = work / "raw"
    generate_raw(raw_dir, GENERATOR_ARGS, raw_format)
    out_dir = work / "target" / "validation"
    # The command line as `make validate` runs it: settings from the environment.
    env = {**os.environ, "SCORECARD_RAW_DIR": str(raw_dir), "SCORECARD_RAW_FORMAT": raw_format}
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out_dir)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Validation(raw_dir, out_dir, completed.returncode, completed.stdout + completed.stderr)


def raw_reader(raw_dir: Path, table: str) -> str:
    if (raw_dir / f"{table}.csv").exists():
        return f"read_csv('{raw_dir}/{table}.csv', all_varchar = true)"
    return f"read_parquet('{raw_dir}/{table}.parquet')"


def counted(summary: dict, table: str) -> Counter:
    counts: Counter = Counter()
    for expectation in summary["tables"][table]["expectations"]:
        counts[(expectation["rule"], expectation["column"])] += expectation["unexpected_count"] or 0
    return counts


def test_row_level_problems_pass_with_counts(generated: Validation) -> None:
    assert generated.exit_code == 0, generated.output[-3000:]
    summary = generated.summary
    assert summary["status"] == "row_level_problems"
    assert summary["file_errors"] == [] and summary["unevaluated"] == []
    assert "row-level problems found" in generated.output


def test_counts_match_the_generated_bad_rows(generated: Validation) -> None:
    bad_rows = json.loads((generated.raw_dir / "_bad_rows.json").read_text())
    summary = generated.summary
    assert set(summary["tables"]) == set(bad_rows)
    for table, known in bad_rows.items():
        assert summary["tables"][table]["rows"] == known["rows"], table
        expected = Counter(
            {
                (rejection_class, column): count
                for rejection_class, columns in known["rejected_by_column"].items()
                if rejection_class in COMPARABLE
                for column, count in columns.items()
            }
        )
        found = counted(summary, table)
        found_rejections = Counter(
            {key: n for key, n in found.items() if key[0] in COMPARABLE and n > 0}
        )
        assert found_rejections == expected, table
        # Each repeated key appears twice: the original and its copy.
        found_duplicates = sum(n for (rule, _), n in found.items() if rule == "duplicate_key")
        assert found_duplicates == 2 * known["duplicates"].get("repeated_key", 0), table


def test_every_declared_rule_is_evaluated(generated: Validation) -> None:
    contract = validate_raw.load_contract(PROJECT_ROOT)
    summary = generated.summary
    for table, columns in contract.items():
        rules = {(e["rule"], e["column"]) for e in summary["tables"][table]["expectations"]}
        for column in columns:
            assert ("column_present", column.name) in rules
            meta = column.meta
            if meta.get("required") or meta.get("required_when"):
                assert ("missing_required", column.name) in rules
            if column.data_type != "text":
                assert ("invalid_type", column.name) in rules
            if "accepted_values" in meta or "pattern" in meta:
                assert ("not_allowed", column.name) in rules
            if "range" in meta:
                assert ("out_of_range", column.name) in rules
            if meta.get("unique"):
                assert ("duplicate_key", column.name) in rules
            if "after" in meta or "on_or_after" in meta:
                assert ("end_not_after_start", column.name) in rules
        for expectation in summary["tables"][table]["expectations"]:
            assert expectation["element_count"] is not None or (
                expectation["expectation"] == "expect_column_to_exist"
            )


def test_html_report_without_personal_data(generated: Validation) -> None:
    index = generated.out_dir / "index.html"
    assert index.is_file()
    pages = list(generated.out_dir.rglob("*.html"))
    validation_pages = [p for p in pages if "validations" in p.parts]
    assert len(validation_pages) == len(generated.summary["tables"])
    text = index.read_text()
    for table in generated.summary["tables"]:
        assert table in text
    # Personal data of the raw files appears in no page and not in the summary.
    with duckdb.connect() as connection:
        emails = {
            row[0]
            for table, column in (("tickets", "requester_email"), ("agents", "email"))
            for row in connection.execute(
                f"select distinct trim({column}) from {raw_reader(generated.raw_dir, table)} "
                f"where trim({column}) != ''"
            ).fetchall()
        }
    assert emails
    published = "".join(p.read_text() for p in [*pages, generated.out_dir / "summary.json"])
    leaked = [email for email in emails if email and email in published]
    assert leaked == []


def test_crafted_rejections_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_rejections import EXPECTED_REJECTIONS

    raw_dir = copy_fixture("raw_rejections", tmp_path)
    result = run_validation(raw_dir, "csv", tmp_path / "out", capsys)
    assert result.exit_code == 0, result.output[-3000:]
    summary = result.summary
    for table, _key, rejection_class, _reason in EXPECTED_REJECTIONS:
        if rejection_class not in COMPARABLE - {"unknown_ticket"}:
            continue  # staging also rejects events of rejected tickets; overlaps need order
        found = {rule: n for (rule, _), n in counted(summary, table).items() if n}
        assert rejection_class in found, (table, rejection_class)


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_missing_file_stops_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw_format: str
) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    if raw_format == "parquet":
        csv_folder_to_parquet(raw_dir)
    (raw_dir / f"ticket_events.{raw_format}").unlink()

    result = run_validation(raw_dir, raw_format, tmp_path / "out", capsys)

    assert result.exit_code == 1
    message = (
        f"Raw file not found: {raw_dir}/ticket_events.{raw_format} (raw table 'ticket_events')"
    )
    assert message in result.output
    assert result.summary["status"] == "contract_broken"
    assert message in result.summary["file_errors"][0]
    assert "ticket_events" in (result.out_dir / "index.html").read_text()


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_missing_required_column_stops_naming_file_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw_format: str
) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    drop_csv_column(raw_dir / "surveys.csv", "responded_at")
    drop_csv_column(raw_dir / "surveys.csv", "score")
    if raw_format == "parquet":
        csv_folder_to_parquet(raw_dir)

    result = run_validation(raw_dir, raw_format, tmp_path / "out", capsys)

    assert result.exit_code == 1
    assert (
        f"Raw table 'surveys' ({raw_dir}/surveys.{raw_format}) is missing required column(s): "
        "score, responded_at"
    ) in result.output


@pytest.mark.parametrize(
    ("raw_format", "content"),
    [("csv", b"response_id,score\n\xff\xfe\x00,1\n"), ("parquet", b"not a parquet file")],
)
def test_unreadable_file_stops_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw_format: str, content: bytes
) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    if raw_format == "parquet":
        csv_folder_to_parquet(raw_dir)
    (raw_dir / f"costs.{raw_format}").write_bytes(content)

    result = run_validation(raw_dir, raw_format, tmp_path / "out", capsys)

    assert result.exit_code == 1
    assert f"Raw file unreadable: {raw_dir}/costs.{raw_format} (raw table 'costs')" in result.output


def test_absent_optional_columns_are_fine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    optional = {
        (table, column.name)
        for table, columns in validate_raw.load_contract(PROJECT_ROOT).items()
        for column in columns
        if column.optional
    }
    assert optional
    for table, column in optional:
        drop_csv_column(raw_dir / f"{table}.csv", column)

    result = run_validation(raw_dir, "csv", tmp_path / "out", capsys)

    assert result.exit_code == 0, result.output[-3000:]
    for table, column in optional:
        assert column in result.summary["tables"][table]["absent_optional_columns"]
    assert (result.out_dir / "index.html").is_file()


def test_report_folder_is_replaced_but_a_foreign_one_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_dir = copy_fixture("raw_rejections", tmp_path)
    out_dir = tmp_path / "out"
    assert run_validation(raw_dir, "csv", out_dir, capsys).exit_code == 0
    (out_dir / "stale.html").write_text("from an earlier run")
    assert run_validation(raw_dir, "csv", out_dir, capsys).exit_code == 0
    assert not (out_dir / "stale.html").exists()

    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not a report")
    with pytest.raises(SystemExit, match="Refusing to clear"):
        run_validation(raw_dir, "csv", foreign, capsys)
    assert (foreign / "keep.txt").read_text() == "not a report"
