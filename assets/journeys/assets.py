"""Journeys (group `journeys`): what every call meant for its lead.

* `marts.line_signals`      — the shared vocabulary's reading of every caller line (emails, DNC,
  close requests, objections); Python over distinct texts, joined back in SQL;
* `marts.customer_journeys` — one row per call: lead (by metadata lead_id, else E.164 phone),
  outcome by `vocabulary.outcomes.OUTCOME_PRECEDENCE`, objections met, outcome_ts = call end;
* `marts.lead_status`       — per lead: current status, attempts, last call time;
* `marts.journey_outcome_deliveries` — the optional n8n outcome push and its delivered ledger.

The suppression list (`marts.suppression_list`, group `leads`) reads the `dnc` journeys, so a
number that asked not to be called leaves every queue. SQL lives in `sql/marts/`.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.journeys.line_signals import signals_frame, vocabulary_version
from pipelines.journeys.outcome_push import PushConfig, push_pending
from pipelines.platform.catalog import (
    CUSTOMER_JOURNEYS,
    JOURNEYS,
    LEAD_STATUS,
    LINE_SIGNALS,
    STAGING_CALLS,
    STAGING_LEADS,
    STAGING_TOOL_EVENTS,
    STAGING_TRANSCRIPT_LINES,
    table,
)
from pipelines.platform.catalog import JOURNEY_OUTCOME_DELIVERIES as OUTCOME_DELIVERIES
from pipelines.platform.conventions import KIND_DUCKDB, KIND_N8N, KIND_PYTHON, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.factory import model_asset
from pipelines.platform.key_checks import unique_key_result, unique_key_spec
from pipelines.platform.metadata import row_count, table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql, run_sql_file
from vocabulary.emails import is_generic_email
from vocabulary.outcomes import LEAD_STATUSES, OUTCOME_PRECEDENCE

GROUP = JOURNEYS
POOL = WAREHOUSE_POOL


def _generic_email_udf(address: str | None) -> bool | None:
    return None if address is None else is_generic_email(address)


def register_journey_udfs(conn) -> None:
    """UDFs the journeys SQL calls (vocabulary functions on the rare rows SQL cannot judge)."""
    try:
        conn.create_function(
            "eve_is_generic_email",
            _generic_email_udf,
            ["VARCHAR"],
            "BOOLEAN",
            null_handling="special",
            side_effects=False,
        )
    except Exception as exc:  # already registered on this connection
        if "already exists" not in str(exc):
            raise


@dg.asset(
    key=LINE_SIGNALS,
    group_name=GROUP,
    deps=[STAGING_TRANSCRIPT_LINES],
    kinds={KIND_DUCKDB, KIND_PYTHON},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    description="Signals of every caller line (email, DNC, close request, objections) from vocabulary/.",
)
def line_signals(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    version = vocabulary_version()
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        run_sql_file(conn, "marts/line_signal_cache.sql")
        run_sql_file(conn, "marts/line_signal_cache/expire.sql", {"vocabulary_version": version})
        texts = [row[0] for row in conn.execute(read_sql("marts/line_signal_cache/new_texts.sql")).fetchall()]
        frame = signals_frame(texts)
        conn.register("text_signals", frame)
        try:
            run_sql_file(conn, "marts/line_signal_cache/insert.sql", {"vocabulary_version": version})
        finally:
            conn.unregister("text_signals")
        run_sql_file(conn, "marts/line_signals.sql")
        cached = row_count(conn, "marts.line_signal_cache")
        metadata = table_metadata(
            conn,
            table(LINE_SIGNALS),
            columns=["call_id", "idx", "user_turn", "email", "is_dnc", "is_close_request", "objections"],
        )
    new_with_signal = int(frame["has_signal"].sum()) if len(frame) else 0
    context.log.info(
        "classified %d new distinct caller texts (%d carry a signal); %d cached", len(texts), new_with_signal, cached
    )
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "new_texts_classified": len(texts),
            "new_texts_with_signal": new_with_signal,
            "cached_texts": cached,
            "vocabulary_version": version,
            "sql": "sql/marts/line_signals.sql",
        }
    )


@dg.asset(
    key=CUSTOMER_JOURNEYS,
    group_name=GROUP,
    deps=[STAGING_CALLS, STAGING_TOOL_EVENTS, STAGING_LEADS, LINE_SIGNALS],
    kinds={KIND_DUCKDB},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    check_specs=[
        dg.AssetCheckSpec("one_row_per_call", asset=CUSTOMER_JOURNEYS, blocking=True),
        dg.AssetCheckSpec("outcomes_in_vocabulary", asset=CUSTOMER_JOURNEYS, blocking=True),
        dg.AssetCheckSpec("outcome_ts_is_call_time", asset=CUSTOMER_JOURNEYS),
    ],
    description="One row per call: lead, outcome by the shared precedence, objections, outcome_ts = call end.",
)
def customer_journeys(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    precedence = [o.value for o in OUTCOME_PRECEDENCE]
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        register_journey_udfs(conn)
        run_sql_file(conn, "marts/customer_journeys.sql", {"precedence": precedence})
        rows = row_count(conn, table(CUSTOMER_JOURNEYS))
        calls, distinct_calls, unknown, bad_ts, matched = conn.execute(
            read_sql("marts/customer_journeys/checks.sql"), {"precedence": precedence}
        ).fetchone()
        by_outcome = dict(conn.execute(read_sql("marts/customer_journeys/by_outcome.sql")).fetchall())
        metadata = table_metadata(
            conn,
            table(CUSTOMER_JOURNEYS),
            columns=["call_id", "lead_id", "lead_match", "outcome", "captured_email", "objections", "outcome_ts"],
        )
    return dg.MaterializeResult(
        metadata={
            **metadata,
            "outcomes": dg.MetadataValue.json(by_outcome),
            "calls_matched_to_a_lead": matched,
            "sql": "sql/marts/customer_journeys.sql",
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="one_row_per_call",
                passed=rows == calls == distinct_calls,
                metadata={"journeys": rows, "calls": calls, "distinct_call_ids": distinct_calls},
            ),
            dg.AssetCheckResult(
                check_name="outcomes_in_vocabulary", passed=unknown == 0, metadata={"unknown_outcomes": unknown}
            ),
            dg.AssetCheckResult(
                check_name="outcome_ts_is_call_time",
                passed=bad_ts == 0,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"bad_outcome_ts": bad_ts},
            ),
        ],
    )


def _lead_status_inspect(conn) -> tuple[dict, list[dg.AssetCheckResult]]:
    by_status = dict(conn.execute(read_sql("marts/lead_status/by_status.sql")).fetchall())
    unknown = sorted(set(by_status) - set(LEAD_STATUSES))
    check = dg.AssetCheckResult(
        check_name="statuses_in_vocabulary", passed=not unknown, metadata={"unknown_statuses": unknown}
    )
    return {"statuses": dg.MetadataValue.json(by_status)}, [check]


lead_status = model_asset(
    key=LEAD_STATUS,
    group=GROUP,
    sql="marts/lead_status.sql",
    deps=[CUSTOMER_JOURNEYS, STAGING_LEADS],
    prepare=["marts/schema.sql"],
    columns=["lead_id", "phone_e164", "status", "attempts", "last_call_ts", "last_outcome"],
    check_specs=[dg.AssetCheckSpec("statuses_in_vocabulary", asset=LEAD_STATUS, blocking=True)],
    inspect=_lead_status_inspect,
    description="Per lead: current status (dnc, email_captured, not_interested, callback, open), attempts, last call.",
)


@dg.asset(
    key=OUTCOME_DELIVERIES,
    group_name=GROUP,
    deps=[CUSTOMER_JOURNEYS],
    kinds={KIND_DUCKDB, KIND_N8N},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(side_effect=True),
    check_specs=[
        unique_key_spec(
            OUTCOME_DELIVERIES,
            "call_id_unique",
            "BLOCKING: one ledger row per call_id (no key constraint on DuckLake).",
        )
    ],
    description="Side effect: optional n8n push of new journey rows (N8N_OUTCOME_WEBHOOK_URL), each delivered once; the ledger.",
)
def journey_outcome_deliveries(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        conn.execute(read_sql("marts/journey_outcome_deliveries.sql"))
        if not settings.n8n_outcome_webhook_url:
            context.log.info("N8N_OUTCOME_WEBHOOK_URL is not set: outcome push disabled")
            return dg.MaterializeResult(
                metadata=table_metadata(
                    conn, table(OUTCOME_DELIVERIES), columns="*", push="disabled", delivered_this_run=0
                ),
                check_results=[_deliveries_key_result(conn)],
            )
        config = PushConfig(
            url=settings.n8n_outcome_webhook_url,
            batch_size=settings.n8n_outcome_batch_size,
            max_attempts=settings.n8n_outcome_max_attempts,
            backoff_seconds=settings.n8n_outcome_backoff_seconds,
            timeout_seconds=settings.n8n_outcome_timeout_seconds,
        )
        report = push_pending(conn, config)
        metadata = table_metadata(
            conn,
            table(OUTCOME_DELIVERIES),
            push="enabled",
            delivered_this_run=report.delivered,
            batches_this_run=report.batches,
        )
        keys = _deliveries_key_result(conn)
    context.log.info("delivered %d journey rows in %d batches", report.delivered, report.batches)
    return dg.MaterializeResult(metadata=metadata, check_results=[keys])


def _deliveries_key_result(conn) -> dg.AssetCheckResult:
    return unique_key_result(
        conn, OUTCOME_DELIVERIES, "call_id_unique", "marts/journey_outcome_deliveries/key_check.sql"
    )
