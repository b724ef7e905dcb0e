"""`in_transaction` against a real DuckLake write conflict: a second writer (its own DuckDB instance
attached to the same catalog, as another process would be) replaces the table between our writes
and our COMMIT; the commit fails with DuckLake's "Transaction conflict", the whole body reruns on
the new snapshot and wins, with one log line. Errors that are not conflicts are never retried."""

from __future__ import annotations

import logging

import duckdb
import pytest

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import sql_literal
from pipelines.platform.transactions import backoff_seconds, in_transaction, is_write_conflict
from pipelines.platform.warehouse import extension_files, open_warehouse
from tests.support.lake import LAKE_ONLY


@pytest.fixture
def lake(warehouse_backend, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return PipelineSettings()


def other_writer(settings: PipelineSettings) -> duckdb.DuckDBPyConnection:
    """A second, independent DuckDB instance on the same lake (what another writer process holds)."""
    conn = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    for path in extension_files():
        conn.execute(f"LOAD {sql_literal(str(path))}")
    assert settings.lake is not None
    conn.execute(settings.lake.attach_sql(read_only=False))
    conn.execute("USE lake")
    return conn


@LAKE_ONLY  # the file has one writer process
def test_a_conflicting_commit_reruns_the_whole_transaction_and_wins(lake, caplog):
    with open_warehouse(lake) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute("CREATE OR REPLACE TABLE raw.t AS SELECT 'before' AS v FROM range(3)")
    rival = other_writer(lake)
    attempts: list[int] = []

    def body() -> int:
        attempts.append(len(attempts) + 1)
        conn.execute("CREATE OR REPLACE TABLE raw.t AS SELECT 'ours' AS v FROM range(5)")
        conn.execute("INSERT INTO raw.t SELECT 'ours' FROM range(2)")
        if len(attempts) == 1:  # the rival commits a replace of the same table before our COMMIT
            rival.execute("CREATE OR REPLACE TABLE raw.t AS SELECT 'rival' AS v FROM range(11)")
        return len(attempts)

    with caplog.at_level(logging.WARNING, logger="eve.warehouse"), open_warehouse(lake) as conn:
        assert in_transaction(conn, body, label="raw.t") == 2
    assert attempts == [1, 2]
    with open_warehouse(lake, read_only=True) as reader:
        assert reader.execute("SELECT v, count(*) FROM raw.t GROUP BY v").fetchall() == [("ours", 7)]
    retries = [r.getMessage() for r in caplog.records if "write conflict" in r.getMessage()]
    assert len(retries) == 1 and "raw.t" in retries[0] and "attempt 1 of" in retries[0]
    rival.close()


@LAKE_ONLY  # the file has one writer process
def test_conflicts_past_the_bound_raise_and_leave_the_rivals_table(lake):
    with open_warehouse(lake) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute("CREATE OR REPLACE TABLE raw.t AS SELECT 0 AS v")
    rival = other_writer(lake)
    calls = []

    def always_beaten() -> None:
        calls.append(1)
        conn.execute("CREATE OR REPLACE TABLE raw.t AS SELECT -1 AS v")
        rival.execute(f"CREATE OR REPLACE TABLE raw.t AS SELECT {len(calls)} AS v")

    with open_warehouse(lake) as conn, pytest.raises(duckdb.TransactionException) as caught:
        in_transaction(conn, always_beaten, label="raw.t", attempts=2)
    assert is_write_conflict(caught.value) and len(calls) == 2
    with open_warehouse(lake, read_only=True) as reader:
        assert reader.execute("SELECT v FROM raw.t").fetchall() == [(2,)]  # nothing of ours is visible
    rival.close()


@LAKE_ONLY  # the file has one writer process
def test_an_error_that_is_not_a_conflict_is_raised_at_once_and_rolled_back(lake):
    calls = []

    def broken() -> None:
        calls.append(1)
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute("CREATE TABLE raw.half AS SELECT 1 AS v")
        conn.execute("SELECT * FROM raw.no_such_table")

    with open_warehouse(lake) as conn, pytest.raises(duckdb.CatalogException):
        in_transaction(conn, broken, label="raw.half")
    assert calls == [1]
    with open_warehouse(lake, read_only=True) as reader:
        tables = reader.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()
    assert ("half",) not in tables


def test_backoff_grows_is_jittered_and_capped():
    import random

    rng = random.Random(7)
    waits = [backoff_seconds(attempt, rng=rng) for attempt in range(1, 12)]
    assert 0.025 <= waits[0] <= 0.05 and all(w <= 2.0 for w in waits) and waits[-1] >= 1.0
    assert len({round(w, 6) for w in waits}) == len(waits)
