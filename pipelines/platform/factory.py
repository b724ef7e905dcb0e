"""One small factory for the repeated warehouse-model asset body.

`model_asset(...)` builds an asset that connects to the warehouse, runs its preparation files
(schemas, macros, ensured inputs), runs the model file `sql/<schema>/<table>.sql`, and returns
row count, column schema, preview and the SQL path as metadata — plus whatever its `inspect` hook
adds (extra metadata and asset-check results). Every model asset gets the house conventions:
warehouse pool, owner, team tag, `duckdb` kind. The preparation and the model run as one transaction,
rerun whole on a write conflict with a concurrent DuckLake writer (`in_transaction`, pipelines/platform/transactions.py).
"""

from collections.abc import Callable, Sequence
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.platform.catalog import table
from pipelines.platform.conventions import KIND_DUCKDB, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.metadata import table_metadata
from pipelines.platform.sql import run_sql_file
from pipelines.platform.transactions import in_transaction

Inspect = Callable[[Any], tuple[dict[str, Any], list[dg.AssetCheckResult]]]


def model_asset(
    *,
    key: dg.AssetKey,
    group: str,
    sql: str,
    description: str,
    deps: Sequence[dg.AssetKey] = (),
    prepare: Sequence[str] = (),
    columns: str | Sequence[str] = "*",
    order_by: str | None = None,
    limit: int = 10,
    check_specs: Sequence[dg.AssetCheckSpec] = (),
    inspect: Inspect | None = None,
) -> dg.AssetsDefinition:
    @dg.asset(
        key=key,
        group_name=group,
        deps=list(deps),
        pool=WAREHOUSE_POOL,
        kinds={KIND_DUCKDB},
        owners=OWNERS,
        tags=asset_tags(),
        check_specs=list(check_specs),
        description=description,
    )
    def _model(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
        with warehouse.get_connection() as conn:

            def build() -> None:
                for name in prepare:
                    run_sql_file(conn, name)
                run_sql_file(conn, sql)

            # one transaction: readers of the lake see the old table or the new one, never a step
            # between; a write conflict with a concurrent writer reruns it whole
            in_transaction(conn, build, label=context.asset_key.to_user_string())
            metadata = table_metadata(conn, table(key), columns=columns, order_by=order_by, limit=limit)
            extra, checks = inspect(conn) if inspect else ({}, [])
        return dg.MaterializeResult(metadata={**metadata, "sql": f"sql/{sql}", **extra}, check_results=checks)

    return _model
