"""Fixtures of the revenue-ops tests: the journeys fixture builder, a fresh warehouse, settings reset."""

from __future__ import annotations

import pytest

from tests.support.warehouse import module_warehouse_backend

__all__ = ["module_warehouse_backend"]


@pytest.fixture
def warehouse_path(tmp_path, warehouse_backend):
    """The test's warehouse on each backend: this file (embedded) or the fixture's DuckLake."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def isolated_settings(data_dir, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.delenv("WAREHOUSE_PATH", raising=False)
    monkeypatch.delenv("N8N_OUTCOME_WEBHOOK_URL", raising=False)
    yield
