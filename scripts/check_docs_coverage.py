"""List what the dbt docs site leaves undescribed.

Reads ``manifest.json`` and ``catalog.json`` of a ``dbt docs generate`` run and prints
one line per gap: a model, seed, snapshot, source, macro (generic tests included),
singular test, analysis or exposure of the project without a description, a documented or built
column without one, or a macro argument without one. Columns come from the manifest
(what the yml declares) and from the catalog (what the warehouse holds), so a column
added to a model but not to its yml is a gap too. Exits 1 when there is any gap.

Usage::

    .venv/bin/python scripts/check_docs_coverage.py target/
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

PROJECT = "cs_scorecard"
DESCRIBED_NODE_TYPES = ("model", "seed", "snapshot", "analysis")
CATALOG_NODE_TYPES = ("model", "seed", "snapshot")
MACRO_SIGNATURE = re.compile(r"{%-?\s*macro\s+\w+\s*\((.*?)\)\s*-?%}", re.DOTALL)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def macro_parameters(macro_sql: str) -> list[str]:
    """Parameter names of a macro's signature, defaults stripped."""
    match = MACRO_SIGNATURE.search(macro_sql)
    if match is None:
        return []
    # Defaults in this project are plain literals (no commas inside), so a split suffices.
    parameters = [part.split("=")[0].strip() for part in match.group(1).split(",")]
    return [name for name in parameters if name]


def _column_gaps(
    unique_id: str,
    documented: dict[str, Any],
    built: dict[str, Any] | None,
) -> list[str]:
    gaps = [
        f"{unique_id}: column {name} has no description"
        for name, column in documented.items()
        if _blank(column.get("description"))
    ]
    if built is not None:
        declared = {name.lower() for name in documented}
        gaps += [
            f"{unique_id}: column {name} is built but not documented"
            for name in built
            if name.lower() not in declared
        ]
    return gaps


def find_gaps(manifest: dict[str, Any], catalog: dict[str, Any] | None) -> list[str]:
    """Every undescribed resource, column and macro argument of the project."""
    catalog_nodes = (catalog or {}).get("nodes", {})
    catalog_sources = (catalog or {}).get("sources", {})
    gaps: list[str] = []

    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["package_name"] != PROJECT:
            continue
        # A singular test (no test_metadata) is a resource of its own; generic test
        # instances are described by their test macro.
        if node["resource_type"] == "test" and not node.get("test_metadata"):
            if _blank(node.get("description")):
                gaps.append(f"{unique_id}: no description")
            continue
        if node["resource_type"] not in DESCRIBED_NODE_TYPES:
            continue
        if _blank(node.get("description")):
            gaps.append(f"{unique_id}: no description")
        built = None
        if catalog is not None and node["resource_type"] in CATALOG_NODE_TYPES:
            if unique_id not in catalog_nodes:
                gaps.append(f"{unique_id}: not in the catalog (not built?)")
            else:
                built = catalog_nodes[unique_id]["columns"]
        gaps += _column_gaps(unique_id, node.get("columns", {}), built)

    source_names: set[str] = set()
    for unique_id, source in sorted(manifest["sources"].items()):
        if source["package_name"] != PROJECT:
            continue
        source_names.add(source["source_name"])
        if _blank(source.get("source_description")):
            gaps.append(f"source {source['source_name']}: no description")
        if _blank(source.get("description")):
            gaps.append(f"{unique_id}: no description")
        built = catalog_sources.get(unique_id, {}).get("columns") if catalog else None
        gaps += _column_gaps(unique_id, source.get("columns", {}), built)

    for unique_id, macro in sorted(manifest["macros"].items()):
        if macro["package_name"] != PROJECT:
            continue
        if _blank(macro.get("description")):
            gaps.append(f"{unique_id}: no description")
        arguments = macro.get("arguments", [])
        gaps += [
            f"{unique_id}: argument {argument['name']} has no description"
            for argument in arguments
            if _blank(argument.get("description"))
        ]
        declared = {argument["name"] for argument in arguments}
        # Generic tests receive `model` (and `column_name`) from dbt; they are arguments too.
        gaps += [
            f"{unique_id}: argument {name} is not documented"
            for name in macro_parameters(macro.get("macro_sql", ""))
            if name not in declared
        ]

    for unique_id, exposure in sorted(manifest.get("exposures", {}).items()):
        if exposure["package_name"] == PROJECT and _blank(exposure.get("description")):
            gaps.append(f"{unique_id}: no description")

    # A source described once but listed twice would show as two gap lines; one is enough.
    return sorted(set(gaps))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="dbt target folder with manifest.json")
    parser.add_argument(
        "--no-catalog",
        action="store_true",
        help="check the manifest only (after dbt parse, before anything is built)",
    )
    args = parser.parse_args(argv)
    manifest = json.loads((args.target / "manifest.json").read_text(encoding="utf-8"))
    catalog = None
    if not args.no_catalog:
        catalog = json.loads((args.target / "catalog.json").read_text(encoding="utf-8"))
    gaps = find_gaps(manifest, catalog)
    for gap in gaps:
        print(gap)
    print(f"{len(gaps)} undescribed item(s)", file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
