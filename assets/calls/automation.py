"""Jobs and sensors of the call domain (group `calls`).

* `calls_sync_job`      the Retell API sync only (files into the landing zone; never touches
                        DuckDB, so a slow or failing Retell never holds the warehouse).
* `calls_landing_job`   landing load + staging (raw.retell_calls, raw.brain_calls, staging.*).
* `retell_sync_sensor`  every RETELL_SYNC_SENSOR_INTERVAL_SECONDS when RETELL_API_KEY is set
                        (otherwise it skips, saying why); never while a sync run is in flight.
                        Its cursor records the last request and the sync watermark it saw.
* `calls_landing_sensor` watches every call landing file (API batches, webhook events, brain
                        records, synthetic calls); its cursor is a digest of the listing, so any
                        new or changed file starts one load run — batches a failed sync had already
                        committed load too.
Sensors never open DuckDB and never call Retell: the runs do. `calls_landing_sensor` runs by
default (without it no call reaches the warehouse); `retell_sync_sensor` starts STOPPED: it talks
to Retell's API (a side effect) and skips anyway until RETELL_API_KEY is set.
"""

import json
import time

import dagster as dg

from pipelines.landing.files import BRAIN_CALL, RETELL_JSONL, RETELL_WEBHOOK, listing_digest, scan
from pipelines.platform.catalog import (
    RAW_BRAIN_CALLS,
    RAW_RETELL_CALLS,
    RETELL_API_CALLS,
    STAGING_CALLS,
    STAGING_TOOL_EVENTS,
    STAGING_TRANSCRIPT_LINES,
)
from pipelines.platform.settings import PipelineSettings
from pipelines.retell.state import SyncState

_LOAD_AND_STAGE = [RAW_RETELL_CALLS, RAW_BRAIN_CALLS, STAGING_CALLS, STAGING_TRANSCRIPT_LINES, STAGING_TOOL_EVENTS]

calls_sync_job = dg.define_asset_job(
    "calls_sync_job",
    selection=dg.AssetSelection.assets(RETELL_API_CALLS),
    description="Sync calls from the Retell API into the landing zone (the landing sensor loads them).",
)
calls_landing_job = dg.define_asset_job(
    "calls_landing_job",
    selection=dg.AssetSelection.assets(*_LOAD_AND_STAGE),
    description="Load new landing files (webhooks, brain records, synthetic calls), rebuild staging.",
)

_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _sync_in_flight(context: dg.SensorEvaluationContext) -> bool:
    if context.instance is None:
        return False
    runs = context.instance.get_runs(filters=dg.RunsFilter(job_name=calls_sync_job.name, statuses=_IN_FLIGHT), limit=1)
    return bool(runs)


def retell_sync_sensor(settings: PipelineSettings) -> dg.SensorDefinition:
    """The Retell API sync sensor, reading ``settings`` (interval, API key, cursor file)."""

    @dg.sensor(
        job=calls_sync_job,
        minimum_interval_seconds=settings.retell_sync_sensor_interval_seconds,
        description="Starts a Retell API sync when RETELL_API_KEY is configured (stopped by default: it calls "
        "Retell's API; start it where real calls flow).",
    )
    def retell_sync_sensor(context: dg.SensorEvaluationContext):
        if not settings.retell_configured:
            return dg.SkipReason(
                "RETELL_API_KEY is not configured: Retell API sync disabled (landing files still load)"
            )
        if _sync_in_flight(context):
            return dg.SkipReason("a Retell sync run is still in flight")
        cursor = json.loads(context.cursor) if context.cursor else {}
        try:
            watermark = SyncState.load(settings.retell_sync_state_file).watermark_ms
        except ValueError as exc:
            return dg.SkipReason(str(exc))
        now_ms = int(time.time() * 1000)
        new_cursor = {"last_request_ms": now_ms, "watermark_ms": watermark}
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=f"retell-sync-{now_ms}",
                    tags={"calls/trigger": "retell_sync_sensor", "calls/watermark_ms": str(watermark)},
                )
            ],
            cursor=json.dumps({**cursor, **new_cursor}),
        )

    return retell_sync_sensor


def calls_landing_sensor(settings: PipelineSettings) -> dg.SensorDefinition:
    """The landing sensor over ``settings.landing_dir``."""

    @dg.sensor(
        job=calls_landing_job,
        minimum_interval_seconds=settings.calls_landing_sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Loads new call landing files: API batches, webhook events, brain records, synthetic calls "
        "(running by default: without it no call reaches the warehouse).",
    )
    def calls_landing_sensor(context: dg.SensorEvaluationContext):
        files = scan(settings.landing_dir, (RETELL_JSONL, RETELL_WEBHOOK, BRAIN_CALL))
        if not files:
            return dg.SkipReason(f"no call files under {settings.landing_dir}")
        digest = listing_digest(files)
        if context.cursor == digest:
            return dg.SkipReason(f"no new or changed call files ({len(files)} known)")
        return dg.SensorResult(
            run_requests=[dg.RunRequest(run_key=f"calls-landing-{digest}", tags={"calls/files": str(len(files))})],
            cursor=digest,
        )

    return calls_landing_sensor


def jobs() -> list:
    return [calls_sync_job, calls_landing_job]


def sensors(settings: PipelineSettings) -> list[dg.SensorDefinition]:
    return [retell_sync_sensor(settings), calls_landing_sensor(settings)]
