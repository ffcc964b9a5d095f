"""Render the balanced scorecard as static HTML pages that open offline.

Reads the marts of a built warehouse (DuckDB, read-only) and writes into one folder:

* one page per entity of the cascade at and below the chosen level and entity, for one
  grain and period: ``director-<id>.html``, ``manager-<id>.html``, ``team-<id>.html``,
  ``agent-<id>.html``. A page shows the four perspectives (value, targets, RAG status,
  prior value, change and trend, baseline, a sparkline of the last periods with the target
  bands and the baseline), links down to the entity's children and up to its parents, the
  backlog-age distribution (``fct_backlog_age``; not for agents) and, on director pages,
  the contact drivers behind DSAT and escalations (``fct_contact_drivers``);
* ``index.html``: the chosen entity's page, or a list when several entities match;
* once: ``plotly.min.js`` (the bundle of the installed plotly package, so that no page
  loads anything from a network), ``scorecard.css`` and ``scorecard.js``.

Agent names are shown (managers coach by name); no mart the report reads holds e-mail
addresses or other personal data.

Usage::

    .venv/bin/python scripts/render_scorecard.py
    .venv/bin/python scripts/render_scorecard.py --grain week --level team --entity T01
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pandas as pd
import plotly.offline

LEVELS = ("director", "manager", "team", "agent")
CHILD_LEVEL = {"director": "manager", "manager": "team", "team": "agent"}
PERSPECTIVES = ("customer", "operational", "financial", "people")
GRAINS = ("day", "week", "month", "quarter")
HISTORY_PERIODS = 12
ASSETS = Path(__file__).resolve().with_name("scorecard_assets")
PAGE_PATTERNS = ("index.html", *(f"{level}-*.html" for level in LEVELS))
BACKLOG_BUCKETS = (
    ("open_0_24h", "0–24 h"),
    ("open_24_48h", "24–48 h"),
    ("open_48_72h", "48–72 h"),
    ("open_72h_plus", "72 h +"),
)
RAG_COLOURS = {"green": "#2e7d32", "amber": "#f2a900", "red": "#c62828"}
BAND_OPACITY = 0.13


@dataclass(frozen=True)
class UnitFormat:
    """How a KPI unit is shown: values are multiplied by `scale` before formatting."""

    scale: float
    decimals: int
    suffix: str
    change_suffix: str


UNIT_FORMATS: dict[str, UnitFormat] = {
    "ratio": UnitFormat(100.0, 1, "%", " pp"),
    "score": UnitFormat(1.0, 2, "", ""),
    "minutes": UnitFormat(1.0, 1, " min", " min"),
    "hours": UnitFormat(1.0, 1, " h", " h"),
    "count": UnitFormat(1.0, 0, "", ""),
    "currency": UnitFormat(1.0, 2, "", ""),
    "days": UnitFormat(1.0, 1, " d", " d"),
    "per_hour": UnitFormat(1.0, 2, " /h", " /h"),
}
MISSING = "–"


@dataclass(frozen=True)
class Options:
    db: Path
    out: Path
    schema: str
    level: str
    entity: str | None
    grain: str
    period: date | None


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    is_complete: bool


# ---------------------------------------------------------------- formatting


def unit_format(unit: str) -> UnitFormat:
    return UNIT_FORMATS.get(unit, UnitFormat(1.0, 2, "", ""))


def is_missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def format_value(value: Any, unit: str) -> str:
    """A KPI value as the pages show it, e.g. 0.9291 ratio -> '92.9%'."""
    if is_missing(value):
        return MISSING
    fmt = unit_format(unit)
    return f"{float(value) * fmt.scale:,.{fmt.decimals}f}{fmt.suffix}"


def format_change(value: Any, unit: str) -> tuple[str, str]:
    """The arrow and the signed change as shown, in percentage points for ratios, e.g.
    ('▼', '-1.7 pp'); a change that rounds to 0 shows ('→', '0.0 pp'), none ('', '–')."""
    if is_missing(value):
        return "", MISSING
    fmt = unit_format(unit)
    scaled = round(float(value) * fmt.scale, fmt.decimals)
    if scaled == 0:
        return "→", f"{0:.{fmt.decimals}f}{fmt.change_suffix}"
    return ("▲" if scaled > 0 else "▼"), f"{scaled:+,.{fmt.decimals}f}{fmt.change_suffix}"


def format_targets(green: Any, amber: Any, direction: str, unit: str) -> list[str]:
    """The tolerance bands, e.g. ['green ≥ 4.20', 'amber ≥ 4.00']."""
    if direction == "neutral" or is_missing(green):
        return ["no target"]
    sign = "≥" if direction == "higher_is_better" else "≤"
    bands = [f"green {sign} {format_value(green, unit)}"]
    if not is_missing(amber):
        bands.append(f"amber {sign} {format_value(amber, unit)}")
    return bands


def period_label(grain: str, start: date, end: date) -> str:
    if grain == "day":
        return f"{start:%a %d %b %Y}"
    if grain == "week":
        iso = start.isocalendar()
        return f"week {iso.year}-W{iso.week:02d} ({start:%d %b} – {end:%d %b %Y})"
    if grain == "month":
        return f"{start:%B %Y}"
    return f"Q{(start.month - 1) // 3 + 1} {start.year}"


def short_period_label(grain: str, start: date) -> str:
    if grain == "week":
        iso = start.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if grain == "month":
        return f"{start:%Y-%m}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return start.isoformat()


def page_name(level: str, entity_id: str) -> str:
    """`<level>-<id>.html`; ids with characters unsafe in a file name get a short hash."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", entity_id)
    if slug != entity_id:
        slug += "-" + hashlib.sha1(entity_id.encode()).hexdigest()[:8]
    return f"{level}-{slug}.html"


# ---------------------------------------------------------------- reading the marts


def default_db() -> Path:
    """The published copy when there is one: it is complete and never locked by a build."""
    publish_dir = Path(os.environ.get("SCORECARD_PUBLISH_DIR") or "warehouse/published")
    published = publish_dir / "scorecard.duckdb"
    if published.exists():
        return published
    return Path(os.environ.get("SCORECARD_DB") or "warehouse/scorecard.duckdb")


def list_periods(con: duckdb.DuckDBPyConnection, schema: str, grain: str) -> list[Period]:
    rows = con.execute(
        f"""
        select period_start, max(period_end), bool_and(is_complete_period)
        from {schema}.fct_kpi_cascade
        where period_grain = ?
        group by period_start
        order by period_start
        """,
        [grain],
    ).fetchall()
    return [Period(start, end, complete) for start, end, complete in rows]


def choose_period(periods: list[Period], requested: date | None) -> Period:
    """The period holding `requested`, else the latest complete one (the latest, if none is)."""
    if not periods:
        raise SystemExit("fct_kpi_cascade has no row at this grain: is the warehouse built?")
    if requested is not None:
        matching = [period for period in periods if period.start <= requested <= period.end]
        if not matching:
            raise SystemExit(f"No period holds {requested}: the data covers {periods[0].start}")
        return matching[0]
    complete = [period for period in periods if period.is_complete]
    return (complete or periods)[-1]


def load_cascade(
    con: duckdb.DuckDBPyConnection, schema: str, grain: str, history: list[Period]
) -> pd.DataFrame:
    frame = con.execute(
        f"""
        select
            cascade.kpi_id, cascade.kpi_name, cascade.perspective, cascade.unit,
            cascade.direction, cascade.period_start, cascade.level, cascade.entity_id,
            coalesce(cascade.entity_name, cascade.entity_id) as entity_name,
            cascade.parent_level, cascade.parent_entity_id, cascade.value,
            cascade.parent_value, cascade.target_green, cascade.target_amber,
            cascade.rag_status, cascade.prior_value, cascade.change, cascade.trend_direction,
            cascade.baseline_value, cascade.is_accountable, kpis.definition
        from {schema}.fct_kpi_cascade as cascade
        left join {schema}.dim_kpis as kpis on cascade.kpi_id = kpis.kpi_id
        where cascade.period_grain = ? and cascade.period_start between ? and ?
        """,
        [grain, history[0].start, history[-1].start],
    ).df()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    for column in ("parent_level", "parent_entity_id", "trend_direction", "definition"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def load_backlog(
    con: duckdb.DuckDBPyConnection, schema: str, history: list[Period]
) -> pd.DataFrame:
    """Open tickets per period and team at each period's snapshot day.

    The snapshot of a period is its last day, or the last snapshot day when the period is
    still running: the same snapshot as the `backlog_open` KPI.
    """
    periods = pd.DataFrame(
        {"period_start": [p.start for p in history], "period_end": [p.end for p in history]}
    )
    con.register("report_periods", periods)
    buckets = ", ".join(f"backlog.{column}" for column, _ in BACKLOG_BUCKETS)
    frame = con.execute(
        f"""
        with latest as (
            select max(snapshot_date) as last_snapshot from {schema}.fct_backlog_age
        )
        select report_periods.period_start, backlog.snapshot_date, backlog.team_id,
            {buckets}, backlog.open_total
        from report_periods
        cross join latest
        inner join {schema}.fct_backlog_age as backlog
            on backlog.snapshot_date = least(report_periods.period_end, latest.last_snapshot)
        """
    ).df()
    con.unregister("report_periods")
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.date
    frame["snapshot_date"] = pd.to_datetime(frame["snapshot_date"]).dt.date
    return frame


def load_drivers(
    con: duckdb.DuckDBPyConnection, schema: str, grain: str, period: Period
) -> tuple[pd.DataFrame, str]:
    """Contact drivers of the period (weeks and months as they are; a day or quarter by its
    months, pooled), ordered by their share of DSAT responses and of escalations."""
    source_grain = grain if grain in ("week", "month") else "month"
    first = period.start if source_grain == grain else period.start.replace(day=1)
    frame = con.execute(
        f"""
        with scoped as (
            select
                driver,
                driver_category,
                sum(ticket_volume) as ticket_volume,
                sum(csat_responses) as csat_responses,
                sum(dsat_responses) as dsat_responses,
                sum(solved_tickets) as solved_tickets,
                sum(fcr_tickets) as fcr_tickets,
                sum(escalated_tickets) as escalated_tickets,
                sum(coalesce(aht_minutes * solved_tickets, 0)) as handle_minutes,
                min(period_start) as first_start,
                max(period_end) as last_end
            from {schema}.fct_contact_drivers
            where period_grain = ? and period_start between ? and ?
            group by driver, driver_category
        )
        select
            driver, driver_category, ticket_volume, csat_responses, dsat_responses,
            solved_tickets, escalated_tickets,
            ticket_volume / nullif(sum(ticket_volume) over (), 0) as volume_share,
            dsat_responses / nullif(csat_responses, 0) as dsat_rate,
            dsat_responses / nullif(sum(dsat_responses) over (), 0) as dsat_share,
            escalated_tickets / nullif(solved_tickets, 0) as escalation_rate,
            escalated_tickets / nullif(sum(escalated_tickets) over (), 0) as escalation_share,
            fcr_tickets / nullif(solved_tickets, 0) as fcr_rate,
            handle_minutes / nullif(solved_tickets, 0) as aht_minutes,
            min(first_start) over () as first_start,
            max(last_end) over () as last_end
        from scoped
        order by dsat_responses desc, escalated_tickets desc, ticket_volume desc, driver
        """,
        [source_grain, first, period.end],
    ).df()
    if frame.empty:
        return frame, ""
    start, end = frame["first_start"].iloc[0].date(), frame["last_end"].iloc[0].date()
    scope = period_label(source_grain, start, end)
    if source_grain != grain:
        scope += f" (the {'month' if grain == 'day' else 'months'} of the {grain})"
    return frame, scope


# ---------------------------------------------------------------- shaping


def select_entities(current: pd.DataFrame, level: str, entity: str | None) -> pd.DataFrame:
    """(level, entity_id) of the chosen entities and of everything below them in the period."""
    links = current[["level", "entity_id", "parent_entity_id"]].drop_duplicates()
    chosen = links.loc[links["level"].eq(level), ["level", "entity_id"]].drop_duplicates()
    if entity is not None:
        chosen = chosen[chosen["entity_id"].eq(entity)]
    if chosen.empty:
        raise SystemExit(f"No {level} {entity or ''} has a row in the chosen period.")
    frames = [chosen]
    while level in CHILD_LEVEL:
        level = CHILD_LEVEL[level]
        below = links["level"].eq(level) & links["parent_entity_id"].isin(frames[-1]["entity_id"])
        frames.append(links.loc[below, ["level", "entity_id"]].drop_duplicates())
    return pd.concat(frames, ignore_index=True)


def backlog_by_entity(backlog: pd.DataFrame, cascade: pd.DataFrame) -> pd.DataFrame:
    """Backlog buckets summed per period and team, manager and director.

    A team counts under the parents of its `backlog_open` rows in the same period, so an
    entity's total equals its `backlog_open` value.
    """
    links = cascade.loc[
        cascade["kpi_id"].eq("backlog_open") & cascade["level"].isin(["team", "manager"]),
        ["period_start", "level", "entity_id", "parent_entity_id"],
    ]
    to_manager = links[links["level"].eq("team")].rename(
        columns={"entity_id": "team_id", "parent_entity_id": "manager_id"}
    )
    to_director = links[links["level"].eq("manager")].rename(
        columns={"entity_id": "manager_id", "parent_entity_id": "director_id"}
    )
    placed = backlog.merge(
        to_manager[["period_start", "team_id", "manager_id"]],
        on=["period_start", "team_id"],
        how="left",
    ).merge(
        to_director[["period_start", "manager_id", "director_id"]],
        on=["period_start", "manager_id"],
        how="left",
    )
    columns = [column for column, _ in BACKLOG_BUCKETS] + ["open_total"]
    frames = [
        placed.dropna(subset=[f"{level}_id"])
        .groupby(["period_start", "snapshot_date", f"{level}_id"], as_index=False)[columns]
        .sum()
        .rename(columns={f"{level}_id": "entity_id"})
        .assign(level=level)
        for level in ("team", "manager", "director")
    ]
    return pd.concat(frames, ignore_index=True)


def kpi_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Perspective order of the scorecard, then accountable KPIs first, then by id."""
    rank = frame["perspective"].map({name: i for i, name in enumerate(PERSPECTIVES)})
    return (
        frame.assign(_rank=rank)
        .sort_values(["_rank", "is_accountable", "kpi_id"], ascending=[True, False, True])
        .drop(columns="_rank")
    )


def history_series(cascade: pd.DataFrame, grain: str) -> dict[tuple, dict[str, list]]:
    """Per (level, entity, parent, kpi): the period labels and display-scaled values."""
    labels = {start: short_period_label(grain, start) for start in cascade["period_start"].unique()}
    scale = cascade["unit"].map({unit: fmt.scale for unit, fmt in UNIT_FORMATS.items()}).fillna(1.0)
    frame = cascade.assign(
        x=cascade["period_start"].map(labels),
        y=(cascade["value"] * scale).astype(object).where(cascade["value"].notna(), None),
        parent_key=cascade["parent_entity_id"].fillna(""),
    ).sort_values("period_start")
    grouped = frame.groupby(["level", "entity_id", "parent_key", "kpi_id"]).agg(
        x=("x", list), y=("y", list)
    )
    return grouped.to_dict("index")


# ---------------------------------------------------------------- charts


def band_shapes(row: dict[str, Any], low: float, high: float, scale: float) -> list[dict]:
    """Shaded green, amber and red zones between the target thresholds."""
    if row["direction"] == "neutral" or is_missing(row["target_green"]):
        return []
    green = float(row["target_green"]) * scale
    amber = green if is_missing(row["target_amber"]) else float(row["target_amber"]) * scale
    if row["direction"] == "higher_is_better":
        zones = [("green", green, high), ("amber", amber, green), ("red", low, amber)]
    else:
        zones = [("green", low, green), ("amber", green, amber), ("red", amber, high)]
    return [
        {
            "type": "rect",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": bottom,
            "y1": top,
            "fillcolor": RAG_COLOURS[status],
            "opacity": BAND_OPACITY,
            "line": {"width": 0},
            "layer": "below",
        }
        for status, bottom, top in zones
        if top > bottom
    ]


def y_range(values: Iterable[Any], thresholds: Iterable[Any]) -> tuple[float, float]:
    """The values' range, widened to the target thresholds that lie near it (a far-off
    threshold would flatten the line; its band then fills the chart)."""
    numbers = [float(value) for value in values if not is_missing(value)]
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    span = (high - low) or abs(high) or 1.0
    near = [
        float(value)
        for value in thresholds
        if not is_missing(value) and low - span <= float(value) <= high + span
    ]
    low, high = min([low, *near]), max([high, *near])
    pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
    return low - pad, high + pad


def sparkline(chart_id: str, row: dict[str, Any], series: dict[str, list]) -> dict[str, Any]:
    """A small trend chart: the value over the last periods, target bands and baseline."""
    scale = unit_format(row["unit"]).scale
    baseline = None if is_missing(row["baseline_value"]) else row["baseline_value"] * scale
    thresholds = [
        None if is_missing(target) else target * scale
        for target in (row["target_green"], row["target_amber"])
    ]
    low, high = y_range([*series["y"], baseline], thresholds)
    shapes = band_shapes(row, low, high, scale)
    if baseline is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": baseline,
                "y1": baseline,
                "line": {"color": "#555", "width": 1, "dash": "dot"},
            }
        )
    last_colour = RAG_COLOURS.get(row["rag_status"], "#777")
    marker_colours = ["#333"] * (len(series["y"]) - 1) + [last_colour]
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "x": series["x"],
        "y": series["y"],
        "line": {"color": "#333", "width": 1.5},
        "marker": {"size": [3] * (len(series["y"]) - 1) + [7], "color": marker_colours},
        "hovertemplate": "%{x}: %{y:,.4~r}<extra></extra>",
        "connectgaps": False,
    }
    layout = {
        "width": 150,
        "height": 44,
        "margin": {"l": 2, "r": 2, "t": 3, "b": 3},
        "xaxis": {"visible": False, "fixedrange": True, "type": "category"},
        "yaxis": {"visible": False, "fixedrange": True, "range": [low, high]},
        "showlegend": False,
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "shapes": shapes,
    }
    return {"id": chart_id, "data": [trace], "layout": layout}


def backlog_chart(chart_id: str, history: pd.DataFrame, grain: str) -> dict[str, Any]:
    """Stacked bars of the backlog-age buckets at each period's snapshot."""
    ordered = history.sort_values("period_start")
    x = [short_period_label(grain, start) for start in ordered["period_start"]]
    colours = ("#9ccc65", "#ffd54f", "#ff8a65", "#c62828")
    traces = [
        {
            "type": "bar",
            "name": label,
            "x": x,
            "y": ordered[column].astype(int).tolist(),
            "marker": {"color": colour},
        }
        for (column, label), colour in zip(BACKLOG_BUCKETS, colours, strict=True)
    ]
    layout = {
        "barmode": "stack",
        "height": 260,
        "margin": {"l": 40, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": {"text": "open tickets"}},
        "xaxis": {"type": "category"},
    }
    return {"id": chart_id, "data": traces, "layout": layout}


def drivers_chart(chart_id: str, drivers: pd.DataFrame) -> dict[str, Any]:
    """Each driver's share of volume beside its share of DSAT responses and escalations."""
    top = drivers.head(10).iloc[::-1]
    series = (
        ("volume_share", "share of tickets", "#90a4ae"),
        ("dsat_share", "share of DSAT responses", "#c62828"),
        ("escalation_share", "share of escalations", "#f2a900"),
    )
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": top["driver"].tolist(),
            "x": (top[column].fillna(0) * 100).round(2).tolist(),
            "marker": {"color": colour},
            "hovertemplate": "%{y}: %{x:.1f}%<extra>" + name + "</extra>",
        }
        for column, name, colour in series
    ]
    layout = {
        "barmode": "group",
        "height": 420,
        "margin": {"l": 130, "r": 10, "t": 10, "b": 40},
        "legend": {"orientation": "h", "y": -0.1},
        "xaxis": {"ticksuffix": "%"},
    }
    return {"id": chart_id, "data": traces, "layout": layout}


# ---------------------------------------------------------------- page models


Key = tuple[str, str]  # (level, entity_id)


@dataclass
class Report:
    """Everything the pages of one render share, looked up by (level, entity_id)."""

    grain: str
    period: Period
    rows: dict[Key, pd.DataFrame]  # the entity's KPI rows of the period, in scorecard order
    children: dict[Key, pd.DataFrame]  # the rows of the entity's children, by parent
    names: dict[Key, str]
    parents: dict[Key, Key]  # the parent holding most of the entity's rows
    series: dict[tuple, dict[str, list]]
    backlog: dict[Key, pd.DataFrame]
    drivers: pd.DataFrame
    drivers_scope: str
    rendered: set[str]
    source: str

    @property
    def label(self) -> str:
        return period_label(self.grain, self.period.start, self.period.end)


def group_frames(frame: pd.DataFrame, keys: list[str]) -> dict[Key, pd.DataFrame]:
    return {tuple(key): group for key, group in frame.groupby(keys, sort=False)}


def main_parents(current: pd.DataFrame) -> dict[Key, Key]:
    counts = (
        current.dropna(subset=["parent_entity_id"])
        .groupby(["level", "entity_id", "parent_level", "parent_entity_id"])
        .size()
        .reset_index(name="rows")
        .sort_values("rows", ascending=False, kind="stable")
        .drop_duplicates(["level", "entity_id"])
    )
    return {
        (level, entity): (parent_level, parent)
        for level, entity, parent_level, parent in zip(
            counts["level"],
            counts["entity_id"],
            counts["parent_level"],
            counts["parent_entity_id"],
            strict=True,
        )
    }


def entity_link(report: Report, level: str, entity_id: str) -> dict[str, Any]:
    page = page_name(level, entity_id)
    return {
        "level": level,
        "id": entity_id,
        "name": report.names.get((level, entity_id), entity_id),
        "href": page if page in report.rendered else None,
    }


def kpi_records(report: Report, rows: pd.DataFrame, charts: list[dict]) -> list[dict]:
    records = []
    for row in rows.to_dict("records"):
        key = (row["level"], row["entity_id"], row["parent_entity_id"] or "", row["kpi_id"])
        chart_id = f"spark-{len(charts)}"
        charts.append(sparkline(chart_id, row, report.series[key]))
        records.append({**row, "chart_id": chart_id})
    return records


def scope_models(report: Report, rows: pd.DataFrame, charts: list[dict]) -> list[dict]:
    """One scorecard per parent: an agent who changed team within the period has two."""
    parent_key = rows["parent_entity_id"].fillna("")
    scopes = []
    for key in parent_key.value_counts(sort=True).index:
        in_scope = rows[parent_key.eq(key)]
        first = in_scope.iloc[0]
        records = kpi_records(report, in_scope, charts)
        scopes.append(
            {
                "parent": None if not key else entity_link(report, first["parent_level"], key),
                "perspectives": [
                    {"name": name, "kpis": [r for r in records if r["perspective"] == name]}
                    for name in PERSPECTIVES
                ],
            }
        )
    return scopes


def ancestors(report: Report, key: Key) -> list[dict[str, Any]]:
    """The chain up to the director, through each entity's main parent in the period."""
    chain: list[dict[str, Any]] = []
    while key in report.parents and len(chain) < len(LEVELS):
        key = report.parents[key]
        chain.append(entity_link(report, *key))
    return chain[::-1]


def children_model(report: Report, rows: pd.DataFrame | None) -> dict[str, Any] | None:
    """A table of entities with the KPIs they are accountable for, each linked to its page."""
    if rows is None or rows.empty:
        return None
    accountable = rows.loc[rows["is_accountable"]].drop_duplicates("kpi_id")
    kpis = kpi_order(accountable)[["kpi_id", "kpi_name", "unit"]]
    cells = rows.set_index(["entity_id", "kpi_id"])[["value", "unit", "rag_status"]]
    cells = cells[~cells.index.duplicated()].to_dict("index")
    names = rows.drop_duplicates("entity_id").sort_values(["entity_name", "entity_id"])
    level = rows["level"].iloc[0]
    entities = [
        {
            "link": entity_link(report, level, entity_id),
            "cells": [cells.get((entity_id, kpi)) for kpi in kpis["kpi_id"]],
        }
        for entity_id in names["entity_id"]
    ]
    return {
        "title": f"{level.capitalize()}s",
        "level": level,
        "kpis": kpis.to_dict("records"),
        "entities": entities,
    }


def backlog_model(report: Report, key: Key, charts: list[dict]) -> dict[str, Any] | None:
    history = report.backlog.get(key)
    if history is None:
        return None
    current = history[history["period_start"].eq(report.period.start)]
    if current.empty:
        return None
    chart_id = "backlog-chart"
    charts.append(backlog_chart(chart_id, history, report.grain))
    snapshot = current.iloc[0]
    total = int(snapshot["open_total"])
    buckets = [
        {
            "label": label,
            "column": column,
            "count": int(snapshot[column]),
            "share": int(snapshot[column]) / total,
        }
        for column, label in BACKLOG_BUCKETS
    ]
    return {
        "snapshot_date": snapshot["snapshot_date"],
        "total": total,
        "buckets": buckets,
        "chart_id": chart_id,
    }


def drivers_model(report: Report, charts: list[dict]) -> dict[str, Any] | None:
    if report.drivers.empty:
        return None
    chart_id = "drivers-chart"
    charts.append(drivers_chart(chart_id, report.drivers))
    return {
        "scope": report.drivers_scope,
        "rows": report.drivers.to_dict("records"),
        "chart_id": chart_id,
    }


def entity_page(report: Report, key: Key) -> dict[str, Any]:
    level = key[0]
    charts: list[dict] = []
    return {
        "entity": entity_link(report, *key),
        "ancestors": ancestors(report, key),
        "scopes": scope_models(report, report.rows[key], charts),
        "children": children_model(report, report.children.get(key)),
        "backlog": None if level == "agent" else backlog_model(report, key, charts),
        "drivers": drivers_model(report, charts) if level == "director" else None,
        "charts": charts,
    }


def list_page(report: Report, roots: list[Key]) -> dict[str, Any]:
    """The index when several entities head the report: their accountable KPIs, linked."""
    rows = pd.concat([report.rows[key] for key in roots])
    charts: list[dict] = []
    return {
        "entity": None,
        "ancestors": [],
        "scopes": [],
        "children": children_model(report, rows),
        "backlog": None,
        "drivers": drivers_model(report, charts),
        "charts": charts,
    }


# ---------------------------------------------------------------- writing


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(ASSETS),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = format_value
    env.filters["change"] = format_change
    env.filters["status_text"] = lambda status: str(status).replace("_", " ")
    env.filters["raw"] = lambda value: "" if is_missing(value) else repr(float(value))
    env.globals["targets"] = format_targets
    env.globals["missing"] = is_missing
    return env


def chart_json(charts: list[dict]) -> str:
    """Chart specs for a <script type="application/json"> element (no '</' can close it)."""
    return json.dumps(charts, allow_nan=False, separators=(",", ":")).replace("<", "\\u003c")


def write_page(env: jinja2.Environment, path: Path, report: Report, page: dict) -> None:
    html = env.get_template("page.html.j2").render(
        **page,
        grain=report.grain,
        period_label=report.label,
        period=report.period,
        source=report.source,
        charts_json=chart_json(page["charts"]),
    )
    path.write_text(html, encoding="utf-8")


def prepare_out(out: Path) -> None:
    """Create the folder, drop pages of an earlier render, write the shared assets once."""
    out.mkdir(parents=True, exist_ok=True)
    for pattern in PAGE_PATTERNS:
        for stale in out.glob(pattern):
            stale.unlink()
    bundle = out / "plotly.min.js"
    if not bundle.exists() or bundle.stat().st_size == 0:
        bundle.write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    for asset in ("scorecard.css", "scorecard.js"):
        shutil.copyfile(ASSETS / asset, out / asset)


def build_report(con: duckdb.DuckDBPyConnection, options: Options) -> tuple[Report, list[Key]]:
    periods = list_periods(con, options.schema, options.grain)
    period = choose_period(periods, options.period)
    history = [p for p in periods if p.start <= period.start][-HISTORY_PERIODS:]
    cascade = load_cascade(con, options.schema, options.grain, history)
    current = kpi_order(cascade[cascade["period_start"].eq(period.start)])
    entities = select_entities(current, options.level, options.entity)
    keys = [(level, entity) for level, entity in entities.itertuples(index=False)]
    kept = cascade.merge(entities, on=["level", "entity_id"], how="inner")
    backlog = backlog_by_entity(load_backlog(con, options.schema, history), cascade)
    drivers, drivers_scope = load_drivers(con, options.schema, options.grain, period)
    report = Report(
        grain=options.grain,
        period=period,
        rows=group_frames(current, ["level", "entity_id"]),
        children=group_frames(
            current.dropna(subset=["parent_entity_id"]), ["parent_level", "parent_entity_id"]
        ),
        names=current.drop_duplicates(["level", "entity_id"])
        .set_index(["level", "entity_id"])["entity_name"]
        .to_dict(),
        parents=main_parents(current),
        series=history_series(kept, options.grain),
        backlog=group_frames(backlog, ["level", "entity_id"]),
        drivers=drivers,
        drivers_scope=drivers_scope,
        rendered={page_name(*key) for key in keys},
        source=options.db.name,
    )
    return report, keys


def render(options: Options) -> list[Path]:
    """Render every page; returns the files written."""
    if not options.db.exists():
        raise SystemExit(f"No warehouse at {options.db}: run `make build` first or pass --db.")
    with duckdb.connect(str(options.db), read_only=True) as con:
        report, keys = build_report(con, options)
    prepare_out(options.out)
    env = environment()
    written = []
    for key in keys:
        path = options.out / page_name(*key)
        write_page(env, path, report, entity_page(report, key))
        written.append(path)
    roots = [key for key in keys if key[0] == options.level]
    index = entity_page(report, roots[0]) if len(roots) == 1 else list_page(report, roots)
    write_page(env, options.out / "index.html", report, index)
    return [options.out / "index.html", *written]


def parse_args(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="warehouse file (default: $SCORECARD_PUBLISH_DIR/scorecard.duckdb if it exists, "
        "else $SCORECARD_DB, else warehouse/scorecard.duckdb)",
    )
    parser.add_argument("--out", type=Path, default=Path("target/scorecard"), help="output folder")
    parser.add_argument("--schema", default="marts", help="schema of the marts")
    parser.add_argument("--level", choices=LEVELS, default="director", help="top of the report")
    parser.add_argument("--entity", help="id of the entity at --level (default: every one)")
    parser.add_argument("--grain", choices=GRAINS, default="month")
    parser.add_argument(
        "--period",
        type=date.fromisoformat,
        help="a day inside the period to show (default: the latest complete period)",
    )
    args = parser.parse_args(argv)
    return Options(
        db=args.db or default_db(),
        out=args.out,
        schema=args.schema,
        level=args.level,
        entity=args.entity,
        grain=args.grain,
        period=args.period,
    )


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    started = time.perf_counter()
    written = render(options)
    size = sum(path.stat().st_size for path in options.out.iterdir() if path.is_file())
    print(
        f"Scorecard: {len(written)} pages in {options.out}/ ({size / 1e6:.1f} MB with "
        f"plotly.min.js) in {time.perf_counter() - started:.1f} s; open "
        f"{(options.out / 'index.html').resolve()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
