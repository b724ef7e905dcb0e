"""Jobs, sensors and schedules of the campaigns domain.

* `campaign_dispatch`  — one dispatch tick for the campaign named in the run config; it reads the
  dispatcher's Parquet snapshot and ledger, never the warehouse, so it never waits for the pool;
* `dial_queue_build`   — ledger copy + dial queue + exclusions + the dispatcher's snapshot (brief,
  in the write pool);
* `campaign_<name>`    — one sensor per campaign file (STOPPED by default; start it in the UI);
  it ticks every CAMPAIGN_SENSOR_INTERVAL_SECONDS while some queued lead's window is open, the
  campaign is enabled, no stop switch is set and no dispatch run of it is in flight;
* `dial_queue_refresh` — at :15 every hour 07:00-20:00 America/New_York: the `dial_queue_build` job
  (the first run builds the day's queue; later ones pick up new leads, DNC and outcomes). STOPPED
  by default, like every schedule;
* `campaigns_end_of_day` — 21:30 America/New_York: the `refresh_revenue_report` job (call sync,
  journeys, revenue ops, report; STOPPED by default).
Sensors never open DuckDB and never call Retell; they read the settings handed to `sensors(settings)`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from pipelines.campaigns.config import load_campaign_file, load_campaigns
from pipelines.campaigns.dispatch_config import config_from_settings
from pipelines.campaigns.queue import snapshot_zones
from pipelines.campaigns.rules import blocked_reason
from pipelines.platform.catalog import CALL_ATTEMPTS, DIAL_EXCLUSIONS, DIAL_QUEUE
from pipelines.platform.catalog import CAMPAIGN_DISPATCH as DISPATCH
from pipelines.platform.settings import PipelineSettings

_IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]

campaign_dispatch_job = dg.define_asset_job(
    "campaign_dispatch",
    selection=dg.AssetSelection.assets(DISPATCH),
    description="One dispatch tick of the campaign in the run config (reads the snapshot, not the warehouse).",
)
dial_queue_job = dg.define_asset_job(
    "dial_queue_build",
    selection=dg.AssetSelection.assets(CALL_ATTEMPTS, DIAL_QUEUE, DIAL_EXCLUSIONS),
    description="Copy the ledger in, rebuild the dial queue and exclusions, hand the dispatcher its snapshot.",
)


def dispatch_run_config(campaign: str) -> dict:
    return {"ops": {"campaigns__dispatch": {"config": {"campaign": campaign}}}}


def evaluate_campaign_sensor(
    settings: PipelineSettings, name: str, context: dg.SensorEvaluationContext, now: datetime | None = None
):
    """Skip (saying why) or request one dispatch run of campaign `name`."""
    path = settings.campaigns_dir / f"{name}.toml"
    campaign = load_campaign_file(path) if path.exists() else None
    if campaign is None or not hasattr(campaign, "enabled"):
        return dg.SkipReason(f"campaign file unusable: {campaign or f'{path} is gone'}")
    if not campaign.enabled:
        return dg.SkipReason(f"campaign {name} is disabled (enabled = false in {path})")
    config = config_from_settings(settings)
    if config.stop or config.stop_file.exists():
        return dg.SkipReason("stop switch is set (CAMPAIGNS_STOP or $DATA_DIR/campaigns/STOP)")
    now = now or datetime.now(UTC)
    start, end = campaign.effective_window
    zones = snapshot_zones(config.state_dir, name)
    if zones and not any(blocked_reason(now, z, campaign.iso_weekdays, start, end) is None for z in zones):
        return dg.SkipReason(f"no queued lead of {name} is inside its lead-local window now")
    if context.instance is not None and context.instance.get_runs(
        filters=dg.RunsFilter(job_name=campaign_dispatch_job.name, statuses=_IN_FLIGHT, tags={"campaign": name}),
        limit=1,
    ):
        return dg.SkipReason(f"a dispatch run of {name} is still in flight")
    stamp = int(now.timestamp())
    return dg.RunRequest(
        run_key=f"dispatch-{name}-{stamp}", run_config=dispatch_run_config(name), tags={"campaign": name}
    )


def _campaign_sensor(settings: PipelineSettings, name: str) -> dg.SensorDefinition:
    @dg.sensor(
        name=f"campaign_{name.replace('-', '_')}",
        job=campaign_dispatch_job,
        minimum_interval_seconds=settings.campaign_sensor_interval_seconds,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description=f"Dispatch ticks of campaign {name} inside its window (start it to dial).",
    )
    def _sensor(context: dg.SensorEvaluationContext):
        return evaluate_campaign_sensor(settings, name, context)

    return _sensor


def sensors(settings: PipelineSettings) -> list[dg.SensorDefinition]:
    """One sensor per campaign file present when the code location loads (valid or not)."""
    campaigns, errors = load_campaigns(settings.campaigns_dir)
    names = sorted(set(campaigns) | {e.path.stem for e in errors})
    return [_campaign_sensor(settings, n) for n in names if n.replace("-", "_").isidentifier()]


dial_queue_refresh = dg.ScheduleDefinition(
    name="dial_queue_refresh",
    job=dial_queue_job,
    cron_schedule="15 7-20 * * *",
    execution_timezone="America/New_York",
    description="Build the day's dial queue, then refresh it hourly (who may be called, and why not).",
)
campaigns_end_of_day = dg.ScheduleDefinition(
    name="campaigns_end_of_day",
    job_name="refresh_revenue_report",
    cron_schedule="30 21 * * *",
    execution_timezone="America/New_York",
    description="Sync the day's calls, refresh journeys, revenue ops and the report.",
)


def jobs() -> list:
    return [campaign_dispatch_job, dial_queue_job]


def schedules() -> list[dg.ScheduleDefinition]:
    return [dial_queue_refresh, campaigns_end_of_day]
