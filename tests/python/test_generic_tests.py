"""The scorecard's generic data tests are themselves tested: each passes on a consistent
cascade (`cascade_good`) and fails, on exactly the broken rows, on a copy of it broken for
that test (`cascade_bad_<test>`). The fixtures live in the small dbt project
tests/generic_tests_project, which reads the main project's macros and profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TESTS_PROJECT = PROJECT_ROOT / "tests" / "generic_tests_project"
DBT = str(Path(sys.executable).with_name("dbt"))

# generic test -> rows (or parent groups) its bad seed breaks
EXPECTED_FAILURES = {
    "kpi_value_matches_components": 5,
    "kpi_parent_equals_sum_of_children": 4,
    "kpi_values_in_domain": 4,
    "kpi_status_matches_targets": 5,
}


@pytest.fixture(scope="module")
def test_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Seed the fixtures and run every test once (`dbt build` = seed, then test)."""
    work = tmp_path_factory.mktemp("generic_tests")
    # The fixtures project is not the main project: drop an inherited project dir.
    inherited = {key: value for key, value in os.environ.items() if key != "DBT_PROJECT_DIR"}
    env = {
        **inherited,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "SCORECARD_DB": str(work / "generic_tests.duckdb"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    completed = subprocess.run(
        [DBT, "build"],
        cwd=TESTS_PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    run_results = work / "target" / "run_results.json"
    assert run_results.exists(), completed.stdout[-4000:] + completed.stderr[-4000:]
    results = json.loads(run_results.read_text())["results"]
    seeds = [result for result in results if result["unique_id"].startswith("seed.")]
    assert seeds and all(seed["status"] == "success" for seed in seeds), completed.stdout[-4000:]
    # unique_id: test.<project>.<test name>.<hash>
    return {
        result["unique_id"].split(".")[2]: result
        for result in results
        if result["unique_id"].startswith("test.")
    }


@pytest.mark.parametrize("test_name", sorted(EXPECTED_FAILURES))
def test_passes_on_good_cascade(test_results: dict[str, dict], test_name: str) -> None:
    result = test_results[f"good__{test_name}"]
    assert result["status"] == "pass", result.get("message")


@pytest.mark.parametrize("test_name", sorted(EXPECTED_FAILURES))
def test_fails_on_bad_cascade(test_results: dict[str, dict], test_name: str) -> None:
    result = test_results[f"bad__{test_name}"]
    assert result["status"] == "fail", result.get("message")
    assert result["failures"] == EXPECTED_FAILURES[test_name]
