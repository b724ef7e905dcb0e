"""Connections on the test's warehouse, whichever backend `warehouse_backend` chose.

Helpers keep taking the embedded file's path (`warehouse_path`): on the embedded backend it is the
file, on DuckLake (`WAREHOUSE_URL` set by the fixture) it is ignored and the lake is used. Every
connection goes through the same `WarehouseResource` the assets use, so a test never holds a second,
differently configured connection to a file the assets still have open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import forget_lakes
from tests.support.lake import BACKENDS, lake_url


def warehouse_settings(path: Path | None = None, **overrides: Any) -> PipelineSettings:
    """Settings from the environment (the backend), the embedded file at ``path`` when given."""
    if path is not None:
        overrides["warehouse_path"] = path
    return PipelineSettings(**overrides)


@contextmanager
def connect(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    with build_resources(warehouse_settings(path))["warehouse"].get_connection() as conn:
        yield conn


def query(path: Path | None, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
    with connect(path) as conn:
        return conn.execute(sql, params or []).fetchall()


def execute(path: Path | None, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> None:
    with connect(path) as conn:
        conn.execute(sql, params or [])


def insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    """Append ``rows`` (positional, all columns) to ``table`` in one transaction: on DuckLake every
    statement outside a transaction is a snapshot of its own (a catalog commit each)."""
    if not rows:
        return
    marks = ", ".join("?" * len(rows[0]))
    conn.execute("BEGIN TRANSACTION")
    try:
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in rows])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@pytest.fixture(scope="module", params=BACKENDS)
def module_warehouse_backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`warehouse_backend` for a module-scoped fixture (a world materialized once and read by many
    tests): the same two backends, the environment set for the whole module and restored after."""
    with pytest.MonkeyPatch.context() as patch:
        if request.param == "ducklake":
            database = request.getfixturevalue("lake_database")
            patch.setenv("WAREHOUSE_URL", lake_url(database))
            patch.setenv("WAREHOUSE_DATA_PATH", str(tmp_path_factory.mktemp("lake")))
            patch.setenv("WAREHOUSE_METADATA_SCHEMA", f"m_{uuid.uuid4().hex[:12]}")
        else:
            for key in ("WAREHOUSE_URL", "WAREHOUSE_DATA_PATH", "WAREHOUSE_METADATA_SCHEMA"):
                patch.delenv(key, raising=False)
        try:
            yield request.param
        finally:
            forget_lakes()
