"""The analyses compile, run against the demo build's warehouse, and give sane answers:
each is checked against an independent reading of the marts it starts from."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import Build, run_dbt_beside

ANALYSES = (
    "kpi_conflicts_aht_vs_quality",
    "target_suggestions_from_baseline",
    "dsat_contact_driver_pareto",
    "rejected_rows_by_reason",
)
# The analyses' defaults (dbt vars target_suggestion_*; the Pareto threshold).
LOOKBACK_MONTHS = 12
GREEN_SHARE = 0.5
RED_SHARE = 0.2
VITAL_FEW_SHARE = 0.8
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def compiled(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The compiled SQL of every analysis, compiled in a target folder of its own (the
    build's folder holds its run_results.json, which other tests read)."""
    target = run_dbt_beside(
        demo_build,
        ["compile", "--select", "resource_type:analysis"],
        tmp_path_factory.mktemp("analyses"),
    )
    folder = target / "compiled" / "cs_scorecard" / "analyses"
    return {path.stem: path.read_text(encoding="utf-8") for path in folder.glob("*.sql")}


def run(build: Build, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        return connection.execute(sql).df()


def test_every_analysis_compiles_and_runs(demo_build: Build, compiled: dict[str, str]) -> None:
    assert set(ANALYSES) <= set(compiled)
    for name in ANALYSES:
        result = run(demo_build, compiled[name])
        assert len(result) > 0, name


# --------------------------------------------------------------------------------------
# AHT against CSAT and FCR
# --------------------------------------------------------------------------------------


def test_conflicts_one_row_per_agent_and_quarter(
    demo_build: Build, compiled: dict[str, str]
) -> None:
    result = run(demo_build, compiled["kpi_conflicts_aht_vs_quality"])
    cascade = run(
        demo_build,
        """select kpi_id, period_start, level, entity_id, numerator, denominator, value
        from marts.fct_kpi_cascade
        where period_grain = 'quarter' and kpi_id in ('aht_minutes', 'csat', 'fcr_rate')""",
    )
    agents = cascade[cascade["level"] == "agent"]
    assert not result.duplicated(["period_start", "agent_id"]).any()
    assert set(zip(result["period_start"], result["agent_id"], strict=True)) == set(
        zip(agents["period_start"], agents["entity_id"], strict=True)
    )

    # Pooled over an agent's teams: sum of numerators / sum of denominators.
    pooled = agents.groupby(["kpi_id", "period_start", "entity_id"])[
        ["numerator", "denominator"]
    ].sum(min_count=1)
    expected = (pooled["numerator"] / pooled["denominator"].replace(0, np.nan)).unstack("kpi_id")
    expected = expected.reindex(columns=["aht_minutes", "csat", "fcr_rate"])
    actual = result.set_index(["period_start", "agent_id"])[["aht_minutes", "csat", "fcr_rate"]]
    actual.index.names = expected.index.names
    pd.testing.assert_frame_equal(
        actual.sort_index(), expected.sort_index(), check_names=False, rtol=TOLERANCE
    )

    director = cascade[cascade["level"] == "director"].pivot(
        index="period_start", columns="kpi_id", values="value"
    )
    for row in result.itertuples():
        assert row.function_aht_minutes == pytest.approx(
            director.at[row.period_start, "aht_minutes"]
        )
        for quality, quadrant in (
            ("csat", row.aht_csat_quadrant),
            ("fcr_rate", row.aht_fcr_quadrant),
        ):
            value = getattr(row, quality)
            if pd.isna(row.aht_minutes) or pd.isna(value):
                assert quadrant is None or pd.isna(quadrant)
                continue
            fast = row.aht_minutes <= director.at[row.period_start, "aht_minutes"]
            good = value >= director.at[row.period_start, quality]
            if fast:
                expected_quadrant = "fast_and_good" if good else "fast_but_poor"
            else:
                expected_quadrant = "slow_but_good" if good else "slow_and_poor"
            assert quadrant == expected_quadrant, (row.agent_id, quality)

    for period_start, quarter in result.groupby("period_start"):
        assert (quarter["agents_in_quarter"] == len(quarter)).all()
        for quality in ("csat", "fcr_rate"):
            both = quarter.dropna(subset=["aht_minutes", quality])
            correlation = quarter[f"aht_{quality.split('_')[0]}_correlation"].iloc[0]
            assert -1 - TOLERANCE <= correlation <= 1 + TOLERANCE
            assert correlation == pytest.approx(
                np.corrcoef(both["aht_minutes"], both[quality])[0, 1]
            ), (period_start, quality)


# --------------------------------------------------------------------------------------
# Target suggestions
# --------------------------------------------------------------------------------------


def test_target_suggestions_respect_direction_and_history(
    demo_build: Build, compiled: dict[str, str]
) -> None:
    result = run(demo_build, compiled["target_suggestions_from_baseline"])
    history = run(
        demo_build,
        """select kpi_id, level, direction, period_start, period_end, value
        from marts.fct_kpi_cascade
        where period_grain = 'month' and is_complete_period""",
    )
    targets = run(demo_build, "select * from marts.dim_kpis").set_index("kpi_id")
    last_end = pd.Timestamp(history["period_end"].max())
    start_after = last_end - pd.DateOffset(months=LOOKBACK_MONTHS)
    history = history[
        (history["period_start"] > start_after)
        & history["value"].notna()
        & (history["direction"] != "neutral")
    ]
    assert not result.duplicated(["kpi_id", "level"]).any()
    assert set(zip(result["kpi_id"], result["level"], strict=True)) == set(
        zip(history["kpi_id"], history["level"], strict=True)
    )
    assert "neutral" not in set(result["direction"])

    for row in result.itertuples():
        values = history[(history["kpi_id"] == row.kpi_id) & (history["level"] == row.level)]
        values = values["value"].to_numpy()
        key = (row.kpi_id, row.level)
        assert row.observations == len(values), key
        higher = row.direction == "higher_is_better"
        if higher:
            assert row.suggested_green >= row.suggested_amber - TOLERANCE, key
            green_q, amber_q = 1 - GREEN_SHARE, RED_SHARE
        else:
            assert row.suggested_green <= row.suggested_amber + TOLERANCE, key
            green_q, amber_q = GREEN_SHARE, 1 - RED_SHARE
        assert row.min_value - TOLERANCE <= row.suggested_green <= row.max_value + TOLERANCE
        assert row.suggested_green == pytest.approx(np.quantile(values, green_q)), key
        assert row.suggested_amber == pytest.approx(np.quantile(values, amber_q)), key

        green = targets.at[row.kpi_id, f"target_green_{row.level}"]
        amber = targets.at[row.kpi_id, f"target_amber_{row.level}"]
        assert row.current_green == pytest.approx(green), key
        assert row.current_amber == pytest.approx(amber), key
        is_green = values >= green if higher else values <= green
        is_red = values < amber if higher else values > amber
        assert row.current_green_share == pytest.approx(is_green.mean()), key
        assert row.current_red_share == pytest.approx(is_red.mean()), key
        stricter = green > row.suggested_green if higher else green < row.suggested_green
        if green != row.suggested_green:
            expected_reading = "stricter_than_history" if stricter else "looser_than_history"
            assert row.current_green_reading == expected_reading, key


# --------------------------------------------------------------------------------------
# DSAT Pareto
# --------------------------------------------------------------------------------------


def test_dsat_pareto_is_a_complete_monotone_curve(
    demo_build: Build, compiled: dict[str, str]
) -> None:
    result = run(demo_build, compiled["dsat_contact_driver_pareto"])
    director_dsat = run(
        demo_build,
        """select sum(numerator) as dsat, sum(denominator) as responses
        from marts.fct_kpi_cascade
        where kpi_id = 'dsat_rate' and level = 'director' and period_grain = 'month'""",
    ).iloc[0]
    drivers = run(
        demo_build,
        "select distinct driver from marts.fct_contact_drivers where period_grain = 'month'",
    )

    assert list(result["pareto_rank"]) == list(range(1, len(result) + 1))
    assert set(result["driver"]) == set(drivers["driver"])
    assert result["dsat_responses"].is_monotonic_decreasing
    assert result["dsat_responses"].sum() == director_dsat["dsat"] > 0
    assert result["csat_responses"].sum() == director_dsat["responses"]

    cumulative = result["cumulative_dsat_share"].to_numpy()
    assert (np.diff(cumulative) >= -TOLERANCE).all()
    assert cumulative[-1] == pytest.approx(1.0)
    assert result["dsat_share"].sum() == pytest.approx(1.0)
    assert cumulative == pytest.approx(result["dsat_share"].cumsum().to_numpy())
    assert result["dsat_rate"].between(0, 1).all()

    vital = result["is_vital_few"].to_numpy()
    vital_count = int(vital.sum())
    assert vital_count >= 1 and vital[:vital_count].all() and not vital[vital_count:].any()
    # The vital few reach the threshold and not one driver earlier than needed.
    assert cumulative[vital_count - 1] >= VITAL_FEW_SHARE - TOLERANCE or vital_count == len(
        result[result["dsat_responses"] > 0]
    )
    if vital_count > 1:
        assert cumulative[vital_count - 2] < VITAL_FEW_SHARE
