"""Benchmark: journeys + revenue ops + report alone, on a worst-case staging set built in SQL.

N calls x L transcript lines (half of them caller lines, every caller text DISTINCT, so the
vocabulary pass cannot lean on repeated lines), with emails, DNC requests, objections and close
requests sprinkled in. Measures only this domain's assets (the upstream is written directly): a cold run, then a warm
rerun whose caller texts are all in marts.line_signal_cache.

    .venv/bin/python bench/journeys_revenue_ops.py --calls 100000 --lines 10
    .venv/bin/python bench/journeys_revenue_ops.py --calls 10000 --lines 10 --lake   # on a scratch DuckLake
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STAGING_SQL = """
CREATE SCHEMA IF NOT EXISTS staging;
CREATE OR REPLACE TABLE staging.leads AS
SELECT 'L' || i AS lead_id, 'Clinic ' || i AS business_name, '+1214555' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS phone_e164,
       NULL::VARCHAR AS email, 'med_spa' AS vertical, 'Dallas' AS city, 'TX' AS state, 'America/Chicago' AS timezone,
       true AS is_synthetic
FROM range($calls // 2) t(i);
CREATE OR REPLACE TABLE staging.calls AS
SELECT 'call-' || i AS call_id, 'retell' AS sources, true AS is_synthetic, 'agent' AS agent_id, 'phone_call' AS call_type,
       'outbound' AS direction, CASE WHEN i % 10 = 0 THEN 'not_connected' ELSE 'ended' END AS call_status,
       '+14155550100' AS from_number_e164, '+1214555' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS to_number_e164,
       TIMESTAMP '2026-01-01 15:00:00' + to_minutes(CAST(i % 20160 AS BIGINT)) AS start_ts,
       TIMESTAMP '2026-01-01 15:01:00' + to_minutes(CAST(i % 20160 AS BIGINT)) AS end_ts, 60.0 AS duration_s,
       CASE WHEN i % 10 = 1 THEN 'voicemail_reached' ELSE 'user_hangup' END AS disconnection_reason,
       i % 10 = 1 AS in_voicemail, 'Neutral' AS user_sentiment, NULL::BOOLEAN AS call_successful, 0.1 AS cost_usd,
       600.0 + i % 700 AS latency_e2e_p50_ms, 900.0 AS latency_e2e_p95_ms, 400.0 + i % 300 AS latency_llm_p50_ms,
       700.0 AS latency_llm_p95_ms, CASE WHEN i % 3 = 0 THEN 'L' || (i // 2) END AS lead_id,
       'camp-' || (i % 3) AS campaign_id, 'v' || (i % 2) AS prompt_version, NULL::VARCHAR AS analysis_outcome,
       NULL::VARCHAR AS brain_outcome, NULL::VARCHAR AS brain_email, NULL::VARCHAR AS close_reason
FROM range($calls) t(i);
CREATE OR REPLACE TABLE staging.transcript_lines AS
SELECT 'call-' || c AS call_id, CAST(k AS INTEGER) AS idx, CASE WHEN k % 2 = 0 THEN 'agent' ELSE 'user' END AS role,
       CASE WHEN k % 2 = 0 THEN 'Thanks, could I get the best email for the manager?'
            WHEN (c + k) % 23 = 0 THEN 'sure it is manager' || c || ' at clinic' || c || ' dot com'
            WHEN (c + k) % 29 = 0 THEN 'info@clinic' || c || '.com or owner' || c || '@clinic' || c || '.com'
            WHEN (c + k) % 31 = 0 THEN 'please stop calling us, this is line ' || c
            WHEN (c + k) % 7 = 0 THEN 'how much does it cost for clinic ' || c || ' line ' || k
            WHEN (c + k) % 11 = 0 THEN 'we are busy right now, call back later, ref ' || c || '-' || k
            WHEN (c + k) % 13 = 0 THEN 'just send it over to us at clinic ' || c
            ELSE 'hmm okay, tell me more about that for clinic number ' || c || ' line ' || k END AS text,
       k * 3.0 + 0.2 AS start_s, k * 3.0 + 2.0 AS end_s, 'retell' AS source
FROM range($calls) a(c), range($lines) b(k)
WHERE c % 10 <> 0;
CREATE OR REPLACE TABLE staging.tool_events (call_id VARCHAR, idx INTEGER, tool_call_id VARCHAR, name VARCHAR,
    arguments JSON, result VARCHAR, successful BOOLEAN, source VARCHAR);
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--lake", action="store_true", help="run on a scratch DuckLake instead of a DuckDB file")
    args = parser.parse_args()
    from bench.scratch_lake import scratch_lake

    with scratch_lake(enabled=args.lake):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="eve-bench-jro-"))
    os.environ["DATA_DIR"] = str(data_dir)
    logging.getLogger("dagster").setLevel(logging.WARNING)
    try:
        import dagster as dg

        from assets.journeys.assets import customer_journeys, lead_status, line_signals
        from assets.revenue_ops.assets import call_features, revenue_ops_daily, revenue_ops_report, revenue_ops_summary
        from pipelines.platform.resources import build_resources
        from pipelines.platform.settings import PipelineSettings
        from pipelines.platform.warehouse import open_warehouse

        path = data_dir / "warehouse.duckdb"
        t0 = time.perf_counter()
        with open_warehouse(PipelineSettings(warehouse_path=path)) as conn:
            for statement in [s for s in STAGING_SQL.split(";") if s.strip()]:
                params = {k: v for k, v in {"calls": args.calls, "lines": args.lines}.items() if f"${k}" in statement}
                conn.execute(statement, params or None)
            n_lines = conn.execute("SELECT count(*) FROM staging.transcript_lines").fetchone()[0]
            n_user = conn.execute(
                "SELECT count(DISTINCT text) FROM staging.transcript_lines WHERE role = 'user'"
            ).fetchone()[0]
        t_fixture = time.perf_counter() - t0
        selection = [
            line_signals,
            customer_journeys,
            lead_status,
            call_features,
            revenue_ops_daily,
            revenue_ops_summary,
            revenue_ops_report,
        ]
        resources = build_resources(PipelineSettings(warehouse_path=path))
        t1 = time.perf_counter()
        result = dg.materialize(selection, resources=resources)
        elapsed = time.perf_counter() - t1
        t2 = time.perf_counter()
        dg.materialize(selection, resources=resources)  # warm: every caller text already cached
        warm = time.perf_counter() - t2
        steps = {
            e.step_key: round(e.event_specific_data.duration_ms / 1000.0, 2)
            for e in result.all_events
            if e.event_type_value == "STEP_SUCCESS"
        }
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        print(
            f"{args.calls} calls, {n_lines} lines ({n_user} distinct caller texts): fixture {t_fixture:.1f} s, "
            f"journeys + revenue ops + report {elapsed:.1f} s cold, {warm:.1f} s warm (rerun), peak RSS {rss:.0f} MiB"
        )
        print("  cold run steps:")
        for step, seconds in sorted(steps.items(), key=lambda kv: -kv[1]):
            print(f"  {step:<40} {seconds:>7.2f} s")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
