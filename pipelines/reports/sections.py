"""Report sections beyond the scorecard: the capture reconciliation, campaigns and prompt versions.

Each `*_section` reads its rows from the warehouse (SQL in sql/marts/); the optional ones return
None when their mart does not exist yet (no campaign or prompt lineage materialized), so the report
says nothing rather than something empty. Each `render_*` turns the JSON-able section into markdown.
"""

from __future__ import annotations

from typing import Any

from pipelines.platform.metadata import column_schema, table_exists
from pipelines.platform.sql import read_sql
from pipelines.prompts.stats import challenger_statement
from pipelines.reports.markdown import markdown_table

CAMPAIGN_OUTCOMES = ("email_captured", "dnc", "callback", "not_interested", "voicemail", "no_answer", "other")


def _rows(conn: Any, sql_name: str) -> list[dict[str, Any]]:
    cursor = conn.execute(read_sql(sql_name))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def capture_reconciliation(conn: Any) -> dict[str, Any]:
    """The scorecard's email captures against the journeys' email_captured outcomes, on the same calls."""
    # the campaign mart's ensure step may have left a placeholder call_features without these columns
    built = table_exists(conn, "marts.call_features") and {"outcome", "email_captured"} <= {
        c.name for c in column_schema(conn, "marts.call_features").columns
    }
    rows = _rows(conn, "marts/revenue_ops_summary/capture_reconciliation.sql") if built else []
    captures = sum(int(r["captures"]) for r in rows)
    by_outcome = {r["outcome"]: int(r["captures"]) for r in rows if r["outcome"] != "email_captured" and r["captures"]}
    kept = next((int(r["captures"]) for r in rows if r["outcome"] == "email_captured"), 0)
    journey_only = sum(int(r["journey_only"]) for r in rows)
    return {
        "email_captures": captures,
        "captures_ending_otherwise": by_outcome,
        "journey_email_captured_without_capture": journey_only,
        "journey_email_captured": kept + journey_only,
    }


def render_capture_reconciliation(rec: dict[str, Any]) -> str:
    """'Email captures (answered calls with an address in a caller line) 37, of which 3 ended dnc → …'."""
    other = rec["captures_ending_otherwise"]
    text = f"Email captures (answered calls with an address in a caller line) {rec['email_captures']}"
    if other:
        text += ", of which " + ", ".join(f"{n} ended {o}" for o, n in sorted(other.items()))
    text += f" → journeys with outcome email_captured {rec['journey_email_captured']}"
    if rec["journey_email_captured_without_capture"]:
        text += (
            f" (including {rec['journey_email_captured_without_capture']} without a caller-line capture: "
            "the agent recorded the address, or the call was not answered)"
        )
    return (
        text
        + ". A journey's outcome is its highest-precedence signal, so a capture on a call that ends dnc counts as dnc."
    )


def campaign_section(conn: Any) -> list[dict[str, Any]] | None:
    """Per campaign: attempts, connect rate, cap used (latest day), calls by outcome, capture rate."""
    if not table_exists(conn, "marts.campaign_daily"):
        return None
    return _rows(conn, "marts/campaign_daily/report_rows.sql") or None


def _rate(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):.1%}"


def render_campaigns(rows: list[dict[str, Any]]) -> list[str]:
    table = markdown_table(
        [
            "campaign",
            "attempts",
            "connected",
            "connect rate",
            "cap used (latest day)",
            *CAMPAIGN_OUTCOMES,
            "capture rate",
        ],
        [
            (
                r["campaign"],
                r["attempts"],
                r["connected"],
                _rate(r["connect_rate"]),
                f"{r['cap_used']} / {r['cap'] if r['cap'] is not None else 'n/a'} ({r['latest_day']})",
                *(r[o] for o in CAMPAIGN_OUTCOMES),
                _rate(r["capture_rate"]),
            )
            for r in rows
        ],
    )
    return ["## Campaigns", "", table, ""]


def prompt_section(conn: Any) -> list[dict[str, Any]] | None:
    """Per prompt version: capture rate with its interval and the comparison with its parent."""
    if not table_exists(conn, "marts.prompt_version_stats"):
        return None
    rows = _rows(conn, "marts/prompt_version_stats/report_rows.sql")
    for row in rows:
        row["statement"] = challenger_statement(row).removeprefix(", ")
    return rows or None


def render_prompt_versions(rows: list[dict[str, Any]]) -> list[str]:
    table = markdown_table(
        ["version", "answered", "email capture [95 % interval]", "dnc rate", "against its parent"],
        [
            (
                r["prompt_version"],
                r["calls"],
                f"{_rate(r['email_capture_rate'])} [{_rate(r['email_capture_low'])}–{_rate(r['email_capture_high'])}]",
                _rate(r["dnc_rate"]),
                r["statement"] or (f"no clear difference from {r['compared_with']}" if r["compared_with"] else "-"),
            )
            for r in rows
        ],
    )
    return ["## Prompt versions", "", table, ""]
