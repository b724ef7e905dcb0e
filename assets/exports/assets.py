"""Supabase export (group `exports`): the marts upserted into `ont_leads`, `ont_calls`,
`ont_call_outcomes` on the PostgreSQL of SUPABASE_DB_URL.

Thin wiring over `pipelines/exports/` (the library does the work). These are side-effect assets
(tag `eve/side_effect`): the bootstrap and `make report` never run them; `make export` does. With
SUPABASE_DB_URL unset each asset logs why and materializes nothing. Each table has an asset check
comparing the row count and a sample of keys between the mart and PostgreSQL.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.exports.connection import NOT_CONFIGURED, ExportConfig, connect
from pipelines.exports.schema import apply_schema
from pipelines.exports.tables import ONT_CALL_OUTCOMES, ONT_CALLS, ONT_LEADS, ExportTable
from pipelines.exports.upsert import export_table
from pipelines.exports.verify import compare, postgres_row_count
from pipelines.platform.catalog import (
    CUSTOMER_JOURNEYS,
    EXPORT_ONT_CALL_OUTCOMES,
    EXPORT_ONT_CALLS,
    EXPORT_ONT_LEADS,
    EXPORTS,
    LEAD_STATUS,
    STAGING_CALLS,
)
from pipelines.platform.conventions import KIND_DUCKDB, KIND_POSTGRES, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.settings import PipelineSettings

# export key → (the table it fills, the warehouse asset it reads)
EXPORTS_BY_KEY: dict[dg.AssetKey, tuple[ExportTable, dg.AssetKey]] = {
    EXPORT_ONT_LEADS: (ONT_LEADS, LEAD_STATUS),
    EXPORT_ONT_CALLS: (ONT_CALLS, STAGING_CALLS),
    EXPORT_ONT_CALL_OUTCOMES: (ONT_CALL_OUTCOMES, CUSTOMER_JOURNEYS),
}


def _export(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: PipelineSettings, table: ExportTable
) -> Iterator[dg.MaterializeResult]:
    config = ExportConfig.from_settings(settings)
    if config is None:
        context.log.warning(NOT_CONFIGURED)
        return

    def progress(name: str, done: int, total: int) -> None:
        context.log.info(f"{name}: {done:,}/{total:,} rows")

    with warehouse.get_connection() as duck, connect(config) as pg:
        apply_schema(pg)
        counts = export_table(duck, pg, table, batch_size=config.batch_size, progress=progress)
        postgres_rows = postgres_row_count(pg, table)
    context.log.info(f"{table.name} → {config.target}: {counts.as_dict()}")
    yield dg.MaterializeResult(
        metadata={**counts.as_dict(), "postgres_rows": int(postgres_rows), "target": config.target}
    )


def _check(warehouse: DuckDBResource, settings: PipelineSettings, table: ExportTable) -> dg.AssetCheckResult:
    config = ExportConfig.from_settings(settings)
    if config is None:
        return dg.AssetCheckResult(passed=True, metadata={"skipped": NOT_CONFIGURED})
    with warehouse.get_connection() as duck, connect(config) as pg:
        result = compare(duck, pg, table)
    return dg.AssetCheckResult(
        passed=result.counts_agree and result.sample_agrees,
        metadata={
            "mart_rows": result.mart_rows,
            "postgres_rows": result.postgres_rows,
            "sampled_keys": result.sampled,
            "missing_keys": dg.MetadataValue.json(result.missing_keys[:20]),
            "differing_keys": dg.MetadataValue.json(result.differing_keys[:20]),
        },
    )


def _define(key: dg.AssetKey) -> tuple[dg.AssetsDefinition, dg.AssetChecksDefinition]:
    table, source = EXPORTS_BY_KEY[key]

    @dg.asset(
        key=key,
        group_name=EXPORTS,
        deps=[source],
        kinds={KIND_DUCKDB, KIND_POSTGRES},
        owners=OWNERS,
        tags=asset_tags(side_effect=True),
        pool=WAREHOUSE_POOL,  # reads the warehouse file: never beside a writer
        output_required=False,
        description=f"Upsert {source.to_user_string()} into PostgreSQL table {table.name} "
        "(SUPABASE_DB_URL; changed rows only; one transaction per batch).",
    )
    def export_asset(
        context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
    ):
        yield from _export(context, warehouse, settings, table)

    @dg.asset_check(
        asset=key,
        name="matches_mart",
        pool=WAREHOUSE_POOL,
        description="Row count and a sample of keys agree between the mart and PostgreSQL.",
    )
    def matches_mart(warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]) -> dg.AssetCheckResult:
        return _check(warehouse, settings, table)

    return export_asset, matches_mart


export_ont_leads, check_ont_leads = _define(EXPORT_ONT_LEADS)
export_ont_calls, check_ont_calls = _define(EXPORT_ONT_CALLS)
export_ont_call_outcomes, check_ont_call_outcomes = _define(EXPORT_ONT_CALL_OUTCOMES)
EXPORT_ASSETS = [export_ont_leads, export_ont_calls, export_ont_call_outcomes]
EXPORT_CHECKS = [check_ont_leads, check_ont_calls, check_ont_call_outcomes]
