"""Fixtures of the export tests: a fresh PostgreSQL database per test on 127.0.0.1:5432 (trust auth;
`.ci/ensure_postgres.sh` starts the cluster), dropped afterwards; a warehouse per test on each backend (DuckDB file, DuckLake).

Skips only when no PostgreSQL is installed on the machine; an installed server that does not
answer is a failure, not a skip.
"""

from __future__ import annotations

import uuid

import pytest

from tests.support.lake import pg_admin


@pytest.fixture
def pg_url():
    """A PostgreSQL URL of a database created for this test and dropped after it."""
    name = f"eve_export_{uuid.uuid4().hex[:12]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def warehouse_path(tmp_path, warehouse_backend):
    """The test's warehouse on each backend: this file (embedded) or the fixture's DuckLake."""
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """DATA_DIR under tmp_path; no export target unless a test sets one."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WAREHOUSE_PATH", raising=False)
    monkeypatch.delenv("SUPABASE_DB_URL", raising=False)
    yield
