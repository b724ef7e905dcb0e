"""Dagster resources: the DuckDB warehouse (dagster-duckdb) and friends.

The warehouse resource is `DuckDBResource`; a connection is opened only inside asset bodies
(`with warehouse.get_connection() as conn:`), never at import time.
"""

from __future__ import annotations

from dagster_duckdb import DuckDBResource

from pipelines.settings import PipelineSettings, get_settings


def build_resources(settings: PipelineSettings | None = None) -> dict:
    settings = settings or get_settings()
    return {
        "warehouse": DuckDBResource(database=str(settings.warehouse_file)),
    }
