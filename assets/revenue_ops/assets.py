"""Revenue ops (group `revenue_ops`): how well the calls turn into email captures, and how fast.

* `marts.call_features`        — per call: answered, capture, time/turns to capture, close request,
  honest first-response latency beside Retell's own latency figures, objections;
* `marts.revenue_ops_daily`    — the scorecard per day (overall, and per campaign x prompt version);
* `marts.revenue_ops_summary`  — the scorecard over all days (overall, per campaign, per prompt
  version, per campaign x prompt version), with the original's smoothed objective score;
* `reports/revenue_ops_report` — `$DATA_DIR/revenue_ops/latest.{json,md,png}`, also shown as
  the asset's metadata in the Dagster UI.

Definitions live in the SQL (`sql/marts/call_features.sql`, `sql/marts/macros/revenue_ops_metrics.sql`).
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.platform.catalog import (
    CALL_FEATURES,
    CAMPAIGN_DAILY,
    CUSTOMER_JOURNEYS,
    LINE_SIGNALS,
    PROMPT_VERSION_STATS,
    REVENUE_OPS,
    REVENUE_OPS_DAILY,
    REVENUE_OPS_REPORT,
    REVENUE_OPS_SUMMARY,
    STAGING_CALLS,
    STAGING_TRANSCRIPT_LINES,
    table,
)
from pipelines.platform.conventions import KIND_DUCKDB, KIND_FILE, KIND_PYTHON, OWNERS, WAREHOUSE_POOL, asset_tags
from pipelines.platform.factory import model_asset
from pipelines.platform.metadata import row_count, table_metadata
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql, run_sql_file
from pipelines.reports.revenue_ops_report import markdown_with_inline_chart, write_report

GROUP = REVENUE_OPS
POOL = WAREHOUSE_POOL

SCORECARD_COLUMNS = [
    "grain",
    "day",
    "campaign_id",
    "prompt_version",
    "calls",
    "answered_calls",
    "email_capture_rate",
    "direct_email_capture_rate",
    "first_response_latency_p95_ms",
    "objective_score",
]


def _scorecard_checks(conn, table_name: str) -> list[dg.AssetCheckResult]:
    bad_rates, bad_scores, bad_counts = conn.execute(
        read_sql("marts/macros/scorecard_checks.sql"), {"table": table_name}
    ).fetchone()
    return [
        dg.AssetCheckResult(check_name="rates_are_fractions", passed=bad_rates == 0, metadata={"bad_rows": bad_rates}),
        dg.AssetCheckResult(check_name="score_within_0_100", passed=bad_scores == 0, metadata={"bad_rows": bad_scores}),
        dg.AssetCheckResult(check_name="counts_nest", passed=bad_counts == 0, metadata={"bad_rows": bad_counts}),
    ]


def _scorecard_specs(key: dg.AssetKey) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(name, asset=key, blocking=True)
        for name in ("rates_are_fractions", "score_within_0_100", "counts_nest")
    ]


@dg.asset(
    key=CALL_FEATURES,
    group_name=GROUP,
    deps=[STAGING_CALLS, STAGING_TRANSCRIPT_LINES, LINE_SIGNALS, CUSTOMER_JOURNEYS],
    kinds={KIND_DUCKDB},
    pool=POOL,
    owners=OWNERS,
    tags=asset_tags(),
    check_specs=[dg.AssetCheckSpec("one_row_per_call", asset=CALL_FEATURES, blocking=True)],
    description="Per call: answered, email capture, time/turns to capture, close request, first-response latency.",
)
def call_features(context: dg.AssetExecutionContext, warehouse: DuckDBResource) -> dg.MaterializeResult:
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        run_sql_file(conn, "marts/call_features.sql")
        rows = row_count(conn, table(CALL_FEATURES))
        calls = row_count(conn, table(STAGING_CALLS))
        answered = conn.execute(read_sql("marts/call_features/answered.sql")).fetchone()[0]
        metadata = table_metadata(
            conn,
            table(CALL_FEATURES),
            columns=[
                "call_id",
                "day",
                "answered",
                "email_captured",
                "direct_email_captured",
                "time_to_email_capture_s",
                "turns_to_capture",
                "first_response_latency_ms",
            ],
        )
    return dg.MaterializeResult(
        metadata={**metadata, "answered_calls": answered, "sql": "sql/marts/call_features.sql"},
        check_results=[
            dg.AssetCheckResult(
                check_name="one_row_per_call", passed=rows == calls, metadata={"features": rows, "calls": calls}
            )
        ],
    )


def _scorecard_asset(key: dg.AssetKey, sql_name: str, description: str) -> dg.AssetsDefinition:
    table_name = table(key)
    return model_asset(
        key=key,
        group=GROUP,
        sql=sql_name,
        deps=[CALL_FEATURES],
        prepare=["marts/schema.sql", "marts/macros/revenue_ops_metrics.sql"],
        columns=SCORECARD_COLUMNS if "daily" in table_name else [c for c in SCORECARD_COLUMNS if c != "day"],
        limit=15,
        check_specs=_scorecard_specs(key),
        inspect=lambda conn: ({}, _scorecard_checks(conn, table_name)),
        description=description,
    )


revenue_ops_daily = _scorecard_asset(
    REVENUE_OPS_DAILY,
    "marts/revenue_ops_daily.sql",
    "The revenue-ops scorecard per UTC day: overall and per campaign x prompt version.",
)
revenue_ops_summary = _scorecard_asset(
    REVENUE_OPS_SUMMARY,
    "marts/revenue_ops_summary.sql",
    "The revenue-ops scorecard over all days: overall, per campaign, per prompt version, per both.",
)


@dg.asset(
    key=REVENUE_OPS_REPORT,
    group_name=GROUP,
    # campaign and prompt sections read their marts when they exist
    deps=[REVENUE_OPS_DAILY, REVENUE_OPS_SUMMARY, CAMPAIGN_DAILY, PROMPT_VERSION_STATS],
    kinds={KIND_PYTHON, KIND_FILE},
    pool=POOL,  # any DuckDB connection holds the file: queue with the writers
    owners=OWNERS,
    tags=asset_tags(),
    description="$DATA_DIR/revenue_ops/latest.json, latest.md and latest.png (capture rate and latency by day).",
)
def revenue_ops_report(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> dg.MaterializeResult:
    with warehouse.get_connection() as conn:
        run_sql_file(conn, "marts/schema.sql")
        files = write_report(conn, settings.revenue_ops_dir, trend_days=settings.revenue_ops_trend_days)
    summary = files.report["summary"]
    context.log.info("revenue-ops report written to %s", files.md_path)
    return dg.MaterializeResult(
        metadata={
            "report_md": dg.MetadataValue.path(str(files.md_path)),
            "report_json": dg.MetadataValue.path(str(files.json_path)),
            "chart_png": dg.MetadataValue.path(str(files.png_path)),
            "objective_score": float(summary.get("objective_score") or 0.0),
            "email_capture_rate": float(summary.get("email_capture_rate") or 0.0),
            "answered_calls": int(summary.get("answered_calls") or 0),
            "report": dg.MetadataValue.md(markdown_with_inline_chart(files)),
        }
    )
