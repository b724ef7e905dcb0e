"""The warehouse backends under test: the embedded DuckDB file and DuckLake on the machine's PostgreSQL.

A test (or a whole module, via `pytestmark = pytest.mark.usefixtures("warehouse_backend")`) that
asks for `warehouse_backend` runs twice, `[embedded]` and `[ducklake]`. The fixture sets the
environment every `PipelineSettings()` reads, so code under test (assets, commands, subprocesses)
picks the backend exactly as in production:

* embedded — `WAREHOUSE_URL` unset: the file at `WAREHOUSE_PATH` / `$DATA_DIR/warehouse.duckdb`.
* ducklake — `WAREHOUSE_URL=ducklake:postgres:…` on one PostgreSQL database created for the test
  session (dropped at its end), a catalog schema of the test's own (`WAREHOUSE_METADATA_SCHEMA`)
  and Parquet data under the test's `tmp_path` (`WAREHOUSE_DATA_PATH`).

Assertions read the warehouse through `backend.open(settings)` (= `open_warehouse`), never through
`duckdb.connect(<file>)`, so they hold on both.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import forget_lakes, open_warehouse

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
BACKENDS = ("embedded", "ducklake")
# A test of what only DuckLake does (concurrent writers, conflicts, crash snapshots): the lake alone.
LAKE_ONLY = pytest.mark.parametrize("warehouse_backend", ["ducklake"], indirect=True)


def pg_admin() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if not (shutil.which("pg_ctlcluster") or shutil.which("postgres") or shutil.which("pg_ctl")):
            pytest.skip("no PostgreSQL installed on this machine (DuckLake and export tests need 127.0.0.1:5432)")
        raise AssertionError(f"PostgreSQL is installed but 127.0.0.1:5432 does not answer: {exc}") from None


def lake_url(database: str) -> str:
    return f"ducklake:postgres:host=127.0.0.1 port=5432 user=postgres dbname={database}"


@dataclass(frozen=True)
class Backend:
    """The backend a test runs on, and the environment it set."""

    name: str
    env: dict[str, str]

    @property
    def is_lake(self) -> bool:
        return self.name == "ducklake"

    def settings(self, **overrides: Any) -> PipelineSettings:
        return PipelineSettings(**overrides)

    def open(self, settings: PipelineSettings | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        """A connection on the warehouse the (given or environment's) settings name."""
        return open_warehouse(settings or PipelineSettings(), read_only=read_only)


@pytest.fixture(scope="session")
def lake_database() -> Iterator[str]:
    """One PostgreSQL database for the session's DuckLake catalogs (one schema per test)."""
    name = f"eve_lake_{uuid.uuid4().hex[:10]}"
    with pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        forget_lakes()
        with pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def warehouse_backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Backend]:
    env: dict[str, str] = {}
    if request.param == "ducklake":
        database = request.getfixturevalue("lake_database")
        env = {
            "WAREHOUSE_URL": lake_url(database),
            "WAREHOUSE_DATA_PATH": str(tmp_path / "lake"),
            "WAREHOUSE_METADATA_SCHEMA": f"t_{uuid.uuid4().hex[:12]}",
        }
        for key, value in env.items():
            monkeypatch.setenv(key, value)
    else:
        for key in ("WAREHOUSE_URL", "WAREHOUSE_DATA_PATH", "WAREHOUSE_METADATA_SCHEMA"):
            monkeypatch.delenv(key, raising=False)
    try:
        yield Backend(name=request.param, env=env)
    finally:
        forget_lakes()
