"""The `duckdb_write` limit and the executor follow the backend: 1 and one step after another on the
embedded file; LAKE_POOL_LIMIT and parallel steps on DuckLake. A real Dagster instance (SQLite
storage under a tmp DAGSTER_HOME with the repository's dagster.yaml, as `make run` prepares it)."""

from __future__ import annotations

import dagster as dg

from pipelines.commands.launcher import prepare_dagster_home
from pipelines.definitions import build_definitions
from pipelines.platform.conventions import WAREHOUSE_POOL
from pipelines.platform.pools import LAKE_POOL_LIMIT, PARALLEL_EXECUTOR, apply_warehouse_pool_limit
from pipelines.platform.settings import PipelineSettings
from tests.support.lake import lake_url


def test_the_pool_limit_follows_the_backend_and_switching_back_restores_one(tmp_path, monkeypatch):
    environ = {"DAGSTER_HOME": str(tmp_path / "home")}
    home = prepare_dagster_home(environ)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    embedded = PipelineSettings()
    monkeypatch.setenv("WAREHOUSE_URL", lake_url("eve"))
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", str(tmp_path / "lake"))
    lake = PipelineSettings()
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert apply_warehouse_pool_limit(instance, embedded) == 1
        assert apply_warehouse_pool_limit(instance, lake) == LAKE_POOL_LIMIT
        assert instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL).slot_count == LAKE_POOL_LIMIT
        assert apply_warehouse_pool_limit(instance, embedded) == 1  # a deployment switched back to the file
        info = instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL)
        assert info.slot_count == 1  # the dagster.yaml default rules again


def test_the_executor_follows_the_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("WAREHOUSE_URL", raising=False)
    assert build_definitions(PipelineSettings(), domains=("synthetic",)).executor is dg.in_process_executor
    monkeypatch.setenv("WAREHOUSE_URL", lake_url("eve"))
    monkeypatch.setenv("WAREHOUSE_DATA_PATH", str(tmp_path / "lake"))
    assert build_definitions(PipelineSettings(), domains=("synthetic",)).executor is dg.in_process_executor
    monkeypatch.setenv("WAREHOUSE_PARALLEL_STEPS", "true")
    assert build_definitions(PipelineSettings(), domains=("synthetic",)).executor is PARALLEL_EXECUTOR
    monkeypatch.delenv("WAREHOUSE_URL")  # the single-writer file never runs steps side by side
    assert build_definitions(PipelineSettings(), domains=("synthetic",)).executor is dg.in_process_executor
