"""What one `make leads` run produced, for its summary: usable records from the given inputs,
the cell-level warnings, and why nothing was queued (from `marts.lead_summary`).

`nothing usable` (exit status 3) means no record of the given input files became a lead: every
file or row was rejected (empty, binary, undecodable, no identity columns...).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.leads.files import source_file_name

EXIT_NOTHING_USABLE = 3
_SHOWN = 5


@dataclass
class RunOutcome:
    usable_records: int
    warning_count: int
    warnings: list[tuple[str, int | None, str | None, str | None, str]]
    not_queued_reason: str | None


def read_outcome(conn: Any, inputs: list[Path]) -> RunOutcome:
    files = [source_file_name(p) for p in inputs]
    usable = conn.execute(
        "SELECT (SELECT count(*) FROM raw.lead_records WHERE list_contains($files, source_file))"
        " - (SELECT count(*) FROM staging.lead_rejects WHERE stage = 'staging' AND list_contains($files, source_file))",
        {"files": files},
    ).fetchone()[0]
    warning_count = conn.execute("SELECT count(*) FROM staging.lead_warnings").fetchone()[0]
    warnings = conn.execute(
        "SELECT source_file, record_no, field, value, reason FROM staging.lead_warnings"
        " ORDER BY record_no NULLS FIRST, source_file LIMIT ?",
        [_SHOWN],
    ).fetchall()
    reason = conn.execute("SELECT not_queued_reason FROM marts.lead_summary").fetchone()[0]
    return RunOutcome(int(usable), int(warning_count), warnings, reason)


def warning_lines(outcome: RunOutcome) -> list[str]:
    """Human lines for the warnings (the first few; the table has them all)."""
    if not outcome.warning_count:
        return []
    lines = [f"warnings: {outcome.warning_count} (cells left empty, file notes) in staging.lead_warnings"]
    for source_file, record_no, field, value, reason in outcome.warnings:
        where = source_file + (f" #{record_no}" if record_no is not None else "")
        cell = f" {field}={value!r}" if field else ""
        lines.append(f"  warning {where}{cell}: {reason}")
    return lines
