"""The warehouse abstraction itself on both backends: same SQL, same answers; bad settings say why."""

from __future__ import annotations

import pytest

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import LAKE_ALIAS

pytestmark = pytest.mark.usefixtures("warehouse_backend")


def test_the_same_sql_runs_on_both_backends(warehouse_backend, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    settings = PipelineSettings()
    with warehouse_backend.open(settings) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS raw")
        conn.execute("CREATE OR REPLACE TABLE raw.probe AS SELECT range AS i FROM range(5)")
        database = conn.execute("SELECT current_database()").fetchone()[0]
    with warehouse_backend.open(settings, read_only=True) as reader:
        assert reader.execute("SELECT sum(i) FROM raw.probe").fetchone() == (10,)
    assert (database == LAKE_ALIAS) == warehouse_backend.is_lake
    assert settings.lake is not None if warehouse_backend.is_lake else settings.lake is None


def test_a_malformed_warehouse_url_is_refused_with_the_reason(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", "postgres://user:hunter2@db/eve")
    with pytest.raises(ValueError) as caught:
        PipelineSettings()
    message = str(caught.value)
    assert "WAREHOUSE_URL must be empty" in message
    assert "hunter2" not in message


def test_a_bad_catalog_schema_is_refused(monkeypatch):
    monkeypatch.setenv("WAREHOUSE_URL", "ducklake:postgres:dbname=eve")
    monkeypatch.setenv("WAREHOUSE_METADATA_SCHEMA", "x; DROP TABLE y")
    with pytest.raises(ValueError, match="plain identifier"):
        PipelineSettings()
