"""The dbt docs site of the demo build: every resource described, one KPI doc block per
catalog row that agrees with the seeds, the exposures, and what a reader sees in the
single-file static site opened in Chromium."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, Build, run_dbt_beside
from playwright.sync_api import Browser, Page
from script_loading import load_script

SEEDS = PROJECT_ROOT / "seeds"
PROJECT = "cs_scorecard"
PERSPECTIVE_MARTS = (
    "fct_customer_kpis",
    "fct_operational_kpis",
    "fct_financial_kpis",
    "fct_people_kpis",
)
# The marts the HTML report reads, taken from the renderer's own SQL so the exposure
# cannot drift from what the report really queries.
REPORT_MARTS = set(
    re.findall(r"\{schema\}\.(\w+)", (PROJECT_ROOT / "scripts" / "render_scorecard.py").read_text())
)
KPI_FIELDS = (
    "Definition",
    "Numerator",
    "Denominator",
    "Multiplier",
    "Period membership",
    "Attribution",
    "Direction",
    "Unit",
    "Grains",
    "Levels",
    "Accountable levels",
    "Targets",
)
DIRECTION_WORDING = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neutral": "neutral",
}
BAND_SIGN = {"higher_is_better": "≥", "lower_is_better": "≤"}
# The 6 MB page is parsed by Chromium on a shared 2-core machine: give it time.
PAGE_TIMEOUT_MS = 120_000


checker = load_script(PROJECT_ROOT / "scripts" / "check_docs_coverage.py")


@pytest.fixture(scope="module")
def docs_target(demo_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt docs generate --static` on the demo build.

    Written to its own target folder, seeded with the build's partial-parse state: the
    build's folder holds the build's run_results.json, which other tests read and which
    docs generate would overwrite."""
    return run_dbt_beside(
        demo_build, ["docs", "generate", "--static"], tmp_path_factory.mktemp("docs_site")
    )


@pytest.fixture(scope="module")
def manifest(docs_target: Path) -> dict[str, Any]:
    return json.loads((docs_target / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog(docs_target: Path) -> dict[str, Any]:
    return json.loads((docs_target / "catalog.json").read_text(encoding="utf-8"))


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def project_models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }


def kpi_block(manifest: dict[str, Any], kpi_id: str) -> str:
    block = manifest["docs"].get(f"doc.{PROJECT}.kpi_{kpi_id}")
    assert block is not None, f"no doc block kpi_{kpi_id}"
    return block["block_contents"].strip()


def field(block: str, name: str) -> str:
    """The text of one `**Name**: ...` line (or paragraph, for Definition) of a KPI block."""
    match = re.search(rf"\*\*{re.escape(name)}\*\*[^:\n]*:\s*(.+)", block)
    assert match is not None, f"no **{name}** in block:\n{block[:300]}"
    return match.group(1).strip()


def parse_targets(line: str) -> dict[str, tuple[str, float, str, float]]:
    """level -> (green sign, green threshold, amber sign, amber threshold) of a Targets line."""
    if line.startswith("none"):
        return {}
    bands = re.findall(
        r"(?:`([*a-z]+)`[^;]*?)?green ([≥≤]) (-?[\d.]+)[;,] amber ([≥≤]) (-?[\d.]+)", line
    )
    assert bands, line
    return {
        level or "*": (green_sign, float(green), amber_sign, float(amber))
        for level, green_sign, green, amber_sign, amber in bands
    }


def plain(markdown: str) -> str:
    """Markdown as a reader sees it rendered: no emphasis or code marks, one space."""
    return " ".join(markdown.replace("**", "").replace("`", "").split())


# --------------------------------------------------------------------------------------
# Completeness
# --------------------------------------------------------------------------------------


def test_checker_reports_every_kind_of_gap() -> None:
    manifest = {
        "nodes": {
            "model.cs_scorecard.m": {
                "package_name": PROJECT,
                "resource_type": "model",
                "description": "",
                "columns": {"a": {"description": "an a"}, "b": {"description": " "}},
            },
            "test.cs_scorecard.assert_x": {
                "package_name": PROJECT,
                "resource_type": "test",
                "description": "",
            },
            "analysis.cs_scorecard.an": {
                "package_name": PROJECT,
                "resource_type": "analysis",
                "description": "an analysis",
                "columns": {},
            },
        },
        "sources": {
            "source.cs_scorecard.crm.accounts": {
                "package_name": PROJECT,
                "source_name": "crm",
                "source_description": "",
                "description": "accounts",
                "columns": {},
            }
        },
        "macros": {
            "macro.cs_scorecard.mac": {
                "package_name": PROJECT,
                "description": "a macro",
                "arguments": [{"name": "x", "description": ""}],
                "macro_sql": "{% macro mac(x, y='a') -%} {{ x }} {%- endmacro %}",
            },
            "macro.dbt.other": {"package_name": "dbt", "description": "", "arguments": []},
        },
        "exposures": {},
    }
    catalog = {"nodes": {"model.cs_scorecard.m": {"columns": {"A": {}, "b": {}, "c": {}}}}}
    assert checker.find_gaps(manifest, catalog) == sorted(
        [
            "model.cs_scorecard.m: no description",
            "model.cs_scorecard.m: column b has no description",
            "model.cs_scorecard.m: column c is built but not documented",
            "test.cs_scorecard.assert_x: no description",
            "source crm: no description",
            "macro.cs_scorecard.mac: argument x has no description",
            "macro.cs_scorecard.mac: argument y is not documented",
        ]
    )


def test_every_resource_of_the_project_is_described(
    manifest: dict[str, Any], catalog: dict[str, Any]
) -> None:
    assert checker.find_gaps(manifest, catalog) == []
    kinds = defaultdict(int)
    for node in manifest["nodes"].values():
        if node["package_name"] == PROJECT:
            kinds[node["resource_type"]] += 1
    project_macros = [m for m in manifest["macros"].values() if m["package_name"] == PROJECT]
    # The check ran over something: every kind of resource the site documents is there.
    assert kinds["model"] >= 60 and kinds["seed"] == 6 and kinds["analysis"] >= 4, kinds
    assert len(manifest["sources"]) >= 11 and len(project_macros) >= 60
    assert any(m["name"].startswith("test_") for m in project_macros)


def test_every_model_and_seed_column_in_the_warehouse_is_documented(
    manifest: dict[str, Any], catalog: dict[str, Any]
) -> None:
    for unique_id, node in manifest["nodes"].items():
        if node["package_name"] != PROJECT or node["resource_type"] not in ("model", "seed"):
            continue
        built = {name.lower() for name in catalog["nodes"][unique_id]["columns"]}
        documented = {name.lower() for name in node["columns"]}
        assert built == documented, unique_id


# --------------------------------------------------------------------------------------
# KPI doc blocks
# --------------------------------------------------------------------------------------


def test_kpi_blocks_agree_with_the_seeds(manifest: dict[str, Any]) -> None:
    catalog_rows = read_seed("kpi_catalog")
    targets: dict[str, dict[str, tuple[float, float]]] = defaultdict(dict)
    for row in read_seed("kpi_targets"):
        targets[row["kpi_id"]][row["level"]] = (
            float(row["green_threshold"]),
            float(row["amber_threshold"]),
        )
    accountable: dict[str, set[str]] = defaultdict(set)
    for row in read_seed("kpi_accountability"):
        accountable[row["kpi_id"]].add(row["level"])
    kpi_blocks = {
        name.removeprefix(f"doc.{PROJECT}.kpi_")
        for name in manifest["docs"]
        if name.startswith(f"doc.{PROJECT}.kpi_")
    }
    assert kpi_blocks == {row["kpi_id"] for row in catalog_rows}

    for row in catalog_rows:
        kpi_id = row["kpi_id"]
        block = kpi_block(manifest, kpi_id)
        for name in KPI_FIELDS:
            assert len(field(block, name)) > 3, (kpi_id, name)
        one_line = " ".join(block.split())
        assert f"(`{kpi_id}`, {row['perspective']} perspective)" in one_line, kpi_id
        assert block.startswith(f"**{row['kpi_name']}**"), kpi_id
        assert field(block, "Direction").startswith(DIRECTION_WORDING[row["direction"]]), kpi_id
        assert field(block, "Unit").startswith(f"`{row['unit']}`"), kpi_id
        assert float(field(block, "Multiplier").split()[0]) == float(row["multiplier"]), kpi_id
        assert field(block, "Grains").rstrip(".") == ", ".join(row["grains"].split("|")), kpi_id
        assert field(block, "Levels").rstrip(".") == ", ".join(row["levels"].split("|")), kpi_id

        owners = field(block, "Accountable levels")
        if accountable[kpi_id]:
            listed = owners.rstrip(".").split(", ")
            assert set(listed) == accountable[kpi_id], kpi_id
        else:
            assert owners.startswith("none"), kpi_id

        bands = parse_targets(field(block, "Targets"))
        assert {level: (green, amber) for level, (_, green, _, amber) in bands.items()} == (
            targets.get(kpi_id, {})
        ), kpi_id
        if row["direction"] == "neutral":
            assert bands == {}, kpi_id
        for green_sign, _, amber_sign, _ in bands.values():
            assert green_sign == amber_sign == BAND_SIGN[row["direction"]], kpi_id


def test_kpi_blocks_are_shown_on_the_marts_and_dim_kpis(manifest: dict[str, Any]) -> None:
    models = project_models(manifest)
    dim_kpis = models["dim_kpis"]["description"]
    for row in read_seed("kpi_catalog"):
        block = kpi_block(manifest, row["kpi_id"])
        mart = models[f"fct_{row['perspective']}_kpis"]
        assert mart["columns"][row["kpi_id"]]["description"].strip() == block, row["kpi_id"]
        assert block in dim_kpis, row["kpi_id"]


# --------------------------------------------------------------------------------------
# Exposures
# --------------------------------------------------------------------------------------


def test_exposures_name_the_marts_they_read(manifest: dict[str, Any]) -> None:
    exposures = {exposure["name"]: exposure for exposure in manifest["exposures"].values()}
    assert set(exposures) == {"scorecard_report", "bi_published_marts"}
    public_marts = {
        name
        for name, node in project_models(manifest).items()
        if node["fqn"][1] == "marts" and node["config"]["contract"]["enforced"]
    }
    assert public_marts >= REPORT_MARTS
    expected = {"scorecard_report": REPORT_MARTS, "bi_published_marts": public_marts}
    for name, exposure in exposures.items():
        depends_on = {node_id.split(".")[-1] for node_id in exposure["depends_on"]["nodes"]}
        assert depends_on == expected[name], name
        assert exposure["owner"]["email"] and exposure["owner"]["name"], name
        assert len(exposure["description"]) > 200, name
    assert exposures["scorecard_report"]["type"] == "dashboard"
    assert "target/scorecard/index.html" in exposures["scorecard_report"]["description"]
    for published in (
        "warehouse/published/scorecard.duckdb",
        "warehouse/published/parquet/current/",
    ):
        assert published in exposures["bi_published_marts"]["description"]


# --------------------------------------------------------------------------------------
# What a reader sees
# --------------------------------------------------------------------------------------


def open_node(page: Page, site: Path, unique_id: str, name: str) -> str:
    resource_type = unique_id.split(".")[0]
    page.goto(f"{site.as_uri()}#!/{resource_type}/{unique_id}")
    page.get_by_role("heading", name=name).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    return " ".join(page.inner_text("body").split())


def section(text: str, start: str, end: str) -> str:
    begin = text.index(start, text.index("Columns COLUMN"))
    return text[begin : text.index(end, begin + len(start))]


def test_static_site_size(docs_target: Path, record_property: Any) -> None:
    site = docs_target / "static_index.html"
    size = site.stat().st_size
    record_property("static_index_bytes", size)
    print(f"static docs site: {site.name} {size} bytes ({size / 1_000_000:.1f} MB)")
    # One self-contained file: the manifest and the catalog are inlined.
    text = site.read_text(encoding="utf-8")
    for unique_id in (
        "model.cs_scorecard.fct_kpi_cascade",
        "analysis.cs_scorecard.kpi_conflicts_aht_vs_quality",
        "exposure.cs_scorecard.scorecard_report",
        "doc.cs_scorecard.kpi_csat",
    ):
        assert unique_id in text, unique_id


def test_reader_sees_the_cascade_with_columns_lineage_and_neighbours(
    docs_target: Path, manifest: dict[str, Any], browser: Browser
) -> None:
    site = docs_target / "static_index.html"
    cascade = project_models(manifest)["fct_kpi_cascade"]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        text = open_node(page, site, cascade["unique_id"], "fct_kpi_cascade")
        assert "The scorecard: every KPI at every level of the cascade." in text
        for name, column in cascade["columns"].items():
            # The columns table shows each description as written, on one line.
            assert f" {name} " in text, name
            assert " ".join(column["description"].split())[:80] in text, name
        # Models are the tab shown first; seeds and macros sit behind their own tabs.
        depends_on = section(text, "Depends On", "Code")
        for parent in cascade["depends_on"]["nodes"]:
            if parent.startswith("model."):
                assert parent.split(".")[-1] in depends_on, parent
        referenced_by = section(text, "Referenced By", "Depends On")
        for child in ("fct_customer_kpis", "fct_operational_kpis", "fct_people_kpis"):
            assert child in referenced_by, child

        # The lineage graph is drawn on a canvas; its nodes are the graph's elements.
        page.locator("a[title='View Lineage Graph']").click()
        page.locator(".launcher.on #cy canvas").first.wait_for(timeout=PAGE_TIMEOUT_MS)
        labels = page.evaluate(
            "() => window.angular.element(document.querySelector('#cy')).scope()"
            ".graph.elements.map(element => element.data.label).filter(Boolean)"
        )
        for expected in (
            "fct_kpi_cascade",
            "int_kpi_values_scored",
            "fct_customer_kpis",
            "Balanced scorecard report (static HTML)",
            "Published marts for BI tools",
        ):
            assert expected in labels, (expected, labels)
    finally:
        page.close()


def test_reader_sees_the_kpi_definitions(
    docs_target: Path, manifest: dict[str, Any], browser: Browser
) -> None:
    site = docs_target / "static_index.html"
    models = project_models(manifest)
    catalog_rows = read_seed("kpi_catalog")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        text = open_node(page, site, models["dim_kpis"]["unique_id"], "dim_kpis")
        for row in catalog_rows:
            block = kpi_block(manifest, row["kpi_id"])
            definition = block.split("**Definition**:", 1)[1].split("\n\n", 1)[0]
            targets = "**Targets**" + block.split("**Targets**", 1)[1].split("\n", 1)[0]
            assert plain(definition) in text, row["kpi_id"]
            assert plain(targets) in text, row["kpi_id"]

        # On a perspective mart, a KPI column opens onto its rendered definition.
        text = open_node(page, site, models["fct_customer_kpis"]["unique_id"], "fct_customer_kpis")
        for row in catalog_rows:
            if row["perspective"] == "customer":
                assert f" {row['kpi_id']} " in text and f" {row['kpi_id']}_status " in text
        page.locator("tr").filter(has=page.locator("td:first-child", has_text="csat")).first.click()
        csat = kpi_block(manifest, "csat")
        rendered = page.get_by_text(plain(csat.split("\n\n", 1)[0]))
        rendered.first.wait_for(timeout=PAGE_TIMEOUT_MS)
        text = " ".join(page.inner_text("body").split())
        assert plain(field(csat, "Attribution")) in text
    finally:
        page.close()


def test_reader_sees_the_overview(docs_target: Path, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(f"{(docs_target / 'static_index.html').as_uri()}#!/overview")
        page.get_by_role("heading", name="The customer service balanced scorecard").wait_for(
            timeout=PAGE_TIMEOUT_MS
        )
        text = " ".join(page.inner_text("body").split())
        for heading in (
            'Why "balanced"',
            "The cascade",
            "How to read a row of fct_kpi_cascade",
            "Bring your own exports",
        ):
            assert heading in text, heading
        for perspective in ("customer", "operational", "financial", "people"):
            assert perspective in text
    finally:
        page.close()
