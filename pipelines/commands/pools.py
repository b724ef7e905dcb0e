"""`python -m pipelines.commands.pools`: set the `duckdb_write` pool limit of the Dagster instance for the backend.

Limit 1 on the embedded file (the `dagster.yaml` default), `LAKE_POOL_LIMIT` on DuckLake
(`pipelines/platform/pools.py`). `make run` does this at every start; the production compose runs
it once after switching `WAREHOUSE_URL` (docs/operations.md, "DuckLake"). Prints the limit in force.
"""

from __future__ import annotations

import sys

import dagster as dg

from pipelines.platform.pools import apply_warehouse_pool_limit
from pipelines.platform.settings import PipelineSettings


def main() -> int:
    settings = PipelineSettings()
    with dg.DagsterInstance.get() as instance:
        limit = apply_warehouse_pool_limit(instance, settings)
    backend = settings.lake.describe() if settings.lake else f"embedded file {settings.warehouse_file}"
    print(f"pools: duckdb_write limit {limit} ({backend})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
