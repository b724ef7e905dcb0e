"""The Dagster resources of the data half, built from one settings object.

* `warehouse` — `DuckDBResource` (a ConfigurableResource) on the warehouse file; a connection is
  opened only inside asset bodies (`with warehouse.get_connection() as conn:`), never at import.
* `settings`  — the `PipelineSettings` object itself; assets declare
  `settings: dg.ResourceParam[PipelineSettings]` and never read the environment on their own.
"""

from __future__ import annotations

from typing import Any

from dagster_duckdb import DuckDBResource

from pipelines.platform.settings import PipelineSettings


def build_resources(settings: PipelineSettings) -> dict[str, Any]:
    return {
        "warehouse": DuckDBResource(database=str(settings.warehouse_file)),
        "settings": settings,
    }
