"""The Dagster resources of the data half, built from one settings object.

* `warehouse` — `WarehouseResource`, a `DuckDBResource` on the warehouse the settings name: the
  embedded DuckDB file, or the DuckLake (`WAREHOUSE_URL=ducklake:…`, `pipelines/platform/warehouse.py`).
  An `s3://` data path reads its S3 options and keys from the environment (`WAREHOUSE_S3_*`) when it
  attaches, as libpq reads PGPASSWORD: no credential is ever part of the resource's config.
  A connection is opened only inside asset bodies (`with warehouse.get_connection() as conn:`),
  never at import; assets keep their `warehouse: DuckDBResource` annotation and run on both.
* `settings`  — the `PipelineSettings` object itself; assets declare
  `settings: dg.ResourceParam[PipelineSettings]` and never read the environment on their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster_duckdb import DuckDBResource
from pydantic import Field

from pipelines.platform.object_store import is_url
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import lake_location, open_lake


class WarehouseResource(DuckDBResource):
    """`DuckDBResource` on the embedded file, or cursors on this process's attached DuckLake."""

    lake_url: str = Field(default="", description="DuckLake catalog (ducklake:postgres:…); empty = the file.")
    lake_data_path: str = Field(default="", description="DuckLake's Parquet data path.")
    lake_metadata_schema: str = Field(default="", description="PostgreSQL schema of the DuckLake catalog.")

    @contextmanager
    def get_connection(self) -> Iterator[Any]:
        # Like PGPASSWORD for the catalog, the S3 options and keys come from this process's environment,
        # never from the resource's config (which the Dagster UI shows).
        store = PipelineSettings().object_store if is_url(self.lake_data_path) else None
        location = lake_location(self.lake_url, self.lake_data_path, self.lake_metadata_schema, store)
        if location is None:
            with super().get_connection() as conn:
                yield conn
            return
        conn = open_lake(location)
        try:
            yield conn
        finally:
            conn.close()


def build_resources(settings: PipelineSettings) -> dict[str, Any]:
    lake = settings.lake
    return {
        "warehouse": WarehouseResource(
            database=str(settings.warehouse_file),
            lake_url=lake.url if lake else "",
            lake_data_path=str(lake.data_path) if lake else "",
            lake_metadata_schema=lake.metadata_schema if lake else "",
        ),
        "settings": settings,
    }
