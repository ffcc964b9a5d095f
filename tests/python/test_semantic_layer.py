"""The MetricFlow semantic layer gives the scorecard's figures.

`mf query` runs on the shared demo build and its answers are compared with
`marts.fct_kpi_cascade` (director rows for ungrouped queries, team rows for queries by
team) and, for a ticket dimension, with an independent aggregation of `marts.fct_tickets`.
`mf` reads the semantic manifest from `<project>/target/` whatever `DBT_TARGET_PATH`
says, so it runs against a stand-in project directory whose `target` is the demo build's.
Each `mf` start costs tens of seconds: every query asks for many metrics at once.
"""

from __future__ import annotations

import csv
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT, Build, query

MF = str(Path(sys.executable).with_name("mf"))
REL_TOLERANCE = 1e-9

# One KPI of each kind: ratio and total ticket KPIs, a duration, the semi-additive
# backlog, financial (one a distinct-count ratio), people (one annualised) and nps (x 100).
MONTHLY_DIRECTOR_METRICS = [
    "csat",
    "sla_attainment",
    "ticket_volume",
    "aht_minutes",
    "backlog_open",
    "backlog_over_48h_rate",
    "cost_per_ticket",
    "cost_per_customer",
    "service_credit_exposure",
    "nps",
    "attrition_rate",
    "qa_score",
    "internal_promotion_rate",
]
QUARTERLY_TEAM_METRICS = [
    "csat",
    "sla_attainment",
    "ticket_volume",
    "aht_minutes",
    "backlog_open",
    "cost_per_ticket",
    "headcount_efficiency",
    "attrition_rate",
    "schedule_adherence",
]
WEEKLY_CHANNEL_METRICS = ["ticket_volume", "sla_attainment", "aht_minutes"]
WEEK_BY_CHANNEL = ["metric_time__week", "contact_profile__channel"]

Key = tuple[str, ...]
Values = dict[Key, float | None]


@pytest.fixture(scope="module")
def mf_env(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for `mf` against the demo build, run from the project root."""
    stand_in = tmp_path_factory.mktemp("mf_project")
    (stand_in / "dbt_project.yml").symlink_to(PROJECT_ROOT / "dbt_project.yml")
    (stand_in / "target").symlink_to(demo_build.target_dir, target_is_directory=True)
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT),
        "DBT_PROJECT_DIR": str(stand_in),
        "SCORECARD_DB": str(demo_build.warehouse),
        "SCORECARD_RAW_DIR": str(demo_build.raw_dir),
        "SCORECARD_RAW_FORMAT": "parquet",
        "DBT_LOG_PATH": str(stand_in / "logs"),
    }


def mf_query(env: Mapping[str, str], metrics: list[str], group_by: list[str]) -> list[dict]:
    out = Path(env["DBT_PROJECT_DIR"]) / f"{'-'.join(group_by)}.csv"
    completed = subprocess.run(
        [MF, "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by)]
        + ["--csv", str(out)],
        cwd=PROJECT_ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0 and out.exists(), completed.stdout[-4000:] + completed.stderr
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def mf_values(rows: Iterable[dict], metric: str, key_columns: list[str]) -> Values:
    # Time columns come as timestamps; periods are named by their first day.
    return {tuple(row[column][:10] for column in key_columns): number(row[metric]) for row in rows}


def cascade_values(warehouse: Path, grain: str, level: str, metric: str) -> Values:
    rows = query(
        warehouse,
        f"""
        select cast(period_start as varchar), entity_id, value
        from marts.fct_kpi_cascade
        where kpi_id = '{metric}' and period_grain = '{grain}' and level = '{level}'
        """,
    )
    if level == "director":
        return {(period,): value for period, _, value in rows}
    return {(period, entity): value for period, entity, value in rows}


def assert_same(metric: str, got: Values, expected: Values) -> None:
    """Every expected row is there with the same value; any other row is empty.

    A query of several metrics returns the union of their rows, each metric empty where
    it has none (and `cost_per_customer` has account-only months around the window).
    """
    assert any(value is not None for value in expected.values()), f"{metric}: nothing to compare"
    missing = sorted(set(expected) - set(got))
    assert not missing, f"{metric}: no row for {missing[:5]}"
    extra = {key: value for key, value in got.items() if key not in expected and value is not None}
    assert not extra, f"{metric}: rows the cascade does not have: {extra}"
    for key, value in expected.items():
        if value is None:
            assert got[key] is None, f"{metric} {key}: {got[key]} instead of no value"
        else:
            assert got[key] is not None and math.isclose(got[key], value, rel_tol=REL_TOLERANCE), (
                f"{metric} {key}: semantic layer {got[key]}, cascade {value}"
            )


def test_every_catalog_kpi_is_a_metric(demo_build: Build) -> None:
    manifest = json.loads((demo_build.target_dir / "semantic_manifest.json").read_text())
    metrics = {metric["name"] for metric in manifest["metrics"]}
    with (PROJECT_ROOT / "seeds" / "kpi_catalog.csv").open(newline="") as handle:
        kpi_ids = {row["kpi_id"] for row in csv.DictReader(handle)}
    assert len(kpi_ids) == 26
    assert kpi_ids <= metrics, sorted(kpi_ids - metrics)
    assert manifest["project_configuration"]["time_spines"], "no time spine"


def test_monthly_kpis_match_the_director_rows(demo_build: Build, mf_env: dict[str, str]) -> None:
    rows = mf_query(mf_env, MONTHLY_DIRECTOR_METRICS, ["metric_time__month"])
    for metric in MONTHLY_DIRECTOR_METRICS:
        assert_same(
            metric,
            mf_values(rows, metric, ["metric_time__month"]),
            cascade_values(demo_build.warehouse, "month", "director", metric),
        )


def test_quarterly_kpis_by_team_match_the_team_rows(
    demo_build: Build, mf_env: dict[str, str]
) -> None:
    rows = mf_query(mf_env, QUARTERLY_TEAM_METRICS, ["metric_time__quarter", "team"])
    for metric in QUARTERLY_TEAM_METRICS:
        assert_same(
            metric,
            mf_values(rows, metric, ["metric_time__quarter", "team"]),
            cascade_values(demo_build.warehouse, "quarter", "team", metric),
        )


def test_weekly_ticket_kpis_by_channel_match_the_tickets(
    demo_build: Build, mf_env: dict[str, str]
) -> None:
    rows = mf_query(
        mf_env, WEEKLY_CHANNEL_METRICS, ["metric_time__week", "contact_profile__channel"]
    )
    # Straight from the tickets, each KPI by its own date (ISO weeks start on Monday).
    independent = {
        "ticket_volume": """
            select date_trunc('week', created_at), channel, count(*)
            from marts.fct_tickets group by all""",
        "sla_attainment": """
            select date_trunc('week', sla_outcome_at), channel,
                count(*) filter (where sla_outcome = 'met') / count(*)
            from marts.fct_tickets where sla_outcome in ('met', 'breached') group by all""",
        "aht_minutes": """
            select date_trunc('week', final_solved_at), channel, sum(handle_seconds) / 60 / count(*)
            from marts.fct_tickets where is_solved group by all""",
    }
    for metric, sql in independent.items():
        expected = {
            (str(week)[:10], channel): float(value)
            for week, channel, value in query(demo_build.warehouse, sql)
        }
        assert_same(
            metric,
            mf_values(rows, metric, ["metric_time__week", "contact_profile__channel"]),
            expected,
        )
