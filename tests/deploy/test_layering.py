"""Data flows one way: the brain never imports the data platform or opens DuckDB, and the shared
vocabulary depends on neither half."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "brain_service": {"dagster", "dagster_duckdb", "duckdb", "pipelines", "assets"},
    "vocabulary": {
        "dagster",
        "dagster_duckdb",
        "duckdb",
        "pipelines",
        "assets",
        "brain_service",
        "fastapi",
        "contracts",
    },
    # the simulated Retell meets the brain only over the wire, as Retell does
    "simulator": {"dagster", "dagster_duckdb", "duckdb", "pipelines", "assets", "brain_service"},
    "contracts": {
        "dagster",
        "dagster_duckdb",
        "duckdb",
        "pipelines",
        "assets",
        "brain_service",
        "fastapi",
        "vocabulary",
    },
}


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_packages_import_only_what_their_room_allows():
    offenders = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            bad = _imported_top_levels(path) & forbidden
            if bad:
                offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert offenders == []
