"""Warehouse round trip on both backends: run journeys + revenue ops, reopen the warehouse read-only in
another process (the DuckDB file, or the DuckLake attached afresh), recount; rerun changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys

from test_revenue_ops_metrics import section10_world

from assets.journeys.assets import customer_journeys, lead_status, line_signals
from assets.revenue_ops.assets import call_features, revenue_ops_daily, revenue_ops_report, revenue_ops_summary
from tests.support.journeys import Lead, materialize, write_fixture

EVERYTHING = [
    line_signals,
    customer_journeys,
    lead_status,
    call_features,
    revenue_ops_daily,
    revenue_ops_summary,
    revenue_ops_report,
]
TABLES = [
    "marts.line_signals",
    "marts.customer_journeys",
    "marts.lead_status",
    "marts.call_features",
    "marts.revenue_ops_daily",
    "marts.revenue_ops_summary",
]


def test_round_trip_and_rerun(tmp_path, data_dir, warehouse_backend):
    path = tmp_path / "round_trip.duckdb"
    write_fixture(path, section10_world(), [Lead("L1", "+12145550101")])
    materialize(path, EVERYTHING)
    # reopen in another process (the backend's environment inherited): the warehouse alone holds everything
    code = (
        "import json, sys; from pathlib import Path;"
        "from pipelines.platform.settings import PipelineSettings;"
        "from pipelines.platform.warehouse import open_warehouse;"
        "c = open_warehouse(PipelineSettings(warehouse_path=Path(sys.argv[1])), read_only=True);"
        f"print(json.dumps({{t: c.execute(f'SELECT count(*) FROM {{t}}').fetchone()[0] for t in {TABLES!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    counts_other_process = json.loads(out.stdout)
    assert counts_other_process["marts.customer_journeys"] == 13
    assert counts_other_process["marts.call_features"] == 13
    assert counts_other_process["marts.lead_status"] == 1
    # 2 days x (day + 1 campaign/prompt) rows; summary: all + 2 campaigns + 2 prompts + 2 pairs
    assert counts_other_process["marts.revenue_ops_daily"] == 4
    assert counts_other_process["marts.revenue_ops_summary"] == 7

    materialize(path, EVERYTHING)  # rerun: idempotent
    out2 = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert json.loads(out2.stdout) == counts_other_process
    assert (data_dir / "revenue_ops" / "latest.json").exists()
