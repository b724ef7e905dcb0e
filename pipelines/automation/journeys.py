"""Jobs and sensors of the journeys and revenue-ops domains (exported as JOBS/SENSORS/SCHEDULES).

* `journeys_and_revenue_ops` — journeys, revenue ops, the report, and the suppression list and
  call queue that read the `dnc` journeys (never the n8n lead push);
* `money` — the same plus call sync and everything upstream of it (synthetic world, lead
  factory): what `make money` runs;
* `journeys_after_call_sync` — an asset sensor: every new `staging.calls` materialization
  triggers `journeys_and_revenue_ops` (starts STOPPED, like every Dagster sensor);
* `revenue_ops_morning_report` — a daily schedule (07:00 UTC) of the same job, STOPPED by default.
"""

from __future__ import annotations

import dagster as dg

STAGING_CALLS = dg.AssetKey(["staging", "calls"])

# Leads-group assets fed by journeys (suppression list, call queue, its summary), minus any push.
_SUPPRESSION_AND_QUEUE = (
    dg.AssetSelection.groups("journeys").downstream() & dg.AssetSelection.groups("leads")
) - dg.AssetSelection.key_substring("n8n")

JOURNEYS_AND_REVENUE_OPS = (
    dg.AssetSelection.groups("journeys", "revenue_ops") | _SUPPRESSION_AND_QUEUE
).required_multi_asset_neighbors()

MONEY = (
    (dg.AssetSelection.groups("calls", "journeys", "revenue_ops") | _SUPPRESSION_AND_QUEUE).upstream()
    - dg.AssetSelection.key_substring("n8n_lead")
).required_multi_asset_neighbors()

journeys_and_revenue_ops_job = dg.define_asset_job(
    "journeys_and_revenue_ops",
    selection=JOURNEYS_AND_REVENUE_OPS,
    description="Journeys, lead status, suppression list + queue, revenue ops and the report.",
)

money_job = dg.define_asset_job(
    "money",
    selection=MONEY,
    description="Call sync (and what it needs) + journeys + revenue ops + the report: `make money`.",
)


@dg.asset_sensor(asset_key=STAGING_CALLS, job=journeys_and_revenue_ops_job, minimum_interval_seconds=60)
def journeys_after_call_sync(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """New calls synced → map journeys, refresh suppression + queue, rescore revenue ops."""
    yield dg.RunRequest(run_key=f"journeys-after-{asset_event.run_id}-{int(asset_event.timestamp * 1000)}")


revenue_ops_morning_report = dg.ScheduleDefinition(
    name="revenue_ops_morning_report",
    job=journeys_and_revenue_ops_job,
    cron_schedule="0 7 * * *",
    execution_timezone="UTC",
)

JOBS = [journeys_and_revenue_ops_job, money_job]
SENSORS = [journeys_after_call_sync]
SCHEDULES = [revenue_ops_morning_report]
