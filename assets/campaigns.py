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

Library: `pipelines/campaigns/`; SQL: `sql/marts/dial_*.sql`, `sql/raw/call_attempts*.sql`.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.campaigns.config import load_campaigns
from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import config_from_settings
from pipelines.campaigns.ledger import Ledger
from pipelines.campaigns.queue import build_campaign_daily, build_dial_queue, copy_ledger
from pipelines.reports.markdown import preview
from pipelines.settings import get_settings

GROUP = "campaigns"
POOL = "duckdb_write"

CALL_QUEUE = dg.AssetKey(["marts", "call_queue"])
LEAD_STATUS = dg.AssetKey(["marts", "lead_status"])
SUPPRESSION = dg.AssetKey(["marts", "suppression_list"])
CALL_ATTEMPTS = dg.AssetKey(["raw", "call_attempts"])
DIAL_QUEUE = dg.AssetKey(["marts", "dial_queue"])
DIAL_EXCLUSIONS = dg.AssetKey(["marts", "dial_exclusions"])
DISPATCH = dg.AssetKey(["campaigns", "dispatch"])
CALL_FEATURES = dg.AssetKey(["marts", "call_features"])
CUSTOMER_JOURNEYS = dg.AssetKey(["marts", "customer_journeys"])
CAMPAIGN_DAILY = dg.AssetKey(["marts", "campaign_daily"])


@dg.asset(
    key=CALL_ATTEMPTS,
    group_name=GROUP,
    kinds={"duckdb"},
    pool=POOL,
    description="The dispatcher's append-only attempt ledger, copied into the warehouse.",
)
def call_attempts(warehouse: DuckDBResource) -> dg.MaterializeResult:
    ledger = Ledger(get_settings().data_dir / "state")
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
            kinds={"duckdb"},
            description="Per campaign: who may be dialled right now, best first, within the day's cap.",
        ),
        dg.AssetSpec(
            DIAL_EXCLUSIONS,
            group_name=GROUP,
            deps=[CALL_QUEUE, LEAD_STATUS, SUPPRESSION, CALL_ATTEMPTS],
            kinds={"duckdb"},
            description="Per campaign: every call-queue lead not in the dial queue, with the reason.",
        ),
    ],
    pool=POOL,
)
def dial_queue(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    settings = get_settings()
    campaigns, errors = load_campaigns(settings.campaigns_dir)
    for error in errors:
        context.log.error("campaign file rejected, nothing of it is queued: %s", error)
    with warehouse.get_connection() as conn:
        counts = build_dial_queue(conn, list(campaigns.values()), state_dir=settings.data_dir / "state")
        md = preview(conn, "marts.dial_queue", ["campaign", "dial_rank", "lead_id", "timezone", "score"])
    common = {"campaigns": sorted(campaigns), "rejected_files": [str(e) for e in errors]}
    yield dg.MaterializeResult(
        asset_key=DIAL_QUEUE,
        metadata={
            **common,
            "dagster/row_count": sum(counts.queued.values()),
            "queued": dg.MetadataValue.json(counts.queued),
            "preview": dg.MetadataValue.md(md),
        },
    )
    yield dg.MaterializeResult(
        asset_key=DIAL_EXCLUSIONS,
        metadata={
            **common,
            "dagster/row_count": sum(sum(r.values()) for r in counts.excluded.values()),
            "reasons": dg.MetadataValue.json(counts.excluded),
        },
    )


class DispatchRunConfig(dg.Config):
    campaign: str


@dg.asset(
    key=DISPATCH,
    group_name=GROUP,
    deps=[DIAL_QUEUE],
    kinds={"python"},
    description="One dispatch tick of one campaign through Retell (side effect; DRY_RUN rules apply).",
)
def dispatch(context: dg.AssetExecutionContext, config: DispatchRunConfig) -> dg.MaterializeResult:
    settings = get_settings()
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
    group_name="revenue_ops",  # refreshed with the scorecard (journeys_and_revenue_ops, money)
    deps=[CALL_ATTEMPTS, CALL_FEATURES, CUSTOMER_JOURNEYS],
    kinds={"duckdb"},
    pool=POOL,
    description="Campaign figures per lead-local day: attempts, connect rate, cap used, outcomes, capture rate.",
)
def campaign_daily(warehouse: DuckDBResource) -> dg.MaterializeResult:
    campaigns, _ = load_campaigns(get_settings().campaigns_dir)
    with warehouse.get_connection() as conn:
        rows = build_campaign_daily(conn, list(campaigns.values()))
        md = preview(
            conn,
            "marts.campaign_daily",
            ["campaign", "local_day", "attempts", "cap_used", "cap", "connect_rate", "email_captured", "capture_rate"],
        )
    return dg.MaterializeResult(
        metadata={"dagster/row_count": rows, "sql": "sql/marts/campaign_daily.sql", "preview": dg.MetadataValue.md(md)}
    )
