"""PostgreSQL refuses relation names over 63 bytes, and dbt names the relation of a
unit test after the test. A long name only fails in the 18-minute cross-engine test;
this check reads the project's files and fails in well under a second."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POSTGRES_MAX_IDENTIFIER_BYTES = 63


def unit_test_names() -> Iterator[tuple[str, Path]]:
    for properties_file in sorted((PROJECT_ROOT / "models").rglob("*.yml")):
        properties = yaml.safe_load(properties_file.read_text()) or {}
        for unit_test in properties.get("unit_tests") or []:
            yield unit_test["name"], properties_file


def node_names() -> Iterator[tuple[str, Path]]:
    for folder, suffix in (("models", ".sql"), ("seeds", ".csv"), ("snapshots", ".sql")):
        for node_file in sorted((PROJECT_ROOT / folder).rglob(f"*{suffix}")):
            yield node_file.stem, node_file


def too_long(names: Iterator[tuple[str, Path]]) -> list[str]:
    return [
        f"{name} ({len(name.encode())} bytes, {path.relative_to(PROJECT_ROOT)})"
        for name, path in names
        if len(name.encode()) > POSTGRES_MAX_IDENTIFIER_BYTES
    ]


def test_unit_tests_are_found() -> None:
    # Guards the check itself: a change in the yml layout must not make it pass vacuously.
    assert sum(1 for _ in unit_test_names()) >= 20


def test_unit_test_names_fit_a_postgres_identifier() -> None:
    assert too_long(unit_test_names()) == []


def test_model_seed_and_snapshot_names_fit_a_postgres_identifier() -> None:
    assert too_long(node_names()) == []


def test_the_check_catches_a_long_name() -> None:
    long_name = "x" * (POSTGRES_MAX_IDENTIFIER_BYTES + 1)
    assert too_long(iter([(long_name, PROJECT_ROOT / "models" / "x.yml")])) != []
    assert too_long(iter([(long_name[:-1], PROJECT_ROOT / "models" / "x.yml")])) == []
