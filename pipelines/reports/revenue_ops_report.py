"""The revenue-ops report: `latest.json`, `latest.md` and `latest.png` under $DATA_DIR/revenue_ops/.

Built from `marts.revenue_ops_summary` and `marts.revenue_ops_daily`: the numbers, the trend over
the last days, the top objections, and the next actions (`pipelines/reports/actions.py`); plus the
sections of `pipelines/reports/sections.py` (captures reconciled with journey outcomes; campaigns and
prompt versions when their marts exist). Files are
written atomically (temp file + rename) so a reader never sees half a report.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from contracts.atomic import atomic_write_bytes
from pipelines.platform.sql import read_sql
from pipelines.reports.actions import recommended_actions
from pipelines.reports.chart import render_chart
from pipelines.reports.markdown import markdown_table
from pipelines.reports.sections import (
    campaign_section,
    capture_reconciliation,
    prompt_section,
    render_campaigns,
    render_capture_reconciliation,
    render_prompt_versions,
)

OBJECTIVE_FUNCTION = {
    "maximize": ["email_capture_rate", "direct_email_capture_rate", "close_request_rate", "close_to_email_rate"],
    "minimize": ["time_to_email_capture", "turns_to_capture", "first_response_latency"],
}
TREND_METRICS = (
    "email_capture_rate",
    "direct_email_capture_rate",
    "close_request_rate",
    "first_response_latency_p95_ms",
    "objective_score",
)
HEADLINE = (
    ("calls", "Calls"),
    ("answered_calls", "Answered calls"),
    ("email_captures", "Email captures"),
    ("direct_email_captures", "Direct email captures"),
    ("email_capture_rate", "Email capture rate"),
    ("direct_email_capture_rate", "Direct email capture rate"),
    ("close_request_rate", "Close request rate"),
    ("close_to_email_rate", "Close to email rate"),
    ("time_to_email_capture_p50_s", "Time to capture p50 (s)"),
    ("time_to_email_capture_p95_s", "Time to capture p95 (s)"),
    ("turns_to_capture_p50", "Turns to capture p50"),
    ("turns_to_capture_p95", "Turns to capture p95"),
    ("objective_score", "Objective score (0-100)"),
)


@dataclass(frozen=True, slots=True)
class ReportFiles:
    json_path: Path
    md_path: Path
    png_path: Path
    report: dict[str, Any]
    markdown: str


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _rows(conn: Any, sql_name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(read_sql(sql_name), params) if params else conn.execute(read_sql(sql_name))
    names = [d[0] for d in cursor.description]
    return [_jsonable(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def _trend(days: list[dict[str, Any]]) -> dict[str, Any]:
    """Latest day versus the day before, per trend metric (None where either is missing)."""
    if len(days) < 2:
        return {"latest_day": days[-1]["day"] if days else None, "previous_day": None, "deltas": {}}
    last, prev = days[-1], days[-2]
    deltas = {}
    for metric in TREND_METRICS:
        a, b = last.get(metric), prev.get(metric)
        deltas[metric] = None if a is None or b is None else round(a - b, 4)
    return {"latest_day": last["day"], "previous_day": prev["day"], "deltas": deltas}


def build_report(conn: Any, trend_days: int = 14) -> dict[str, Any]:
    """The report as a JSON-able dict (needs marts.revenue_ops_summary and marts.revenue_ops_daily)."""
    summary_rows = _rows(conn, "marts/revenue_ops_summary/report_rows.sql")
    overall = next((r for r in summary_rows if r["grain"] == "all"), None)
    days = _rows(conn, "marts/revenue_ops_daily/report_days.sql", {"days": max(1, int(trend_days))})
    if overall is None:  # no calls at all: an honest empty report
        overall = {
            "grain": "all",
            "calls": 0,
            "answered_calls": 0,
            "objective_score": 0.0,
            "email_capture_rate": 0.0,
            "direct_email_capture_rate": 0.0,
            "close_request_rate": 0.0,
            "close_to_email_rate": 0.0,
            "close_requests": 0,
            "objection_counts": {},
            "first_response_latency_band": "unknown",
        }
    objections = overall.get("objection_counts") or {}
    top = sorted(objections.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return {
        "report": "revenue_ops",
        "generated_at_utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "as_of_day": days[-1]["day"] if days else None,
        "objective_function": OBJECTIVE_FUNCTION,
        "summary": overall,
        "by_campaign": [r for r in summary_rows if r["grain"] == "campaign"],
        "by_prompt_version": [r for r in summary_rows if r["grain"] == "prompt_version"],
        "daily": days,
        "trend": _trend(days),
        "top_objections": [{"objection": k, "calls": v} for k, v in top],
        "recommended_actions": recommended_actions(overall),
        "capture_reconciliation": _jsonable(capture_reconciliation(conn)),
        "campaigns": _jsonable(campaign_section(conn)),
        "prompt_versions": _jsonable(prompt_section(conn)),
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def render_markdown(report: dict[str, Any], chart_ref: str | None = "latest.png") -> str:
    s = report["summary"]
    lines = [f"# Revenue ops — as of {report['as_of_day'] or 'no calls yet'}", ""]
    lines += [
        "## Scorecard",
        "",
        markdown_table(["metric", "value"], [(label, _fmt(s.get(key))) for key, label in HEADLINE]),
        "",
    ]
    if report.get("capture_reconciliation"):
        lines += [render_capture_reconciliation(report["capture_reconciliation"]), ""]
    lines += [
        "## Latency",
        "",
        markdown_table(
            ["figure", "ms"],
            [
                ("First response p50 (caller stops → agent starts)", _fmt(s.get("first_response_latency_p50_ms"))),
                ("First response p95", _fmt(s.get("first_response_latency_p95_ms"))),
                ("Retell e2e p50 (median of calls)", _fmt(s.get("retell_e2e_p50_ms"))),
                ("Retell llm p50 (median of calls)", _fmt(s.get("retell_llm_p50_ms"))),
            ],
        ),
        "",
        f"Band (first-response p95): **{s.get('first_response_latency_band', 'unknown')}** "
        "(<700 excellent, 700–999 good, 1000–1499 warning, ≥1500 poor)",
        "",
    ]
    trend = report["trend"]
    lines += ["## Trend", ""]
    if trend["previous_day"]:
        lines.append(
            f"{trend['latest_day']} versus {trend['previous_day']}: "
            + ", ".join(f"{m} {'+' if (d or 0) >= 0 else ''}{_fmt(d)}" for m, d in trend["deltas"].items())
        )
        lines.append("")
    lines.append(
        markdown_table(
            ["day", "calls", "answered", "capture rate", "direct rate", "FR p50", "FR p95", "e2e p50", "score"],
            [
                (
                    d["day"],
                    d["calls"],
                    d["answered_calls"],
                    _fmt(d["email_capture_rate"]),
                    _fmt(d["direct_email_capture_rate"]),
                    _fmt(d["first_response_latency_p50_ms"]),
                    _fmt(d["first_response_latency_p95_ms"]),
                    _fmt(d["retell_e2e_p50_ms"]),
                    _fmt(d["objective_score"]),
                )
                for d in report["daily"]
            ],
        )
    )
    lines.append("")
    if chart_ref:
        lines += [f"![capture rate and latency by day]({chart_ref})", ""]
    lines += ["## Top objections", ""]
    if report["top_objections"]:
        lines.append(
            markdown_table(
                ["objection", "answered calls"], [(o["objection"], o["calls"]) for o in report["top_objections"]]
            )
        )
    else:
        lines.append("No objections met.")
    lines.append("")
    for title, key, col in (
        ("By campaign", "by_campaign", "campaign_id"),
        ("By prompt version", "by_prompt_version", "prompt_version"),
    ):
        if report[key]:
            lines += [
                f"## {title}",
                "",
                markdown_table(
                    [col, "calls", "answered", "capture rate", "direct rate", "FR p95", "score"],
                    [
                        (
                            r[col],
                            r["calls"],
                            r["answered_calls"],
                            _fmt(r["email_capture_rate"]),
                            _fmt(r["direct_email_capture_rate"]),
                            _fmt(r["first_response_latency_p95_ms"]),
                            _fmt(r["objective_score"]),
                        )
                        for r in report[key]
                    ],
                ),
                "",
            ]
    if report.get("campaigns"):
        lines += render_campaigns(report["campaigns"])
    if report.get("prompt_versions"):
        lines += render_prompt_versions(report["prompt_versions"])
    lines += ["## Next actions", ""] + [f"- {a}" for a in report["recommended_actions"]] + [""]
    return "\n".join(lines)


def write_report(conn: Any, out_dir: Path, trend_days: int = 14) -> ReportFiles:
    """Build the report and write latest.json, latest.md and latest.png into ``out_dir``."""
    report = build_report(conn, trend_days)
    png = render_chart(report["daily"], out_dir / "latest.png")
    markdown = render_markdown(report)
    json_path, md_path = out_dir / "latest.json", out_dir / "latest.md"
    atomic_write_bytes(json_path, json.dumps(report, indent=2, sort_keys=True).encode("utf-8"))
    atomic_write_bytes(md_path, markdown.encode("utf-8"))
    return ReportFiles(json_path=json_path, md_path=md_path, png_path=png, report=report, markdown=markdown)


def markdown_with_inline_chart(files: ReportFiles) -> str:
    """The report markdown with the chart embedded as a data URI (for the Dagster UI)."""
    encoded = base64.b64encode(files.png_path.read_bytes()).decode("ascii")
    return render_markdown(files.report, chart_ref=f"data:image/png;base64,{encoded}")
