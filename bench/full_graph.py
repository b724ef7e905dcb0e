"""Benchmark: the full call-data graph on N synthetic calls, wall time per step and peak RSS.

synthetic world (the `synthetic_world` asset with SYNTHETIC_CALLS=N → landing zone) → call sync
(landing → raw → staging) → journeys → revenue ops → report, i.e. `make money`'s selection
(`pipelines.commands.report`, without publishing the serving copy so the figure compares with earlier runs), on a fresh DATA_DIR/warehouse, timed as one wall-clock figure. Targets: 10k calls ≤ 20 s, 100k calls ≤ 90 s.

    .venv/bin/python bench/full_graph.py --calls 10000
    .venv/bin/python bench/full_graph.py --calls 100000 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def run(n_calls: int, n_clinics: int, data_dir: Path) -> dict:
    os.environ["DATA_DIR"] = str(data_dir)
    os.environ.pop("WAREHOUSE_PATH", None)
    os.environ.pop("N8N_OUTCOME_WEBHOOK_URL", None)
    import logging

    logging.getLogger("dagster").setLevel(logging.WARNING)

    os.environ["SYNTHETIC_CALLS"] = str(n_calls)
    os.environ["SYNTHETIC_CLINICS"] = str(n_clinics)
    os.environ["SYNTHETIC_BOOTSTRAP"] = "true"  # the synthetic world is part of the measured graph
    from pipelines.commands.materialize import materialize_and_publish
    from pipelines.commands.report import report_selection
    from pipelines.platform.settings import PipelineSettings

    settings = PipelineSettings()
    t1 = time.perf_counter()
    result = materialize_and_publish(settings, report_selection(settings), publish=False).result
    t_graph = time.perf_counter() - t1
    if not result.success:
        raise SystemExit("the graph failed; rerun without --quiet to see the step errors")
    steps = {}
    for event in result.all_events:
        if event.event_type_value == "STEP_SUCCESS":
            steps[event.step_key] = round(event.event_specific_data.duration_ms / 1000.0, 2)
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (
                "staging.calls",
                "staging.transcript_lines",
                "marts.line_signals",
                "marts.customer_journeys",
                "marts.call_features",
                "marts.revenue_ops_daily",
            )
        }
    return {
        "calls": n_calls,
        "clinics": n_clinics,
        "graph_s": round(t_graph, 2),
        "peak_rss_mib": round(_peak_rss_mib(), 1),
        "steps_s": dict(sorted(steps.items(), key=lambda kv: -kv[1])),
        "rows": counts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--clinics", type=int, default=0, help="default: calls // 20, at least 50")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temporary folder, removed after")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    clinics = args.clinics or max(50, min(args.calls // 20, 4000))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="eve-bench-"))
    try:
        figures = run(args.calls, clinics, data_dir)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)
    if args.json:
        print(json.dumps(figures))
    else:
        print(
            f"{figures['calls']} calls: full graph {figures['graph_s']} s wall, peak RSS {figures['peak_rss_mib']} MiB"
        )
        for step, seconds in figures["steps_s"].items():
            print(f"  {step:<40} {seconds:>7.2f} s")
        print(f"  rows: {figures['rows']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
