"""The lead factory's invariants as queries (the asset checks call these; tests sabotage tables
and call them to prove they can fail)."""

from __future__ import annotations

from typing import Any


def scores_outside_range(conn: Any) -> int:
    return conn.execute(
        "SELECT count(*) FROM marts.lead_scores WHERE score IS NULL OR score < 0 OR score > 100"
    ).fetchone()[0]


def qualified_not_in_scores(conn: Any) -> int:
    return conn.execute(
        "SELECT count(*) FROM marts.qualified_leads AS q WHERE NOT EXISTS "
        "(SELECT 1 FROM marts.lead_scores AS s WHERE s.lead_id = q.lead_id AND s.score = q.score)"
    ).fetchone()[0]


def queue_duplicate_phones(conn: Any) -> int:
    return conn.execute("SELECT count(*) - count(DISTINCT phone_e164) FROM marts.call_queue").fetchone()[0]


def queue_suppressed_numbers(conn: Any) -> int:
    return conn.execute(
        "SELECT count(*) FROM marts.call_queue AS q JOIN marts.suppression_list AS s USING (phone_e164)"
    ).fetchone()[0]


def reject_accounting(conn: Any) -> dict[str, int]:
    """raw records = records represented by staging.leads (merged_records) + staging rejects;
    and no reject without a reason."""
    raw_total, merged, staging_rejects, unexplained = conn.execute(
        "SELECT (SELECT count(*) FROM raw.lead_records) + (SELECT count(*) FROM raw.synthetic_leads),"
        " (SELECT coalesce(sum(merged_records), 0) FROM staging.leads),"
        " (SELECT count(*) FROM staging.lead_rejects WHERE stage = 'staging'),"
        " (SELECT count(*) FROM staging.lead_rejects WHERE coalesce(trim(reason), '') = '')"
    ).fetchone()
    return {
        "raw_records": int(raw_total),
        "represented_by_leads": int(merged),
        "rejected_in_staging": int(staging_rejects),
        "rejects_without_reason": int(unexplained),
    }


def rejects_explained(counts: dict[str, int]) -> bool:
    return (
        counts["rejects_without_reason"] == 0
        and counts["represented_by_leads"] + counts["rejected_in_staging"] == counts["raw_records"]
    )
