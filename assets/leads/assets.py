"""Lead factory assets (group `leads`): lead files / HTTP / Apify → staging.leads → scores → call queue.

raw.lead_records (+ raw.lead_ingest_rejects)   files in $DATA_DIR/inbox/leads, LEAD_SOURCE_URLS
raw.dnc_entries                                DNC files in $DATA_DIR/inbox/dnc
staging.leads (+ staging.lead_rejects)         normalised, deduped, E.164, timezone; reads raw.synthetic_leads too
marts.suppression_list                         never-call numbers (journeys add `dnc` outcomes)
marts.lead_scores → marts.qualified_leads → marts.call_queue, marts.lead_summary
marts.n8n_lead_deliveries                      side effect: pushes the queue to n8n (own job)

Assets are thin: SQL lives in `sql/`, file handling in `pipelines/leads/`. Every writer is in the
warehouse pool and returns row count, column schema and a preview; cheap invariants are asset checks.
"""

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.leads import checks
from pipelines.leads.dnc import ingest_dnc_file, is_dnc_file
from pipelines.leads.files import ensure_raw_tables, ingest_lead_file, is_lead_file, load_records, reject_source
from pipelines.leads.geography import register_reference_tables
from pipelines.leads.http_source import fetch_lead_records
from pipelines.leads.icp import scoring_parameters
from pipelines.leads.n8n import push_call_queue
from pipelines.leads.phones_bulk import build_phone_lookup
from pipelines.platform.catalog import (
    CALL_QUEUE as QUEUE,
)
from pipelines.platform.catalog import (
    CUSTOMER_JOURNEYS,
    LEAD_SUMMARY,
    LEADS,
    N8N_LEAD_DELIVERIES,
    STAGING_LEADS,
    SYNTHETIC_LEADS,
    table,
)
from pipelines.platform.catalog import (
    LEAD_SCORES as SCORES,
)
from pipelines.platform.catalog import (
    QUALIFIED_LEADS as QUALIFIED,
)
from pipelines.platform.catalog import (
    RAW_DNC_ENTRIES as RAW_DNC,
)
from pipelines.platform.catalog import (
    RAW_LEAD_INGEST_REJECTS as RAW_REJECTS,
)
from pipelines.platform.catalog import (
    RAW_LEAD_RECORDS as RAW_LEADS,
)
from pipelines.platform.catalog import (
    STAGING_LEAD_REJECTS as STAGING_REJECTS,
)
from pipelines.platform.catalog import (
    STAGING_LEAD_WARNINGS as STAGING_WARNINGS,
)
from pipelines.platform.catalog import (
    SUPPRESSION_LIST as SUPPRESSION,
)
from pipelines.platform.conventions import KIND_DUCKDB, KIND_N8N, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.factory import model_asset
from pipelines.platform.metadata import table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql, run_sql_file
from vocabulary.phones import FICTIONAL_NATIONAL_PATTERN

GROUP = LEADS
POOL = WAREHOUSE_POOL
KINDS = {KIND_DUCKDB}
SPEC = {"kinds": KINDS, "owners": OWNERS, "tags": asset_tags()}
ASSET = {"group_name": GROUP, "pool": POOL, **SPEC}
Settings = dg.ResourceParam[PipelineSettings]


class LeadFilesConfig(dg.Config):
    """Which lead files to (re)read: None = every lead file in $DATA_DIR/inbox/leads plus the
    HTTP sources (LEAD_SOURCE_URLS); a list = exactly those files ([] = none)."""

    paths: list[str] | None = None


class DncFilesConfig(dg.Config):
    """Which DNC files to (re)read: None = every file in $DATA_DIR/inbox/dnc; a list = exactly those."""

    paths: list[str] | None = None


class QueueConfig(dg.Config):
    """Overrides of LEAD_MIN_SCORE / LEAD_TOP_K for one run (None = the setting)."""

    min_score: float | None = None
    top_k: int | None = None


def _inbox_files(folder: Path, accept) -> list[Path]:
    return sorted(p for p in folder.glob("*") if accept(p)) if folder.is_dir() else []


@dg.multi_asset(
    specs=[
        dg.AssetSpec(RAW_LEADS, description="Every lead record as its source delivered it (JSON).", **SPEC),
        dg.AssetSpec(
            RAW_REJECTS, description="Lead/DNC files and rows that could not be read, with the reason.", **SPEC
        ),
    ],
    group_name=GROUP,
    pool=POOL,
    can_subset=False,
)
def lead_records(
    context: dg.AssetExecutionContext, config: LeadFilesConfig, warehouse: DuckDBResource, settings: Settings
):
    """Read lead files (CSV/TSV/JSON/JSONL, Apify exports) and HTTP JSON sources into raw tables."""
    everything = config.paths is None
    paths = _inbox_files(settings.lead_inbox_dir, is_lead_file) if everything else [Path(p) for p in config.paths]
    # fetch HTTP sources before connecting: a slow source never holds the warehouse's write lock
    fetches = (
        [fetch_lead_records(url, timeout=settings.lead_http_timeout_seconds) for url in settings.lead_source_url_list]
        if everything
        else []
    )
    reports = []
    with warehouse.get_connection() as conn:
        ensure_raw_tables(conn)
        for path in paths:
            reports.append(ingest_lead_file(conn, path, max_bytes=settings.lead_max_file_bytes))
        if fetches:
            for fetched in fetches:
                if fetched.error:
                    reports.append(
                        reject_source(
                            conn, source="http", source_file=fetched.url, reason=fetched.error, keep_records=True
                        )
                    )
                else:
                    reports.append(load_records(conn, fetched.records, source="http", source_file=fetched.url))
        for report in reports:
            if report.file_error:
                context.log.warning(f"rejected {report.source_file}: {report.file_error}")
            else:
                context.log.info(
                    f"{report.source_file}: {report.loaded} loaded, {report.rejected} rejected"
                    + (f" (read as {report.encoding}, not UTF-8)" if report.encoding != "utf-8" else "")
                )
        files_md = (
            "\n".join(
                f"- `{r.source_file}` ({r.source}): {r.loaded} loaded, {r.rejected} rejected"
                + (f" — **{r.file_error}**" if r.file_error else "")
                for r in reports
            )
            or "_(no files)_"
        )
        summary = {
            "files_read": dg.MetadataValue.int(len(reports)),
            "records_loaded": dg.MetadataValue.int(sum(r.loaded for r in reports)),
            "records_rejected": dg.MetadataValue.int(sum(r.rejected for r in reports)),
            "files": dg.MetadataValue.md(files_md),
        }
        yield dg.MaterializeResult(
            asset_key=RAW_LEADS,
            metadata=table_metadata(
                conn, table(RAW_LEADS), columns="source, source_file, record_no, record", **summary
            ),
        )
        yield dg.MaterializeResult(
            asset_key=RAW_REJECTS,
            metadata=table_metadata(conn, table(RAW_REJECTS), order_by="rejected_at DESC, source_file, record_no"),
        )


@dg.asset(
    key=RAW_DNC,
    **ASSET,
    deps=[RAW_REJECTS],
    description="Numbers from the do-not-call files in $DATA_DIR/inbox/dnc.",
)
def dnc_entries(
    context: dg.AssetExecutionContext, config: DncFilesConfig, warehouse: DuckDBResource, settings: Settings
):
    """Numbers from the do-not-call files in $DATA_DIR/inbox/dnc (CSV with a `phone` column, or one per line)."""
    paths = (
        _inbox_files(settings.dnc_inbox_dir, is_dnc_file) if config.paths is None else [Path(p) for p in config.paths]
    )
    with warehouse.get_connection() as conn:
        ensure_raw_tables(conn)
        run_sql_file(conn, "raw/dnc_entries.sql")
        reports = [ingest_dnc_file(conn, path, max_bytes=settings.lead_max_file_bytes) for path in paths]
        for report in reports:
            context.log.info(
                f"DNC {report.source_file}: {report.loaded} numbers, {report.rejected} rejected"
                + (f" ({report.file_error})" if report.file_error else "")
            )
        return dg.MaterializeResult(
            metadata=table_metadata(
                conn,
                table(RAW_DNC),
                columns="source_file, line_no, phone_e164",
                files_read=dg.MetadataValue.int(len(reports)),
                numbers_rejected=dg.MetadataValue.int(sum(r.rejected for r in reports)),
            )
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            STAGING_LEADS,
            deps=[RAW_LEADS, SYNTHETIC_LEADS],
            **SPEC,
            description="One row per business: E.164 phone, domain, email, vertical, state, IANA timezone, raw record.",
        ),
        dg.AssetSpec(
            STAGING_WARNINGS,
            deps=[RAW_LEADS, SYNTHETIC_LEADS],
            **SPEC,
            description="Cells left empty (not a number, not a phone...) and file notes; the leads were kept.",
        ),
        dg.AssetSpec(
            STAGING_REJECTS,
            deps=[RAW_LEADS, RAW_REJECTS, SYNTHETIC_LEADS],
            **SPEC,
            description="Every lead input that did not become a staging.leads row, with the reason.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "rejects_explained",
            asset=STAGING_REJECTS,
            description="Every reject has a reason; every raw record is a lead, merged into one, or rejected.",
        ),
    ],
    group_name=GROUP,
    pool=POOL,
    can_subset=False,
)
def staged_leads(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """Normalise and dedupe every raw lead record (files, HTTP, Apify and the synthetic world)."""
    params = scoring_parameters()
    with warehouse.get_connection() as conn:
        ensure_raw_tables(conn)
        register_reference_tables(conn)
        run_sql_file(conn, "staging/leads/macros.sql")
        run_sql_file(conn, "staging/leads/fields.sql", {"truthy": params["truthy"]})
        run_sql_file(conn, "staging/leads/phone_inputs.sql")
        build_phone_lookup(conn)
        run_sql_file(conn, "staging/leads/keys.sql")
        run_sql_file(conn, "staging/leads/winners.sql")
        run_sql_file(
            conn,
            "staging/leads.sql",
            {
                "high_ticket_re": params["high_ticket_re"],
                "keyword_forms": params["keyword_forms"],
                "keyword_canonicals": params["keyword_canonicals"],
                "generic_local_parts": params["generic_local_parts"],
                "fictional_re": r"\+1" + FICTIONAL_NATIONAL_PATTERN,
            },
        )
        run_sql_file(conn, "staging/lead_rejects.sql")
        run_sql_file(conn, "staging/lead_warnings.sql")
        checks.raise_if_raw_records_missing(conn)
        counts = checks.reject_accounting(conn)
        fast = conn.execute(read_sql("staging/leads/phone_lookup_stats.sql")).fetchone()
        yield dg.MaterializeResult(
            asset_key=STAGING_LEADS,
            metadata=table_metadata(
                conn,
                table(STAGING_LEADS),
                columns="lead_id, business_name, phone_e164, website_domain, email, vertical, state, timezone, source",
                order_by="lead_id",
                records_in=dg.MetadataValue.int(counts["raw_records"]),
                phones_fast_path=dg.MetadataValue.int(int(fast[0])),
                phones_distinct=dg.MetadataValue.int(int(fast[1])),
            ),
        )
        yield dg.MaterializeResult(
            asset_key=STAGING_REJECTS,
            metadata=table_metadata(
                conn,
                table(STAGING_REJECTS),
                columns="stage, source_file, record_no, reason",
                order_by="source_file, record_no",
            ),
        )
        yield dg.MaterializeResult(
            asset_key=STAGING_WARNINGS,
            metadata=table_metadata(
                conn,
                "staging.lead_warnings",
                columns="source_file, record_no, field, value, reason",
                order_by="source_file, record_no",
            ),
        )
        yield dg.AssetCheckResult(
            asset_key=STAGING_REJECTS,
            check_name="rejects_explained",
            passed=checks.rejects_explained(counts),
            metadata=counts,
        )


suppression_list = model_asset(
    key=SUPPRESSION,
    group=GROUP,
    sql="marts/suppression_list.sql",
    deps=[RAW_DNC, CUSTOMER_JOURNEYS],
    prepare=["raw/dnc_entries.sql", "marts/customer_journeys/ensure.sql"],
    order_by="added_at",
    description="Numbers that must never be called: DNC files plus `dnc` call outcomes.",
)


@dg.asset(
    key=SCORES,
    **ASSET,
    deps=[STAGING_LEADS],
    description="ICP score of every lead (0..100) with the reasons behind it.",
    check_specs=[dg.AssetCheckSpec("score_within_0_100", asset=SCORES)],
)
def lead_scores(context: dg.AssetExecutionContext, warehouse: DuckDBResource):
    """ICP score of every lead (whole-word keywords, reasons listed), clamped to 0..100."""
    params = scoring_parameters()
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/lead_scores.sql", {"pain_re": params["pain_re"]})
        outside = checks.scores_outside_range(conn)
        yield dg.MaterializeResult(
            metadata=table_metadata(
                conn,
                table(SCORES),
                columns="lead_id, business_name, vertical, score, reasons",
                order_by="score DESC, lead_id",
            )
        )
        yield dg.AssetCheckResult(
            check_name="score_within_0_100", passed=bool(outside == 0), metadata={"scores_outside": int(outside)}
        )


def _queue_settings(config: QueueConfig, settings: PipelineSettings) -> tuple[float, int]:
    min_score = settings.lead_min_score if config.min_score is None else config.min_score
    top_k = settings.lead_top_k if config.top_k is None else config.top_k
    return float(min_score), max(0, int(top_k))


@dg.asset(
    key=QUALIFIED,
    **ASSET,
    deps=[SCORES],
    description="Ad-active, high-ticket leads able to pay, scoring at least LEAD_MIN_SCORE.",
    check_specs=[dg.AssetCheckSpec("qualified_subset_of_scored", asset=QUALIFIED)],
)
def qualified_leads(
    context: dg.AssetExecutionContext, config: QueueConfig, warehouse: DuckDBResource, settings: Settings
):
    """Ad-active, high-ticket, can pay 5k-10k/mo, score >= min_score (LEAD_MIN_SCORE)."""
    min_score, _ = _queue_settings(config, settings)
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/qualified_leads.sql", {"min_score": min_score})
        strays = checks.qualified_not_in_scores(conn)
        yield dg.MaterializeResult(
            metadata=table_metadata(
                conn,
                table(QUALIFIED),
                columns="lead_id, business_name, vertical, score",
                order_by="score DESC, lead_id",
                min_score=dg.MetadataValue.float(min_score),
            )
        )
        yield dg.AssetCheckResult(
            check_name="qualified_subset_of_scored", passed=bool(strays == 0), metadata={"not_in_scores": int(strays)}
        )


@dg.asset(
    key=QUEUE,
    **ASSET,
    deps=[QUALIFIED, SUPPRESSION],
    description="The best LEAD_TOP_K callable qualified leads: one row per phone, none suppressed.",
    check_specs=[
        dg.AssetCheckSpec("unique_phones", asset=QUEUE, blocking=True),
        dg.AssetCheckSpec("no_suppressed_numbers", asset=QUEUE, blocking=True),
    ],
)
def call_queue(context: dg.AssetExecutionContext, config: QueueConfig, warehouse: DuckDBResource, settings: Settings):
    """The best top_k (LEAD_TOP_K) callable qualified leads: one row per phone, none suppressed."""
    _, top_k = _queue_settings(config, settings)
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/suppression_list/ensure.sql")
        run_sql_file(conn, "marts/call_queue.sql", {"top_k": top_k})
        duplicates, suppressed = checks.queue_problems(conn)
        yield dg.MaterializeResult(
            metadata=table_metadata(
                conn,
                table(QUEUE),
                columns="queue_position, lead_id, business_name, phone_e164, score, is_synthetic",
                order_by="queue_position",
                top_k=dg.MetadataValue.int(top_k),
            )
        )
        yield dg.AssetCheckResult(
            check_name="unique_phones", passed=bool(duplicates == 0), metadata={"duplicate_phones": int(duplicates)}
        )
        yield dg.AssetCheckResult(
            check_name="no_suppressed_numbers",
            passed=bool(suppressed == 0),
            metadata={"suppressed_in_queue": int(suppressed)},
        )


@dg.asset(
    key=LEAD_SUMMARY,
    **ASSET,
    deps=[SCORES, QUALIFIED, QUEUE, STAGING_REJECTS, STAGING_WARNINGS],
    description="One row: records loaded, rejected and warned about, leads scored, qualified, queued, suppressed, why nothing was queued.",
)
def lead_summary(context: dg.AssetExecutionContext, config: QueueConfig, warehouse: DuckDBResource, settings: Settings):
    """One row: records loaded and rejected, warnings, leads scored, qualified, queued, suppressed, and
    why nothing was queued when nothing was."""
    min_score, top_k = _queue_settings(config, settings)
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/lead_summary.sql", {"min_score": min_score, "top_k": top_k})
        return dg.MaterializeResult(metadata=table_metadata(conn, table(LEAD_SUMMARY)))


@dg.asset(
    key=N8N_LEAD_DELIVERIES,
    group_name=GROUP,
    pool=POOL,
    kinds={KIND_DUCKDB, KIND_N8N},
    owners=OWNERS,
    tags=asset_tags(side_effect=True),
    deps=[QUEUE],
    description="Side effect: POST undelivered call-queue leads to N8N_LEAD_WEBHOOK_URL; this table is the ledger.",
)
def n8n_lead_deliveries(context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: Settings):
    """Side effect: POST undelivered call-queue leads to N8N_LEAD_WEBHOOK_URL in batches (ledger = this table)."""
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/n8n_lead_deliveries.sql")
        if not settings.n8n_lead_webhook_url:
            context.log.info("N8N_LEAD_WEBHOOK_URL is not set: nothing pushed")
            return dg.MaterializeResult(
                metadata=table_metadata(
                    conn, table(N8N_LEAD_DELIVERIES), pushed=dg.MetadataValue.text("disabled (no webhook URL)")
                )
            )
        report = push_call_queue(
            conn,
            settings.n8n_lead_webhook_url,
            batch_size=settings.n8n_batch_size,
            max_attempts=settings.n8n_max_attempts,
            backoff_seconds=settings.n8n_backoff_seconds,
            timeout=settings.n8n_timeout_seconds,
        )
        context.log.info(f"n8n: {report.delivered_leads} leads in {report.delivered_batches} batches")
        return dg.MaterializeResult(
            metadata=table_metadata(
                conn,
                table(N8N_LEAD_DELIVERIES),
                order_by="delivered_at DESC",
                batches_sent=dg.MetadataValue.int(report.delivered_batches),
                leads_sent=dg.MetadataValue.int(report.delivered_leads),
            )
        )
