"""The static HTML scorecard: rendered from the demo warehouse, read back in Chromium and
checked against the marts, which the tests query on their own."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import plotly.graph_objects as go
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_ROOT, Build, query
from playwright.sync_api import Browser, Page, Route

RENDER = PROJECT_ROOT / "scripts" / "render_scorecard.py"
SCREENSHOT = PROJECT_ROOT / "scripts" / "screenshot_scorecard.py"
PERSPECTIVES = ("customer", "operational", "financial", "people")

# The display rules of the report, written out again so that a change of either side shows:
# (multiplier, decimals, suffix of a value, suffix of a change).
DISPLAY = {
    "ratio": (100.0, 1, "%", " pp"),
    "score": (1.0, 2, "", ""),
    "minutes": (1.0, 1, " min", " min"),
    "hours": (1.0, 1, " h", " h"),
    "count": (1.0, 0, "", ""),
    "currency": (1.0, 2, "", ""),
    "days": (1.0, 1, " d", " d"),
    "per_hour": (1.0, 2, " /h", " /h"),
}
DASH = "–"

# Read every KPI row of a page in one go.
READ_KPI_ROWS = """() => Array.from(document.querySelectorAll('tr[data-kpi]')).map(row => ({
    kpi: row.dataset.kpi,
    status: row.dataset.status,
    perspective: row.closest('[data-perspective]').dataset.perspective,
    parent: row.closest('.scope').dataset.parent || null,
    status_text: row.querySelector('.rag').textContent.trim(),
    value_text: row.querySelector('td.value').firstChild.textContent.trim(),
    raw_value: row.querySelector('td.value').dataset.value,
    prior_text: row.querySelector('td.prior').textContent.trim(),
    change_text: row.querySelector('td.change').textContent.trim(),
    baseline_text: row.querySelector('td.baseline').textContent.trim(),
    targets_text: row.querySelector('td.targets').innerText.trim(),
}))"""


def shown(value: float | None, unit: str) -> str:
    if value is None:
        return DASH
    scale, decimals, suffix, _ = DISPLAY[unit]
    return f"{value * scale:,.{decimals}f}{suffix}"


def shown_change(change: float | None, unit: str) -> str:
    if change is None:
        return DASH
    scale, decimals, _, suffix = DISPLAY[unit]
    scaled = round(change * scale, decimals)
    if scaled == 0:
        return f"→ {0:.{decimals}f}{suffix}"
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow} {scaled:+,.{decimals}f}{suffix}"


def page_name(level: str, entity_id: str) -> str:
    return f"{level}-{entity_id}.html"


def render(warehouse: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, str(RENDER), "--db", str(warehouse), "--out", str(out), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed


@pytest.fixture(scope="module")
def site(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default report: director, month grain, latest complete month."""
    out = tmp_path_factory.mktemp("scorecard") / "site"
    render(demo_build.warehouse, out)
    return out


@pytest.fixture(scope="module")
def month(demo_build: Build) -> str:
    rows = query(
        demo_build.warehouse,
        """select max(period_start)::varchar from marts.fct_kpi_cascade
        where period_grain = 'month' and is_complete_period""",
    )
    return rows[0][0]


@pytest.fixture(scope="module")
def director(demo_build: Build, month: str) -> str:
    rows = query(
        demo_build.warehouse,
        f"""select distinct entity_id from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}' and level = 'director'""",
    )
    assert len(rows) == 1, rows
    return rows[0][0]


def cascade_rows(
    warehouse: Path, month: str, level: str, entity_id: str, parent_id: str | None = None
) -> dict[str, dict]:
    parent = "" if parent_id is None else f"and parent_entity_id = '{parent_id}'"
    columns = (
        "kpi_id, perspective, unit, value, rag_status, prior_value, change, baseline_value, "
        "target_green, target_amber, direction, parent_entity_id"
    )
    rows = query(
        warehouse,
        f"""select {columns} from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}'
            and level = '{level}' and entity_id = '{entity_id}' {parent}""",
    )
    names = [name.strip() for name in columns.split(",")]
    return {row[0]: dict(zip(names, row, strict=True)) for row in rows}


def open_page(browser: Browser, path: Path) -> tuple[Page, list[str]]:
    """Open a page with every request recorded and any non-file request aborted."""
    page = browser.new_page(viewport={"width": 1800, "height": 1150})
    requested: list[str] = []

    def guard(route: Route) -> None:
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-charts-ready]", timeout=60_000)
    return page, requested


@pytest.fixture(scope="module")
def index_page(browser: Browser, site: Path) -> Iterator[tuple[Page, list[str]]]:
    """The index, opened once (Chromium parses the 4.8 MB Plotly bundle on every load)."""
    page, requested = open_page(browser, site / "index.html")
    yield page, requested
    page.close()


def assert_kpis_match(page: Page, expected: dict[str, dict]) -> None:
    shown_rows = page.evaluate(READ_KPI_ROWS)
    assert sorted(row["kpi"] for row in shown_rows) == sorted(expected)
    for row in shown_rows:
        mart = expected[row["kpi"]]
        unit = mart["unit"]
        assert row["perspective"] == mart["perspective"], row
        assert row["status"] == mart["rag_status"], row
        assert row["status_text"] == mart["rag_status"].replace("_", " "), row
        assert row["value_text"] == shown(mart["value"], unit), row
        if mart["value"] is None:
            assert row["raw_value"] == ""
        else:
            assert float(row["raw_value"]) == pytest.approx(mart["value"], rel=1e-12), row
        assert row["prior_text"] == shown(mart["prior_value"], unit), row
        assert row["baseline_text"] == shown(mart["baseline_value"], unit), row
        assert row["change_text"] == shown_change(mart["change"], unit), row
        if mart["target_green"] is None:
            assert row["targets_text"] == "no target", row
        else:
            assert shown(mart["target_green"], unit) in row["targets_text"], row
            assert shown(mart["target_amber"], unit) in row["targets_text"], row


def test_director_page_shows_the_marts(
    index_page: tuple[Page, list[str]], site: Path, demo_build: Build, month: str, director: str
) -> None:
    page, _ = index_page
    assert page.get_attribute("body", "data-entity") == director
    assert page.get_attribute("body", "data-period-start") == month
    expected = cascade_rows(demo_build.warehouse, month, "director", director)
    assert {row["perspective"] for row in expected.values()} == set(PERSPECTIVES)
    assert_kpis_match(page, expected)
    # The director's own page holds the same figures as the index.
    assert (site / page_name("director", director)).read_text() == (site / "index.html").read_text()


def test_drill_down_from_director_to_team_and_agent(
    browser: Browser, site: Path, demo_build: Build, month: str, director: str
) -> None:
    warehouse = demo_build.warehouse
    team, manager, team_name = query(
        warehouse,
        f"""select entity_id, parent_entity_id, entity_name from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}' and level = 'team'
            and entity_id <> 'unassigned'
        order by entity_id limit 1""",
    )[0]
    managers = query(
        warehouse,
        f"""select distinct entity_id from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}' and level = 'manager'
            and parent_entity_id = '{director}'""",
    )
    page, requested = open_page(browser, site / "index.html")
    listed = page.eval_on_selector_all(
        "#drill-down tbody tr", "rows => rows.map(row => row.dataset.entity)"
    )
    assert sorted(listed) == sorted(row[0] for row in managers)

    page.click(f'#drill-down a[data-entity="{manager}"]')
    page.wait_for_selector("body[data-charts-ready]")
    assert page.url.endswith(page_name("manager", manager))
    assert_kpis_match(page, cascade_rows(warehouse, month, "manager", manager, director))

    page.click(f'#drill-down a[data-entity="{team}"]')
    page.wait_for_selector("body[data-charts-ready]")
    assert page.url.endswith(page_name("team", team))
    assert page.text_content("h1").startswith(team_name)
    assert_kpis_match(page, cascade_rows(warehouse, month, "team", team, manager))
    crumbs = page.eval_on_selector_all(
        ".crumbs a[data-entity]", "links => links.map(link => link.dataset.entity)"
    )
    assert crumbs == [director, manager]

    # The team's backlog-age buckets at the month's last day, and their total = backlog_open.
    snapshot = page.eval_on_selector_all(
        "#backlog tr[data-bucket]",
        "rows => rows.map(row => [row.dataset.bucket, row.querySelector('td').textContent])",
    )
    buckets = query(
        warehouse,
        f"""select open_0_24h, open_24_48h, open_48_72h, open_72h_plus, open_total
        from marts.fct_backlog_age
        where team_id = '{team}' and snapshot_date = last_day(date '{month}')""",
    )[0]
    names = ["open_0_24h", "open_24_48h", "open_48_72h", "open_72h_plus", "open_total"]
    assert snapshot == [[name, f"{count:,}"] for name, count in zip(names, buckets, strict=True)]
    backlog_open = cascade_rows(warehouse, month, "team", team, manager)["backlog_open"]["value"]
    assert buckets[-1] == backlog_open

    agent, agent_name = query(
        warehouse,
        f"""select entity_id, entity_name from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}' and level = 'agent'
            and parent_entity_id = '{team}'
        order by entity_id limit 1""",
    )[0]
    page.click(f'#drill-down a[data-entity="{agent}"]')
    page.wait_for_selector("body[data-charts-ready]")
    assert page.url.endswith(page_name("agent", agent))
    assert page.text_content("h1").startswith(agent_name)
    assert_kpis_match(page, cascade_rows(warehouse, month, "agent", agent, team))
    page.close()
    assert all(url.startswith("file://") for url in requested), requested


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)


def test_every_link_resolves_to_a_local_file(site: Path, demo_build: Build, month: str) -> None:
    pages = sorted(site.glob("*.html"))
    entities = query(
        demo_build.warehouse,
        f"""select count(distinct (level, entity_id)) from marts.fct_kpi_cascade
        where period_grain = 'month' and period_start = '{month}'""",
    )[0][0]
    assert len(pages) == entities + 1  # one page per entity, and the index
    for path in pages:
        html = path.read_text()
        assert "http://" not in html and "https://" not in html, path.name
        collector = LinkCollector()
        collector.feed(html)
        assert "plotly.min.js" in collector.links, path.name
        for link in collector.links:
            assert not urlparse(link).scheme, (path.name, link)
            assert (site / link).is_file(), (path.name, link)


def test_no_request_leaves_the_machine(index_page: tuple[Page, list[str]]) -> None:
    page, requested = index_page
    assert all(url.startswith("file://") for url in requested), requested
    assert any(url.endswith("/plotly.min.js") for url in requested)
    # Every chart was drawn, so the local Plotly bundle did load.
    drawn = int(page.get_attribute("body", "data-charts-ready") or 0)
    assert drawn == page.locator(".sparkline, .chart").count() > 20
    assert page.locator(".sparkline.js-plotly-plot").count() == page.locator(".sparkline").count()


def test_charts_are_valid_plotly_and_end_at_the_shown_value(site: Path) -> None:
    html = (site / "index.html").read_text()
    specs = json.loads(
        re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)[1]
    )
    rows = re.findall(
        r'<tr data-kpi="([^"]+)" data-unit="(\w+)".*?data-value="([^"]*)".*?id="(spark-\d+)"',
        html,
        re.S,
    )
    by_id = {spec["id"]: spec for spec in specs}
    assert len(rows) > 20
    for kpi, unit, raw_value, chart_id in rows:
        spec = by_id[chart_id]
        go.Figure(data=spec["data"], layout=spec["layout"])  # raises on an invalid property
        trace = spec["data"][0]
        assert 1 <= len(trace["x"]) <= 12 and len(trace["x"]) == len(trace["y"])
        last = trace["y"][-1]
        if raw_value:
            scale = DISPLAY[unit][0]
            assert last == pytest.approx(float(raw_value) * scale, rel=1e-9), kpi
        else:
            assert last is None, kpi
    for chart_id in ("backlog-chart", "drivers-chart"):
        go.Figure(data=by_id[chart_id]["data"], layout=by_id[chart_id]["layout"])


def test_contact_drivers_match_the_mart(
    index_page: tuple[Page, list[str]], demo_build: Build, month: str
) -> None:
    expected = query(
        demo_build.warehouse,
        f"""select driver, ticket_volume, dsat_responses, dsat_rate, escalation_rate
        from marts.fct_contact_drivers
        where period_grain = 'month' and period_start = '{month}'
        order by dsat_responses desc, escalated_tickets desc, ticket_volume desc, driver""",
    )
    page, _ = index_page
    shown_rows = page.eval_on_selector_all(
        "#contact-drivers tbody tr",
        """rows => rows.map(row => [
            row.dataset.driver,
            row.querySelector('[data-column=dsat_rate]').textContent,
            row.querySelector('[data-column=escalation_rate]').textContent])""",
    )
    assert shown_rows == [
        [driver, shown(dsat, "ratio"), shown(escalation, "ratio")]
        for driver, _, _, dsat, escalation in expected
    ]


def test_no_personal_data_in_the_pages(site: Path, demo_build: Build) -> None:
    emails = set(
        pq.read_table(demo_build.raw_dir / "agents.parquet", columns=["email"])[0].to_pylist()
    )
    emails |= set(
        pq.read_table(demo_build.raw_dir / "tickets.parquet", columns=["requester_email"])[
            0
        ].to_pylist()
    )
    emails.discard(None)
    assert emails
    for path in site.glob("*.html"):
        html = path.read_text()
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.-]+", html), path.name
        assert not any(email in html for email in emails), path.name


def test_a_team_at_week_grain(demo_build: Build, tmp_path: Path) -> None:
    team, week = query(
        demo_build.warehouse,
        """select entity_id, max(period_start)::varchar from marts.fct_kpi_cascade
        where period_grain = 'week' and level = 'team' and is_complete_period
            and entity_id <> 'unassigned'
        group by entity_id order by entity_id limit 1""",
    )[0]
    agents = query(
        demo_build.warehouse,
        f"""select distinct entity_id from marts.fct_kpi_cascade
        where period_grain = 'week' and period_start = '{week}' and level = 'agent'
            and parent_entity_id = '{team}'""",
    )
    out = tmp_path / "team"
    render(
        demo_build.warehouse,
        out,
        "--level",
        "team",
        "--entity",
        team,
        "--grain",
        "week",
        "--period",
        week,
    )
    pages = sorted(path.name for path in out.glob("*.html"))
    assert pages == sorted(
        ["index.html", page_name("team", team), *(page_name("agent", a) for (a,) in agents)]
    )
    index = (out / "index.html").read_text()
    assert f'data-entity="{team}"' in index and f'data-period-start="{week}"' in index
    assert 'data-grain="week"' in index


def test_screenshot(index_page: tuple[Page, list[str]], tmp_path: Path) -> None:
    page, _ = index_page
    path = tmp_path / "scorecard.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 50_000
