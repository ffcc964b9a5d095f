"""The benchmark script end to end at two tiny sizes: the JSON it writes has the agreed
shape and self-consistent figures, and the markdown report is rendered from it. Those two
sizes skip the incremental day (two more builds each); one tiny size measures it."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT
from script_loading import load_script

SCRIPT = PROJECT_ROOT / "scripts" / "benchmark.py"
SIZES = (2000, 4000)
# Small enough for a test, wide enough that every KPI has data (as the demo_build fixture).
GENERATOR_ARGS = ["--months", "5", "--agents", "20", "--teams", "4", "--seed", "7"]
SIZE_FIELDS = {
    "tickets",
    "events",
    "build_s",
    "peak_rss_mb",
    "floor_s",
    "incremental_day_s",
    "incremental_day_ratio",
    "incremental_initial_build_s",
    "incremental_arriving_events",
    "slowest_models",
    "tickets_requested",
    "events_per_s",
    "peak_rss_mb_rusage",
    "mart_rows",
    "mart_rows_by_table",
    "build_floor_ratio",
    "commit",
}


BENCH = load_script(SCRIPT)


@dataclass(frozen=True)
class BenchRun:
    out: Path
    work: Path
    output: str
    results: dict[str, Any]


def run_bench(base: Path, sizes: tuple[int, ...], *options: str) -> BenchRun:
    out, work = base / "out", base / "work"
    completed = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--sizes",
            ",".join(str(size) for size in sizes),
            "--out",
            str(out),
            "--work",
            str(work),
            f"--generator-args={' '.join(GENERATOR_ARGS)}",
            *options,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    return BenchRun(out, work, output, json.loads((out / "results.json").read_text()))


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> BenchRun:
    return run_bench(tmp_path_factory.mktemp("bench"), SIZES, "--skip-incremental")


@pytest.fixture(scope="module")
def bench_incremental(tmp_path_factory: pytest.TempPathFactory) -> BenchRun:
    return run_bench(tmp_path_factory.mktemp("bench_incremental"), SIZES[:1])


def test_json_shape(bench: BenchRun) -> None:
    results = bench.results
    assert {"machine", "settings", "sizes", "scaling_exponent", "targets"} <= set(results)
    machine = results["machine"]
    assert {"cpu_model", "cores", "ram_gib", "os", "python", "duckdb", "dbt_core"} <= set(machine)
    assert machine["cores"] >= 1 and machine["ram_gib"] > 0
    assert [size["tickets_requested"] for size in results["sizes"]] == list(SIZES)
    for size in results["sizes"]:
        assert set(size) >= SIZE_FIELDS


def test_figures_positive_and_consistent(bench: BenchRun) -> None:
    for size in bench.results["sizes"]:
        folder = bench.work / "data" / f"tickets_{size['tickets_requested']}"
        manifest = json.loads((folder / "_manifest.json").read_text())
        assert size["tickets"] == manifest["row_counts"]["tickets"]
        assert size["events"] == manifest["row_counts"]["ticket_events"]
        assert size["events"] > size["tickets"] >= size["tickets_requested"]
        assert size["build_s"] > 0 and size["floor_s"] > 0
        assert size["peak_rss_mb"] > 0 and size["peak_rss_mb_rusage"] > 0
        assert size["events_per_s"] == pytest.approx(size["events"] / size["build_s"], rel=0.01)
        ratio = size["build_s"] / size["floor_s"]
        assert size["build_floor_ratio"] == pytest.approx(ratio, rel=0.01)
        assert size["mart_rows"] == sum(size["mart_rows_by_table"].values()) > 0
        assert size["incremental_day_s"] is None and size["incremental_day_ratio"] is None
        assert "--skip-incremental" in size["incremental_note"]


def test_grows_with_size(bench: BenchRun) -> None:
    small, large = bench.results["sizes"]
    assert large["tickets"] > small["tickets"] and large["events"] > small["events"]
    assert large["mart_rows_by_table"]["fct_tickets"] > small["mart_rows_by_table"]["fct_tickets"]


def test_slowest_models_from_run_results(bench: BenchRun) -> None:
    for size in bench.results["sizes"]:
        models = size["slowest_models"]
        assert len(models) == BENCH.TOP_MODELS
        times = [model["execution_time"] for model in models]
        assert times == sorted(times, reverse=True) and times[-1] > 0
        assert sum(times) <= size["seconds_by_resource_type"]["model"] + 0.01


def test_scaling_exponent_is_the_log_log_slope(bench: BenchRun) -> None:
    (x0, y0), (x1, y1) = [(size["tickets"], size["build_s"]) for size in bench.results["sizes"]]
    slope = (math.log(y1) - math.log(y0)) / (math.log(x1) - math.log(x0))
    assert bench.results["scaling_exponent"] == pytest.approx(slope, abs=0.01)


def test_targets_marked(bench: BenchRun) -> None:
    targets = {target["target"]: target for target in bench.results["targets"]}
    assert len(targets) == 5
    for target in targets.values():
        if target["value"] is None:
            assert target["status"] == "not measured"
        else:
            expected = "met" if target["value"] <= target["limit"] else "missed"
            assert target["status"] == expected
    # Neither headline size was run here.
    assert [t["status"] for t in targets.values()][:2] == ["not measured", "not measured"]
    peak = max(size["peak_rss_mb"] for size in bench.results["sizes"])
    assert any(target["value"] == peak for target in targets.values())


def test_markdown_report_rendered_from_json(bench: BenchRun) -> None:
    report = (bench.out / "README.md").read_text()
    assert report.startswith("# Benchmark")
    assert bench.results["machine"]["cpu_model"] in report
    for size in bench.results["sizes"]:
        assert f"| {size['tickets']:,} | {size['events']:,} |" in report
        assert f"### {size['tickets_requested']:,} tickets" in report
        assert size["slowest_models"][0]["model"] in report
    for target in bench.results["targets"]:
        assert f"| {target['target']} |" in report
        assert f"| {target['status']} |" in report
    (bench.out / "README.md").unlink()
    assert BENCH.main(["--render-only", "--out", str(bench.out)]) == 0
    assert (bench.out / "README.md").read_text() == report


def test_progress_streamed_and_warehouses_dropped(bench: BenchRun) -> None:
    for size in SIZES:
        assert f"tickets={size}: dbt build took" in bench.output
        assert f"tickets={size}: floor took" in bench.output
    assert "    dbt | " in bench.output and "Completed successfully" in bench.output
    assert "tickets simulated" in bench.output  # the generator's own progress
    assert list((bench.work / "runs").rglob("*.duckdb")) == []


def test_generated_data_reused_only_for_the_same_arguments(bench: BenchRun) -> None:
    folder = bench.work / "data" / f"tickets_{SIZES[0]}"
    same = BENCH.generator_argv(SIZES[0], folder, GENERATOR_ARGS)
    other = BENCH.generator_argv(SIZES[0], folder, [*GENERATOR_ARGS, "--seed", "8"])
    assert BENCH.matching_manifest(folder, same) is not None
    assert BENCH.matching_manifest(folder, other) is None


def test_incremental_day_measured(bench_incremental: BenchRun) -> None:
    (size,) = bench_incremental.results["sizes"]
    assert set(size) >= SIZE_FIELDS
    day_s, build_s = size["incremental_day_s"], size["build_s"]
    assert day_s > 0 and size["incremental_initial_build_s"] > 0
    assert size["incremental_day_ratio"] == pytest.approx(day_s / build_s, rel=0.01)
    assert 0 < size["incremental_arriving_events"] < size["events"]
    assert "split_last_day" in size["incremental_note"]
    output = bench_incremental.output
    assert f"tickets={SIZES[0]}: incremental dbt build took" in output
    report = (bench_incremental.out / "README.md").read_text()
    assert f"| {day_s:,.1f} | {size['incremental_day_ratio']:,.3f} |" in report
    assert list((bench_incremental.work / "runs").rglob("*.duckdb")) == []
    assert list((bench_incremental.work / "runs").rglob("*.parquet")) == []


def test_merge_keeps_sizes_measured_earlier(tmp_path: Path) -> None:
    earlier = {
        "sizes": [
            {"tickets_requested": 100, "build_s": 1.0, "commit": "old"},
            {"tickets_requested": 10_000_000, "build_s": 900.0, "commit": "old"},
        ]
    }
    previous = tmp_path / "results.json"
    previous.write_text(json.dumps(earlier))
    measured = [{"tickets_requested": 100, "build_s": 2.0, "commit": "new"}]
    merged = BENCH.merged_rows(measured, previous)
    assert [(row["tickets_requested"], row["commit"]) for row in merged] == [
        (100, "new"),
        (10_000_000, "old"),
    ]
    assert BENCH.merged_rows(measured, tmp_path / "absent.json") == measured
