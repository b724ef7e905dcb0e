"""Lead factory automation: the lead-factory and n8n jobs, the inbox sensor, the n8n follow-up.

`n8n_push_after_lead_factory` requests one `n8n_lead_push` run after each successful
`lead_factory` run when N8N_LEAD_WEBHOOK_URL is set (the delivery ledger makes reruns harmless).

`lead_inbox_sensor` watches `$DATA_DIR/inbox/leads` and `$DATA_DIR/inbox/dnc`. Its cursor maps each
file to `mtime_ns:size`; every new or changed file gets one `lead_factory` run (run key = path +
version, so a file version is never processed twice) that re-reads just that file and rebuilds the
queue. A changed DNC file re-reads the DNC list and rebuilds the queue without touching lead files.
At most `MAX_RUNS_PER_TICK` runs per tick; the rest wait in the next ticks. The sensor only lists
files — it never opens DuckDB.
"""

import json
from pathlib import Path

import dagster as dg

from pipelines.leads.dnc import is_dnc_file
from pipelines.leads.files import is_lead_file, source_file_name
from pipelines.platform.catalog import LEADS, N8N_LEAD_DELIVERIES
from pipelines.platform.conventions import side_effect_free
from pipelines.platform.settings import PipelineSettings

MAX_RUNS_PER_TICK = 20

lead_factory_job = dg.define_asset_job(
    "lead_factory",
    selection=side_effect_free(dg.AssetSelection.groups(LEADS)),
    description="Ingest lead/DNC files → staging.leads → scores → qualified → call queue.",
    # every step writes DuckDB and the duckdb_write pool runs them one at a time anyway: one process
    # for the whole run instead of a subprocess per step
    executor_def=dg.in_process_executor,
)

n8n_lead_push_job = dg.define_asset_job(
    "n8n_lead_push",
    selection=dg.AssetSelection.assets(N8N_LEAD_DELIVERIES),
    description="POST undelivered call-queue leads to N8N_LEAD_WEBHOOK_URL (batches, retries, ledger).",
    executor_def=dg.in_process_executor,
)


def file_version(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_mtime_ns}:{stat.st_size}"


def lead_file_run_config(lead_paths: list[str] | None, dnc_paths: list[str] | None) -> dict:
    return {
        "ops": {
            "lead_records": {"config": {"paths": lead_paths}},
            "raw__dnc_entries": {"config": {"paths": dnc_paths}},
        }
    }


def _scan(folder: Path, accept) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.iterdir()):
        try:
            if accept(path):
                found[source_file_name(path)] = file_version(path)
        except OSError:  # vanished between listing and stat: next tick
            continue
    return found


def lead_inbox_sensor(settings: PipelineSettings) -> dg.SensorDefinition:
    """The inbox sensor over ``settings``' lead and DNC inboxes."""

    @dg.sensor(
        job=lead_factory_job,
        minimum_interval_seconds=settings.lead_sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="One lead_factory run per new or changed file in $DATA_DIR/inbox/leads or inbox/dnc.",
    )
    def lead_inbox_sensor(context: dg.SensorEvaluationContext):
        seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
        current = {("lead", p): v for p, v in _scan(settings.lead_inbox_dir, is_lead_file).items()}
        current.update({("dnc", p): v for p, v in _scan(settings.dnc_inbox_dir, is_dnc_file).items()})
        requests: list[dg.RunRequest] = []
        next_cursor = {key: version for key, version in seen.items() if _split(key) in current}
        for (kind, path), version in current.items():
            key = f"{kind}:{path}"
            if seen.get(key) == version:
                continue
            if len(requests) >= MAX_RUNS_PER_TICK:
                continue  # not recorded in the cursor: picked up next tick
            config = lead_file_run_config([path], None) if kind == "lead" else lead_file_run_config([], [path])
            requests.append(
                dg.RunRequest(
                    run_key=f"{key}@{version}",
                    run_config=config,
                    tags={"eve/inbox_file": Path(path).name, "eve/inbox_kind": kind},
                )
            )
            next_cursor[key] = version
        cursor = json.dumps(next_cursor, sort_keys=True)
        if not requests:
            return dg.SensorResult(skip_reason="no new or changed files in the lead/DNC inboxes", cursor=cursor)
        return dg.SensorResult(run_requests=requests, cursor=cursor)

    return lead_inbox_sensor


def n8n_push_after_lead_factory(settings: PipelineSettings) -> dg.SensorDefinition:
    """The n8n follow-up of every successful lead_factory run (skips without a webhook URL)."""

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[lead_factory_job],
        request_job=n8n_lead_push_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
        description="After each successful lead_factory run, push new queue leads to n8n (only when "
        "N8N_LEAD_WEBHOOK_URL is set; the ledger keeps it exactly-once).",
    )
    def n8n_push_after_lead_factory(context: dg.RunStatusSensorContext):
        if not settings.n8n_lead_webhook_url:
            return dg.SkipReason("N8N_LEAD_WEBHOOK_URL is not set")
        return dg.RunRequest(run_key=f"n8n-after-{context.dagster_run.run_id}")

    return n8n_push_after_lead_factory


def _split(key: str) -> tuple[str, str]:
    kind, _, path = key.partition(":")
    return kind, path


def jobs() -> list:
    return [lead_factory_job, n8n_lead_push_job]


def sensors(settings: PipelineSettings) -> list[dg.SensorDefinition]:
    return [lead_inbox_sensor(settings), n8n_push_after_lead_factory(settings)]
