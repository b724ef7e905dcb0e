"""`make leads INPUT=path`: score lead files end to end and say where the queue went.

    python -m pipelines.commands.leads --input leads.csv [--input more.json] [--min-score 60] [--top-k 500]

Runs the real `leads` assets in process (ingest → staging → scores → qualified → call queue, plus
the DNC inbox and suppression list) against the warehouse of `WAREHOUSE_PATH`/`DATA_DIR`, writes
the queue as CSV to `$DATA_DIR/leads/call_queue.csv`, publishes the serving copy (embedded file
only; on DuckLake analysts read the lake live) and prints a summary (warnings, and why nothing was queued when nothing was). With `--push`, also delivers the
queue to `N8N_LEAD_WEBHOOK_URL`. The run takes the warehouse first (`pipelines/platform/warehouse_lock.py`):
when another command holds it, it says `waiting for the warehouse (held by …)` and waits up to
`--wait` seconds (0 = fail at once); on DuckLake there is no lock, and a lake that cannot be
attached is one line before the run. Exit code 2 when no input file exists, 1 when the run fails or
the warehouse stays busy, 3 when nothing usable was loaded from the inputs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dagster as dg

from pipelines.commands.materialize import materialize_and_publish
from pipelines.leads.run_outcome import EXIT_NOTHING_USABLE, read_outcome, warning_lines
from pipelines.platform.catalog import (
    CALL_QUEUE,
    LEAD_SCORES,
    LEAD_SUMMARY,
    N8N_LEAD_DELIVERIES,
    QUALIFIED_LEADS,
    RAW_DNC_ENTRIES,
    RAW_LEAD_INGEST_REJECTS,
    RAW_LEAD_RECORDS,
    STAGING_LEAD_REJECTS,
    STAGING_LEAD_WARNINGS,
    STAGING_LEADS,
    SUPPRESSION_LIST,
)
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import read_sql
from pipelines.platform.warehouse import WarehouseUnavailable, describe_warehouse, open_warehouse
from pipelines.platform.warehouse_lock import WarehouseBusy, hold_configured_warehouse

LEAD_FACTORY = dg.AssetSelection.assets(
    RAW_LEAD_RECORDS,
    RAW_LEAD_INGEST_REJECTS,
    RAW_DNC_ENTRIES,
    STAGING_LEADS,
    STAGING_LEAD_REJECTS,
    STAGING_LEAD_WARNINGS,
    SUPPRESSION_LIST,
    LEAD_SCORES,
    QUALIFIED_LEADS,
    CALL_QUEUE,
    LEAD_SUMMARY,
)

DEFAULT_WAIT_SECONDS = 600.0
# the only domain whose definitions the lead factory loads (its other inputs are read as tables)
LEAD_DOMAINS = ("leads",)


def lead_selection(push: bool) -> dg.AssetSelection:
    """The lead factory; with ``push`` also the n8n delivery (a side effect the operator asked for)."""
    return LEAD_FACTORY | dg.AssetSelection.assets(N8N_LEAD_DELIVERIES) if push else LEAD_FACTORY


def run(
    inputs: list[Path],
    *,
    min_score: float | None,
    top_k: int | None,
    push: bool,
    out=sys.stdout,
    settings: PipelineSettings | None = None,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> int:
    settings = settings or PipelineSettings()
    missing = [p for p in inputs if not p.exists()]
    if missing or not inputs:
        print(f"no such input file: {', '.join(map(str, missing)) or '(none given)'}", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        with hold_configured_warehouse(settings, purpose="make leads", wait_seconds=wait_seconds):
            return _run_holding_warehouse(settings, inputs, min_score=min_score, top_k=top_k, push=push, out=out)
    except (WarehouseBusy, WarehouseUnavailable) as exc:
        print(f"lead factory not run: {exc}", file=sys.stderr)
        return 1


def _run_holding_warehouse(settings: PipelineSettings, inputs: list[Path], *, min_score, top_k, push: bool, out) -> int:
    queue_config = {"min_score": min_score, "top_k": top_k}
    run_config = {
        "ops": {
            "lead_records": {"config": {"paths": [str(p) for p in inputs]}},
            "raw__dnc_entries": {"config": {"paths": None}},
            "marts__qualified_leads": {"config": queue_config},
            "marts__call_queue": {"config": queue_config},
            "marts__lead_summary": {"config": queue_config},
        },
        # Dagster's own console lines would repeat each failure as a long traceback; the summary
        # below prints every failed step's reason instead.
        "loggers": {"console": {"config": {"log_level": "CRITICAL"}}},
    }
    outcome = materialize_and_publish(
        settings, lead_selection(push), run_config=run_config, domains=LEAD_DOMAINS, progress=out
    )
    if not outcome.success:
        print("lead factory run FAILED:", file=sys.stderr)
        for step, message in outcome.failures():
            print(f"  {step}: {message}", file=sys.stderr)
        return 1
    queue_csv = settings.lead_queue_csv
    queue_csv.parent.mkdir(parents=True, exist_ok=True)
    conn = open_warehouse(settings)
    try:
        conn.execute(read_sql("marts/call_queue/export_csv.sql"), [str(queue_csv)])
        summary = conn.execute("SELECT * FROM marts.lead_summary").fetchdf().iloc[0]
        rejects = conn.execute(read_sql("staging/lead_rejects/first.sql")).fetchall()
        lead_outcome = read_outcome(conn, inputs)
    finally:
        conn.close()
    print(
        f"lead factory: {summary.records_loaded} records loaded, {summary.records_rejected} rejected "
        f"-> {summary.leads_scored} leads scored, {summary.qualified} qualified "
        f"(min score {summary.min_score:g})",
        file=out,
    )
    for source_file, record_no, reason in rejects:
        print(
            f"  rejected {source_file}" + (f" #{record_no}" if record_no is not None else "") + f": {reason}", file=out
        )
    for line in warning_lines(lead_outcome):
        print(line, file=out)
    print(
        f"call queue: {summary.queued} leads (top {summary.top_k}, {summary.suppressed_excluded} suppressed "
        f"numbers left out, {summary.queued_synthetic} synthetic)",
        file=out,
    )
    if lead_outcome.not_queued_reason:
        print(f"  nothing queued: {lead_outcome.not_queued_reason}", file=out)
    print(f"  table  marts.call_queue in {describe_warehouse(settings)}", file=out)
    print(f"  csv    {queue_csv}", file=out)
    if settings.lake is None:
        print(f"  serving copy {settings.serving_file} (open it with `make sql`)", file=out)
    else:
        print("  analysts read the lake live (open it with `make sql`)", file=out)
    if push:
        print("  n8n push: see marts.n8n_lead_deliveries", file=out)
    if lead_outcome.usable_records == 0:
        print(
            f"lead factory: nothing usable loaded from {', '.join(map(str, inputs))} (see the rejects above)",
            file=sys.stderr,
        )
        return EXIT_NOTHING_USABLE
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score lead files end to end into marts.call_queue.")
    parser.add_argument("--input", action="append", default=[], type=Path, help="lead file (repeatable)")
    parser.add_argument("--min-score", type=float, default=None, help="override LEAD_MIN_SCORE")
    parser.add_argument("--top-k", type=int, default=None, help="override LEAD_TOP_K")
    parser.add_argument("--push", action="store_true", help="also deliver the queue to N8N_LEAD_WEBHOOK_URL")
    parser.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_WAIT_SECONDS,
        help=f"seconds to wait for a busy warehouse (default {DEFAULT_WAIT_SECONDS:g}; 0 = fail at once)",
    )
    args = parser.parse_args(argv)
    return run(args.input, min_score=args.min_score, top_k=args.top_k, push=args.push, wait_seconds=args.wait)


if __name__ == "__main__":
    sys.exit(main())
