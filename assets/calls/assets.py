"""Call data assets (group `calls`): Retell API sync, landing zone → raw → staging call tables.

landing/retell_api_calls   get-call JSON synced from the Retell API as JSONL batches (no DuckDB)
raw.retell_calls           every Retell call version landed (API, webhooks, synthetic), best kept
raw.brain_calls            the brain's call records, validated against their JSON Schema
staging.calls              one row per call, Retell + brain joined (the contract journeys read)
staging.transcript_lines   utterances with timings
staging.tool_events        tool invocations with results

Bad landing records go to raw.call_rejects with a reason; the raw.landing_files ledger makes
reruns read only new or changed files. The keys (call_id, the ledger's path) have no constraint
(DuckLake has none): blocking checks assert them after every load (`pipelines/platform/key_checks.py`). Logic lives in `pipelines/retell/` (sync) and
`pipelines/landing/` (loading); SQL in `sql/raw/` and `sql/staging/`. Design: docs/call-data.md.
The Retell API sync reaches outside the warehouse: it carries the side-effect tag.
"""

from datetime import UTC, datetime

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.landing.brain import load_brain_files
from pipelines.landing.files import BRAIN_CALL, RETELL_JSONL, RETELL_WEBHOOK, ledger_snapshot, new_or_changed, scan
from pipelines.landing.retell import ensure_tables, load_retell_files
from pipelines.landing.staging import (
    build_staging_calls,
    build_staging_tool_events,
    build_staging_transcript_lines,
)
from pipelines.platform.catalog import (
    CALLS,
    RAW_BRAIN_CALLS,
    RAW_RETELL_CALLS,
    RETELL_API_CALLS,
    STAGING_CALLS,
    STAGING_TOOL_EVENTS,
    STAGING_TRANSCRIPT_LINES,
    SYNTHETIC_CALLS,
    table,
)
from pipelines.platform.conventions import KIND_DUCKDB, KIND_PYTHON, KIND_RETELL, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.key_checks import unique_key_result, unique_key_spec
from pipelines.platform.metadata import table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql
from pipelines.retell.config import SyncConfig
from pipelines.retell.sync import sync_calls

GROUP = CALLS


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dg.asset(
    key=RETELL_API_CALLS,
    group_name=GROUP,
    kinds={KIND_RETELL, KIND_PYTHON},
    owners=OWNERS,
    tags=asset_tags(side_effect=True),
    description="Side effect: sync Retell API calls into $DATA_DIR/landing/retell_calls/api/ (JSONL batches).",
)
def retell_api_calls(
    context: dg.AssetExecutionContext, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    """Sync new and unfinished calls from the Retell API (list-calls v3 + get-call) into
    `$DATA_DIR/landing/retell_calls/api/` as atomic JSONL batches; resumable via a cursor file.
    Without RETELL_API_KEY it does nothing (the landing zone still feeds the tables)."""
    if not settings.retell_configured:
        context.log.info("RETELL_API_KEY is not configured: Retell API sync skipped")
        return dg.MaterializeResult(metadata={"dagster/row_count": 0, "skipped": "RETELL_API_KEY not configured"})
    report = sync_calls(SyncConfig.from_settings(settings))
    context.log.info(f"retell sync: {report.fetched} calls fetched in {report.seconds} s")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": report.fetched,
            "listed": report.listed,
            "fetched": report.fetched,
            "batches": len(report.batches),
            "still_pending": report.still_pending,
            "gave_up": report.gave_up,
            "not_found": report.not_found,
            "truncated": report.truncated,
            "watermark_ms": report.watermark_ms or 0,
            "seconds": report.seconds,
        }
    )


def _reject_count(conn, kinds: list[str]) -> int:
    return int(conn.execute(read_sql("raw/call_rejects/count_by_kind.sql"), {"kinds": kinds}).fetchone()[0])


def _rejects_check(asset_key: dg.AssetKey) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        "landing_records_accepted",
        asset=asset_key,
        description="WARN when this load sent records to raw.call_rejects (see the reasons there).",
    )


def _key_specs(asset_key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    return [
        unique_key_spec(asset_key, "call_id_unique", "BLOCKING: one row per call_id (no key constraint on DuckLake)."),
        unique_key_spec(
            asset_key, "landing_file_paths_unique", "BLOCKING: one raw.landing_files row per landing file path."
        ),
    ]


def _key_results(conn, asset_key: dg.AssetKey, key_check_sql: str) -> list[dg.AssetCheckResult]:
    return [
        unique_key_result(conn, asset_key, "call_id_unique", key_check_sql),
        unique_key_result(conn, asset_key, "landing_file_paths_unique", "raw/landing_files/key_check.sql"),
    ]


def _rejects_result(asset_key: dg.AssetKey, rejected: int) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name="landing_records_accepted",
        passed=rejected == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rejected_this_load": rejected},
    )


@dg.asset(
    key=RAW_RETELL_CALLS,
    deps=[RETELL_API_CALLS, SYNTHETIC_CALLS],
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={KIND_DUCKDB},
    owners=OWNERS,
    tags=asset_tags(),
    check_specs=[_rejects_check(RAW_RETELL_CALLS), *_key_specs(RAW_RETELL_CALLS)],
    description="Every Retell call version landed (API, webhooks, synthetic), the most complete kept.",
)
def raw_retell_calls(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    """Load new/changed Retell landing files (API and synthetic JSONL, webhook events) and upsert
    by call_id, keeping the most complete version; bad records go to raw.call_rejects."""
    with warehouse.get_connection() as conn:
        ensure_tables(conn)
        files = scan(settings.landing_dir, (RETELL_JSONL, RETELL_WEBHOOK))
        todo = new_or_changed(files, ledger_snapshot(conn))
        counts = load_retell_files(conn, todo, _utcnow())
        context.log.info(
            f"{counts.files} landing files read: {counts.loaded} records loaded, {counts.rejected} rejected"
        )
        metadata = table_metadata(
            conn,
            table(RAW_RETELL_CALLS),
            columns="call_id, source, call_status, completeness, last_updated",
            order_by="last_updated DESC, call_id",
            files_read=counts.files,
            records_loaded=counts.loaded,
            records_rejected=counts.rejected,
            rejects_total=_reject_count(conn, [RETELL_JSONL, RETELL_WEBHOOK]),
        )
        keys = _key_results(conn, RAW_RETELL_CALLS, "raw/retell_calls/key_check.sql")
    return dg.MaterializeResult(
        metadata=metadata, check_results=[_rejects_result(RAW_RETELL_CALLS, counts.rejected), *keys]
    )


@dg.asset(
    key=RAW_BRAIN_CALLS,
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={KIND_DUCKDB},
    owners=OWNERS,
    tags=asset_tags(),
    check_specs=[_rejects_check(RAW_BRAIN_CALLS), *_key_specs(RAW_BRAIN_CALLS)],
    description="The brain's call records from landing/brain_calls, validated against call_record.v1.",
)
def raw_brain_calls(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    """Load new/changed brain call records (landing/brain_calls), validated against
    call_record.v1; invalid files go to raw.call_rejects with the validation message."""
    with warehouse.get_connection() as conn:
        ensure_tables(conn)
        files = scan(settings.landing_dir, (BRAIN_CALL,))
        todo = new_or_changed(files, ledger_snapshot(conn))
        counts = load_brain_files(conn, todo, _utcnow())
        context.log.info(f"{counts.files} brain records read: {counts.loaded} loaded, {counts.rejected} rejected")
        metadata = table_metadata(
            conn,
            table(RAW_BRAIN_CALLS),
            columns="call_id, started_at, synthetic, source_file",
            order_by="started_at DESC, call_id",
            files_read=counts.files,
            records_loaded=counts.loaded,
            records_rejected=counts.rejected,
            rejects_total=_reject_count(conn, [BRAIN_CALL]),
        )
        keys = _key_results(conn, RAW_BRAIN_CALLS, "raw/brain_calls/key_check.sql")
    return dg.MaterializeResult(
        metadata=metadata, check_results=[_rejects_result(RAW_BRAIN_CALLS, counts.rejected), *keys]
    )


_STAGING_DEPS = [RAW_RETELL_CALLS, RAW_BRAIN_CALLS]


@dg.asset(
    key=STAGING_CALLS,
    deps=_STAGING_DEPS,
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={KIND_DUCKDB},
    owners=OWNERS,
    tags=asset_tags(),
    description="One row per call: Retell and the brain joined on call_id, typed (the journeys contract).",
)
def staging_calls(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """One row per call: Retell's view and the brain's record joined on call_id, typed columns
    (E.164 numbers, UTC timestamps, cost in USD, latency percentiles, lead/campaign/prompt).
    Contract: docs/call-data.md."""
    with warehouse.get_connection() as conn:
        ensure_tables(conn)
        build_staging_calls(conn)
        metadata = table_metadata(
            conn,
            table(STAGING_CALLS),
            columns="call_id, sources, is_synthetic, call_status, start_ts, duration_s, lead_id",
            order_by="start_ts DESC, call_id",
            sql="sql/staging/calls.sql",
        )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=STAGING_TRANSCRIPT_LINES,
    deps=_STAGING_DEPS,
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={KIND_DUCKDB},
    owners=OWNERS,
    tags=asset_tags(),
    description="Every utterance of every call in order, with timings.",
)
def staging_transcript_lines(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Every utterance in order (Retell transcript_object with word timings, else brain turns)."""
    with warehouse.get_connection() as conn:
        ensure_tables(conn)
        build_staging_transcript_lines(conn)
        metadata = table_metadata(
            conn, table(STAGING_TRANSCRIPT_LINES), order_by="call_id, idx", sql="sql/staging/transcript_lines.sql"
        )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=STAGING_TOOL_EVENTS,
    deps=_STAGING_DEPS,
    group_name=GROUP,
    pool=WAREHOUSE_POOL,
    kinds={KIND_DUCKDB},
    owners=OWNERS,
    tags=asset_tags(),
    description="Tool invocations of every call with their results.",
)
def staging_tool_events(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Tool invocations with their results (Retell transcript_with_tool_calls, else brain events)."""
    with warehouse.get_connection() as conn:
        ensure_tables(conn)
        build_staging_tool_events(conn)
        metadata = table_metadata(
            conn, table(STAGING_TOOL_EVENTS), order_by="call_id, idx", sql="sql/staging/tool_events.sql"
        )
    return dg.MaterializeResult(metadata=metadata)
