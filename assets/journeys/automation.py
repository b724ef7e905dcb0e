"""Jobs, sensor and schedule of the journeys and revenue-ops domains.

* `journeys_and_revenue_ops` — journeys, revenue ops, the report, and the suppression list and
  call queue that read the `dnc` journeys (never the n8n lead push);
* `refresh_revenue_report` — the same plus call sync and everything upstream of it (synthetic
  world, lead factory): what `make report` runs. Its only side effects are the two it is about —
  the Retell API sync and the journey outcome push (each a no-op until configured); the lead push
  is never part of it;
* `journeys_after_call_sync` — an asset sensor: every new `staging.calls` materialization
  triggers `journeys_and_revenue_ops`. RUNNING by default: without it new calls never reach
  journeys, the suppression list or the report (docs/data-platform.md, "Sensors on a fresh deploy");
* `revenue_ops_morning_report` — a daily schedule (07:00 UTC) of the same job, STOPPED by default.
"""

from __future__ import annotations

import dagster as dg

from pipelines.platform.catalog import (
    CALLS,
    JOURNEY_OUTCOME_DELIVERIES,
    JOURNEYS,
    LEADS,
    RETELL_API_CALLS,
    REVENUE_OPS,
    STAGING_CALLS,
)
from pipelines.platform.conventions import side_effect_free

# Leads-group assets fed by journeys (suppression list, call queue, its summary), minus any push.
_SUPPRESSION_AND_QUEUE = side_effect_free(
    dg.AssetSelection.groups(JOURNEYS).downstream() & dg.AssetSelection.groups(LEADS)
)

JOURNEYS_AND_REVENUE_OPS = (
    dg.AssetSelection.groups(JOURNEYS, REVENUE_OPS) | _SUPPRESSION_AND_QUEUE
).required_multi_asset_neighbors()

REFRESH_REVENUE_REPORT = (
    side_effect_free((dg.AssetSelection.groups(CALLS, JOURNEYS, REVENUE_OPS) | _SUPPRESSION_AND_QUEUE).upstream())
    | dg.AssetSelection.assets(RETELL_API_CALLS, JOURNEY_OUTCOME_DELIVERIES)
).required_multi_asset_neighbors()

journeys_and_revenue_ops_job = dg.define_asset_job(
    "journeys_and_revenue_ops",
    selection=JOURNEYS_AND_REVENUE_OPS,
    description="Journeys, lead status, suppression list + queue, revenue ops and the report.",
)

refresh_revenue_report_job = dg.define_asset_job(
    "refresh_revenue_report",
    selection=REFRESH_REVENUE_REPORT,
    description="Call sync (and what it needs) + journeys + revenue ops + the report: `make report`.",
)


@dg.asset_sensor(
    asset_key=STAGING_CALLS,
    job=journeys_and_revenue_ops_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New staging.calls → journeys, suppression list + queue, revenue ops and the report "
    "(running by default: without it new calls never reach journeys or the report).",
)
def journeys_after_call_sync(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    """New calls synced → map journeys, refresh suppression + queue, rescore revenue ops."""
    yield dg.RunRequest(run_key=f"journeys-after-{asset_event.run_id}-{int(asset_event.timestamp * 1000)}")


revenue_ops_morning_report = dg.ScheduleDefinition(
    name="revenue_ops_morning_report",
    job=journeys_and_revenue_ops_job,
    cron_schedule="0 7 * * *",
    execution_timezone="UTC",
    description="Every day 07:00 UTC: journeys, revenue ops and the report (stopped by default).",
)


def jobs() -> list:
    return [journeys_and_revenue_ops_job, refresh_revenue_report_job]


def sensors() -> list[dg.SensorDefinition]:
    return [journeys_after_call_sync]


def schedules() -> list[dg.ScheduleDefinition]:
    return [revenue_ops_morning_report]
