"""Fixtures of the journeys tests: a fresh DuckDB warehouse file per test, settings reset."""

from __future__ import annotations

import pytest

from tests.support.warehouse import module_warehouse_backend

__all__ = ["module_warehouse_backend"]


@pytest.fixture
def warehouse_path(tmp_path, warehouse_backend):
    """The test's warehouse on each backend: this file (embedded) or the fixture's DuckLake."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """DATA_DIR under tmp_path and no outcome webhook unless a test sets one."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WAREHOUSE_PATH", raising=False)
    monkeypatch.delenv("N8N_OUTCOME_WEBHOOK_URL", raising=False)
    yield
