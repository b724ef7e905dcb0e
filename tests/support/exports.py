"""Hand-made marts for the export tests: `marts.lead_status`, `staging.calls` and
`marts.customer_journeys` with the columns the export's source queries read, in the test's real
warehouse (the DuckDB file at ``path`` or the DuckLake of `warehouse_backend`)."""

from __future__ import annotations

from pathlib import Path

from tests.support.warehouse import connect, execute

__all__ = ["DDL", "OUTCOME_CYCLE", "execute", "write_marts"]

DDL = """
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.lead_status (
    lead_id VARCHAR, phone_e164 VARCHAR, business_name VARCHAR, is_synthetic BOOLEAN, status VARCHAR,
    attempts BIGINT, last_call_ts TIMESTAMP, last_outcome VARCHAR, captured_email VARCHAR
);
CREATE OR REPLACE TABLE staging.calls (
    call_id VARCHAR, lead_id VARCHAR, campaign_id VARCHAR, prompt_version VARCHAR, is_synthetic BOOLEAN,
    direction VARCHAR, call_status VARCHAR, from_number_e164 VARCHAR, to_number_e164 VARCHAR,
    start_ts TIMESTAMP, end_ts TIMESTAMP, duration_s DOUBLE, disconnection_reason VARCHAR, cost_usd DOUBLE
);
CREATE OR REPLACE TABLE marts.customer_journeys (
    call_id VARCHAR, lead_id VARCHAR, outcome VARCHAR, outcome_ts TIMESTAMP, captured_email VARCHAR,
    captured_email_is_generic BOOLEAN, objections VARCHAR[], follow_up_allowed BOOLEAN
);
"""

OUTCOME_CYCLE = ["callback", "email_captured", "not_interested", "voicemail", "no_answer", "dnc", "other"]


def write_marts(path: Path, leads: int, calls: int) -> Path:
    """Deterministic marts: ``leads`` leads, ``calls`` calls (call i belongs to lead i % leads)."""
    with connect(path) as conn:
        conn.execute(DDL)
        conn.execute(
            """
            INSERT INTO marts.lead_status
            SELECT printf('L%08d', i), printf('+1214%07d', i), 'Clinic ' || i, i % 2 = 0,
                   'open', 0, NULL, NULL, NULL
            FROM range($n) AS t(i)
            """,
            {"n": leads},
        )
        conn.execute(
            """
            INSERT INTO staging.calls
            SELECT printf('C%08d', i), printf('L%08d', i % $leads), 'camp-a', 'v1', true, 'outbound', 'ended',
                   '+14155550100', printf('+1214%07d', i % $leads),
                   TIMESTAMP '2026-11-20 15:00:00' + to_seconds(i), TIMESTAMP '2026-11-20 15:01:00' + to_seconds(i),
                   60.0, 'user_hangup', 0.12
            FROM range($n) AS t(i)
            """,
            {"n": calls, "leads": max(leads, 1)},
        )
        conn.execute(
            """
            INSERT INTO marts.customer_journeys
            SELECT printf('C%08d', i), printf('L%08d', i % $leads), $cycle[1 + i % 7],
                   TIMESTAMP '2026-11-20 15:01:00' + to_seconds(i),
                   CASE WHEN i % 7 = 1 THEN 'owner' || i || '@clinic.example' END,
                   CASE WHEN i % 7 = 1 THEN false END,
                   CASE WHEN i % 7 = 0 THEN ['bad_time'] ELSE []::VARCHAR[] END,
                   i % 7 <> 5
            FROM range($n) AS t(i)
            """,
            {"n": calls, "leads": max(leads, 1), "cycle": OUTCOME_CYCLE},
        )
    return path
