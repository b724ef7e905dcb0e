"""Campaigns (group `campaigns`): who may be dialled, why not, and the dialling itself.

* `raw.call_attempts`   — the dispatcher's append-only ledger, copied in from
  `$DATA_DIR/state/call_attempts.duckdb` (the dispatcher never opens the warehouse);
* `marts.dial_queue` / `marts.dial_exclusions` — per campaign file, who may be dialled right now
  and in what order / every other lead of the call queue with its reason; also handed to the
  dispatcher as Parquet;
* `marts.campaign_daily` (group `revenue_ops`) — campaign figures per campaign and lead-local day: attempts,
  connect rate, cap used, calls by outcome, capture rate;
* `campaigns.dispatch`  — one dispatch tick of one campaign (run config `campaign`): Retell
  create-phone-call within cap, window, pace and consent. A side effect: no warehouse pool.

Library: `pipelines/campaigns/`; SQL: `sql/marts/dial_queue.sql`, `sql/marts/dial_exclusions.sql`
(steps in `sql/marts/dial_queue/`), `sql/raw/call_attempts.sql`, `sql/marts/campaign_daily.sql`.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.campaigns.config import load_campaigns
from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import config_from_settings
from pipelines.campaigns.ledger import Ledger
from pipelines.campaigns.queue import build_campaign_daily, build_dial_queue, copy_ledger
from pipelines.platform.catalog import (
    CALL_ATTEMPTS,
    CALL_FEATURES,
    CALL_QUEUE,
    CAMPAIGN_DAILY,
    CAMPAIGNS,
    CUSTOMER_JOURNEYS,
    DIAL_EXCLUSIONS,
    DIAL_QUEUE,
    LEAD_STATUS,
    REVENUE_OPS,
    table,
)
from pipelines.platform.catalog import CAMPAIGN_DISPATCH as DISPATCH
from pipelines.platform.catalog import SUPPRESSION_LIST as SUPPRESSION
from pipelines.platform.conventions import (
    KIND_DUCKDB,
    KIND_PYTHON,
    KIND_RETELL,
    OWNERS,
    WAREHOUSE_POOL,
    asset_tags,
)
from pipelines.platform.metadata import table_metadata
from pipelines.platform.settings import PipelineSettings

GROUP = CAMPAIGNS
POOL = WAREHOUSE_POOL


@dg.asset(
    key=CALL_ATTEMPTS,
    group_name=GROUP,
    kinds={KIND_DUCKDB},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    description="The dispatcher's append-only attempt ledger, copied into the warehouse.",
)
def call_attempts(warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]) -> dg.MaterializeResult:
    ledger = Ledger(settings.data_dir / "state")
    with warehouse.get_connection() as conn:
        rows = copy_ledger(conn, ledger)
        by_status = dict(conn.execute("SELECT status, count(*) FROM raw.call_attempts_current GROUP BY ALL").fetchall())
    return dg.MaterializeResult(
        metadata={"dagster/row_count": rows, "attempts_by_status": dg.MetadataValue.json(by_status)}
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            DIAL_QUEUE,
            group_name=GROUP,
            deps=[CALL_QUEUE, LEAD_STATUS, SUPPRESSION, CALL_ATTEMPTS],
            kinds={KIND_DUCKDB},
            owners=OWNERS,
            tags=asset_tags(),
            description="Per campaign: who may be dialled right now, best first, within the day's cap.",
        ),
        dg.AssetSpec(
            DIAL_EXCLUSIONS,
            group_name=GROUP,
            deps=[CALL_QUEUE, LEAD_STATUS, SUPPRESSION, CALL_ATTEMPTS],
            kinds={KIND_DUCKDB},
            owners=OWNERS,
            tags=asset_tags(),
            description="Per campaign: every call-queue lead not in the dial queue, with the reason.",
        ),
    ],
    pool=POOL,
)
def dial_queue(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
):
    campaigns, errors = load_campaigns(settings.campaigns_dir)
    for error in errors:
        context.log.error("campaign file rejected, nothing of it is queued: %s", error)
    with warehouse.get_connection() as conn:
        counts = build_dial_queue(conn, list(campaigns.values()), state_dir=settings.data_dir / "state")
        queue_metadata = table_metadata(
            conn, table(DIAL_QUEUE), columns=["campaign", "dial_rank", "lead_id", "timezone", "score"]
        )
        exclusions_metadata = table_metadata(conn, table(DIAL_EXCLUSIONS))
    common = {"campaigns": sorted(campaigns), "rejected_files": [str(e) for e in errors]}
    yield dg.MaterializeResult(
        asset_key=DIAL_QUEUE,
        metadata={**queue_metadata, **common, "queued": dg.MetadataValue.json(counts.queued)},
    )
    yield dg.MaterializeResult(
        asset_key=DIAL_EXCLUSIONS,
        metadata={**exclusions_metadata, **common, "reasons": dg.MetadataValue.json(counts.excluded)},
    )


class DispatchRunConfig(dg.Config):
    campaign: str


@dg.asset(
    key=DISPATCH,
    group_name=GROUP,
    deps=[DIAL_QUEUE],
    kinds={KIND_PYTHON, KIND_RETELL},
    owners=OWNERS,
    tags=asset_tags(side_effect=True),
    description="One dispatch tick of one campaign through Retell (side effect; DRY_RUN rules apply).",
)
def dispatch(
    context: dg.AssetExecutionContext, config: DispatchRunConfig, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    campaigns, errors = load_campaigns(settings.campaigns_dir)
    campaign = campaigns.get(config.campaign)
    if campaign is None:
        reasons = [str(e) for e in errors if e.path.stem == config.campaign] or ["no such campaign file"]
        raise dg.Failure(f"campaign {config.campaign!r} cannot run: {'; '.join(reasons)}")
    with Dispatcher(config_from_settings(settings)) as dispatcher:
        summary = dispatcher.tick(campaign)
    context.log.info(summary.line())
    return dg.MaterializeResult(
        metadata={
            "campaign": campaign.name,
            "dry_run": summary.dry_run,
            "dispatched": summary.dispatched,
            "would_dial": summary.would_dial,
            "failed": summary.failed,
            "unknown": summary.unknown,
            "skipped": dg.MetadataValue.json(dict(summary.skipped)),
            "reconciled": dg.MetadataValue.json(dict(summary.reconciled)),
            "stopped_because": summary.stopped_because or "",
        }
    )


@dg.asset(
    key=CAMPAIGN_DAILY,
    group_name=REVENUE_OPS,  # refreshed with the scorecard (journeys_and_revenue_ops, refresh_revenue_report)
    deps=[CALL_ATTEMPTS, CALL_FEATURES, CUSTOMER_JOURNEYS],
    kinds={KIND_DUCKDB},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    description="Campaign figures per lead-local day: attempts, connect rate, cap used, outcomes, capture rate.",
)
def campaign_daily(warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]) -> dg.MaterializeResult:
    campaigns, _ = load_campaigns(settings.campaigns_dir)
    with warehouse.get_connection() as conn:
        build_campaign_daily(conn, list(campaigns.values()))
        metadata = table_metadata(
            conn,
            table(CAMPAIGN_DAILY),
            columns=[
                "campaign",
                "local_day",
                "attempts",
                "cap_used",
                "cap",
                "connect_rate",
                "email_captured",
                "capture_rate",
            ],
        )
    return dg.MaterializeResult(metadata={**metadata, "sql": "sql/marts/campaign_daily.sql"})
