"""Fixtures for the lead-factory tests: a per-test DATA_DIR and warehouse, and a runner that really
materializes the `leads` assets (dg.materialize) against them.

`lead_env` asks for `warehouse_backend`, so every test using it runs on the embedded file and on
DuckLake; `query` reads through `open_warehouse` and so holds on both. Tests about parsing files
(encodings, cell shapes) rather than the warehouse are marked `embedded_only`: their DuckLake twin
is deselected, to keep the suite's time for the warehouse-facing ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.leads import lead_environment


def pytest_collection_modifyitems(config, items):
    dropped = [
        item
        for item in items
        if item.get_closest_marker("embedded_only")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("warehouse_backend") == "ducklake"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture
def lead_env(tmp_path, warehouse_backend):
    with lead_environment(tmp_path) as settings:
        yield settings


@pytest.fixture
def run_leads(lead_env):
    """Materialize the lead factory with settings read from the environment at that moment (as a
    deployment reads its configuration); returns the run result."""
    from pipelines.platform.settings import PipelineSettings
    from tests.support.leads import materialize_leads

    def run(paths=None, dnc_paths=None, **kwargs):
        return materialize_leads(PipelineSettings(), paths=paths, dnc_paths=dnc_paths, **kwargs)

    return run


@pytest.fixture
def query(lead_env):
    def q(sql, params=None):
        from pipelines.platform.warehouse import open_warehouse

        conn = open_warehouse(lead_env, read_only=True)
        try:
            return conn.execute(sql, params or []).fetchall()
        finally:
            conn.close()

    return q


def write_json(path: Path, document) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
