"""End to end on the synthetic world: `make money`'s selection over landed Retell-shaped calls.

The synthetic generator knows what every call really was (its ground truth never reaches the
pipelines); journeys must find exactly that outcome and email for every call, the DNC numbers
must be suppressed and queue-free, and the report must exist.
"""

from __future__ import annotations

import json

from assets.synthetic.assets import SyntheticWorldConfig
from pipelines.commands.report import main as report_main
from pipelines.platform.settings import PipelineSettings
from pipelines.synthetic.calls import generate_call_set


def test_report_on_synthetic_world_matches_ground_truth(tmp_path, capsys, monkeypatch, warehouse_backend):
    data_dir = tmp_path / "data"  # DATA_DIR (conftest)
    monkeypatch.setenv("SYNTHETIC_CALLS", "300")
    monkeypatch.setenv("SYNTHETIC_CLINICS", "40")
    config = SyntheticWorldConfig().resolve(PipelineSettings())  # what `make report` will land
    truth = {g.truth.call_id: g.truth for g in generate_call_set(config)}

    assert report_main([]) == 0
    printed = capsys.readouterr().out
    assert f"report: {data_dir / 'revenue_ops' / 'latest.md'}" in printed

    if warehouse_backend.is_lake:
        assert "DuckLake" in printed and "serving copy" not in printed
        assert not (data_dir / "serving.duckdb").exists()
    with warehouse_backend.open(PipelineSettings(), read_only=True) as conn:
        journeys = conn.execute(
            "SELECT call_id, outcome, captured_email, contact_number_e164 FROM marts.customer_journeys"
        ).fetchall()
        suppressed = {r[0] for r in conn.execute("SELECT phone_e164 FROM marts.suppression_list").fetchall()}
        queued = {r[0] for r in conn.execute("SELECT phone_e164 FROM marts.call_queue").fetchall()}
        answered = conn.execute("SELECT answered_calls FROM marts.revenue_ops_summary WHERE grain = 'all'").fetchone()[
            0
        ]

    assert len(journeys) == len(truth) == 300
    wrong = [
        (cid, truth[cid].scenario, truth[cid].expected_outcome, outcome)
        for cid, outcome, _, _ in journeys
        if truth[cid].expected_outcome != outcome
    ]
    assert wrong == []
    wrong_emails = [
        (cid, truth[cid].captured_email, email)
        for cid, outcome, email, _ in journeys
        if outcome == "email_captured" and email != truth[cid].captured_email
    ]
    assert wrong_emails == []
    dnc_numbers = {number for _, outcome, _, number in journeys if outcome == "dnc"}
    assert dnc_numbers and dnc_numbers <= suppressed
    assert not (dnc_numbers & queued)
    assert answered > 0

    report = json.loads((data_dir / "revenue_ops" / "latest.json").read_text())
    assert report["summary"]["calls"] == 300
    assert report["recommended_actions"]
