"""The lead factory's invariants as queries (the asset checks call these; tests sabotage tables
and call them to prove they can fail)."""

from __future__ import annotations

from typing import Any

from pipelines.platform.sql import read_sql


def scores_outside_range(conn: Any) -> int:
    return conn.execute(read_sql("marts/lead_scores/check_range.sql")).fetchone()[0]


def qualified_not_in_scores(conn: Any) -> int:
    return conn.execute(read_sql("marts/qualified_leads/check_in_scores.sql")).fetchone()[0]


def queue_problems(conn: Any) -> tuple[int, int]:
    """(duplicate phones, suppressed numbers) in the call queue."""
    duplicates, suppressed = conn.execute(read_sql("marts/call_queue/checks.sql")).fetchone()
    return int(duplicates), int(suppressed)


class RawChangedDuringStaging(RuntimeError):
    """The raw lead tables changed while staging read them (the raw record is fetched by row_id)."""


def raise_if_raw_records_missing(conn: Any) -> None:
    """Fail the staging step when a staged row lost its raw record (`staging/leads/record_check.sql`)."""
    leads_missing, rejects_missing = conn.execute(read_sql("staging/leads/record_check.sql")).fetchone()
    if leads_missing or rejects_missing:
        raise RawChangedDuringStaging(
            f"raw lead records changed while staging read them ({leads_missing} leads and {rejects_missing} "
            "rejects lost their raw record): rerun staging"
        )


def reject_accounting(conn: Any) -> dict[str, int]:
    """raw records = records represented by staging.leads (merged_records) + staging rejects;
    and no reject without a reason."""
    raw_total, merged, staging_rejects, unexplained = conn.execute(
        read_sql("staging/lead_rejects/accounting.sql")
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
