"""Benchmark: the dial queue (marts.dial_queue + marts.dial_exclusions) for N leads x 3 campaigns.

The inputs are written directly in SQL: marts.call_queue with N leads over nine US zones (1 % with
no zone, 1 % synthetic, 1 % fictional numbers), marts.lead_status (5 % closed), a suppression list
of N/50 numbers and a ledger of N/100 attempts. Three campaigns with different filters, caps and
windows are built at a weekday 15:00 UTC; then the Parquet hand-over to the dispatcher is timed.
Target (issue 10): 1,000,000 leads x 3 campaigns in <= 10 s.

    .venv/bin/python bench/dial_queue.py --leads 1000000
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

INPUTS_SQL = """
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE OR REPLACE TABLE marts.call_queue AS
SELECT i + 1 AS queue_position, 'L' || i AS lead_id, 'Clinic ' || i AS business_name,
       CASE WHEN i % 100 = 7 THEN '+1312555' || lpad(CAST(100 + i % 100 AS VARCHAR), 4, '0')
            ELSE '+1' || CAST(2012000000 + i AS VARCHAR) END AS phone_e164,
       NULL::VARCHAR AS email, NULL::VARCHAR AS website_domain,
       ['med spa', 'dental', 'plastic surgery'][1 + i % 3] AS vertical, 'City' AS city,
       ['NY', 'IL', 'CO', 'AZ', 'CA', 'TX', 'FL', 'WA', 'GA'][1 + i % 9] AS state,
       CASE WHEN i % 100 = 3 THEN NULL ELSE ['America/New_York', 'America/Chicago', 'America/Denver',
            'America/Phoenix', 'America/Los_Angeles', 'America/Chicago', 'America/New_York',
            'America/Los_Angeles', 'America/New_York'][1 + i % 9] END AS timezone,
       100.0 - (i % 5000) / 100.0 AS score, []::VARCHAR[] AS reasons, i % 100 = 5 AS is_synthetic,
       ['file', 'apify'][1 + i % 2] AS source
FROM range({leads}) t(i);
CREATE OR REPLACE TABLE marts.lead_status AS
SELECT lead_id, phone_e164, business_name, is_synthetic,
       CASE WHEN i % 20 = 1 THEN 'dnc' WHEN i % 20 = 2 THEN 'email_captured' ELSE 'open' END AS status,
       CAST(i % 3 AS BIGINT) AS attempts,
       CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2026-03-03 15:00:00' - to_hours(CAST(i % 48 AS BIGINT)) END
           AS last_call_ts,
       NULL::VARCHAR AS last_outcome, NULL::VARCHAR AS captured_email
FROM (SELECT *, row_number() OVER () - 1 AS i FROM marts.call_queue);
CREATE OR REPLACE TABLE marts.suppression_list AS
SELECT phone_e164, 'dnc_list' AS reason, 'bench' AS source, TIMESTAMP '2026-01-01' AS added_at
FROM marts.call_queue WHERE queue_position % 50 = 0;
"""

LEDGER_SQL = """
INSERT INTO raw.call_attempts (attempt_id, campaign, lead_id, phone_e164, local_day, planned_at, status, recorded_at)
SELECT 'att_' || i, ['spring', 'dental', 'west'][1 + i % 3], 'L' || (i * 10), NULL, DATE '2026-03-04',
       TIMESTAMP '2026-03-04 14:00:00', ['dispatched', 'failed', 'unknown'][1 + i % 3], now()
FROM range({attempts}) t(i);
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary warehouse")
    args = parser.parse_args()

    import duckdb

    from pipelines.campaigns.config import Campaign
    from pipelines.campaigns.queue import build_dial_queue
    from pipelines.platform.sql import run_sql_file

    base = {"agent_id": "agent_bench", "from_numbers": ["+14155550000"], "daily_cap": 5000}
    campaigns = [
        Campaign(name="spring", **base),
        Campaign(name="dental", verticals=["dental"], min_score=70, window_start="10:00", **base),
        Campaign(name="west", states=["CA", "WA", "AZ", "CO"], weekdays=["mon", "tue", "wed"], **base),
    ]
    now = datetime(2026, 3, 4, 18, 0, tzinfo=UTC)  # a Wednesday: 13:00 New York, 10:00 Los Angeles
    tmp = Path(tempfile.mkdtemp(prefix="eve-bench-dial-"))
    path = tmp / "warehouse.duckdb"
    try:
        with duckdb.connect(str(path)) as conn:
            t0 = time.perf_counter()
            conn.execute(INPUTS_SQL.format(leads=int(args.leads)))
            run_sql_file(conn, "raw/call_attempts.sql")
            conn.execute(LEDGER_SQL.format(attempts=int(args.leads) // 100))
            print(f"inputs: {args.leads:,} leads written in {time.perf_counter() - t0:.1f} s", flush=True)
            t1, c1 = time.perf_counter(), time.process_time()
            counts = build_dial_queue(conn, campaigns, now)
            build_s, build_cpu = time.perf_counter() - t1, time.process_time() - c1
            t2 = time.perf_counter()
            build_dial_queue(conn, campaigns, now, state_dir=tmp / "state")
            export_s = time.perf_counter() - t2 - build_s
            excluded = conn.execute("SELECT count(*) FROM marts.dial_exclusions").fetchone()[0]
        print(
            f"dial queue build: {build_s:.2f} s wall, {build_cpu:.2f} s CPU (all DuckDB threads) "
            f"for {args.leads:,} leads x {len(campaigns)} campaigns"
        )
        print(f"  queued per campaign: {counts.queued}; exclusion rows: {excluded:,}")
        for name, reasons in counts.excluded.items():
            top = ", ".join(f"{r} {n:,}" for r, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:5])
            print(f"  {name}: {top}")
        print(f"with the Parquet hand-over to the dispatcher: about +{export_s:.2f} s")
        print(f"load average: {os.getloadavg()[0]:.2f} (2 cores, shared)")
        verdict = "PASS" if build_s <= 10 else "OVER"
        print(f"summary: {verdict} target <= 10 s; warehouse {'kept at ' + str(path) if args.keep else 'removed'}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
