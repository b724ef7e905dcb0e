"""The revenue-ops report asset: files on disk, the same numbers as the marts, UI metadata, actions."""

from __future__ import annotations

import json

from test_revenue_ops_metrics import ASSETS, DAY1, DAY2, answered, section10_world

from assets.revenue_ops.assets import revenue_ops_report
from pipelines.reports.actions import MAINTAIN, recommended_actions
from tests.support.journeys import materialize, query, write_fixture

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_report_files_and_metadata(warehouse_path, data_dir):
    write_fixture(warehouse_path, section10_world())
    result = materialize(warehouse_path, [*ASSETS, revenue_ops_report])

    report_dir = data_dir / "revenue_ops"
    report = json.loads((report_dir / "latest.json").read_text())
    summary = report["summary"]
    assert summary["objective_score"] == 33.82
    assert summary["email_capture_rate"] == 0.3
    assert report["as_of_day"] == DAY2.date().isoformat()
    assert report["objective_function"]["minimize"] == [
        "time_to_email_capture",
        "turns_to_capture",
        "first_response_latency",
    ]
    assert [d["day"] for d in report["daily"]] == [DAY1.date().isoformat(), DAY2.date().isoformat()]
    assert report["trend"]["deltas"]["email_capture_rate"] == -0.6
    assert report["trend"]["deltas"]["objective_score"] == -24.42
    assert report["top_objections"][0] == {"objection": "who_is_this", "calls": 2}
    assert {r["campaign_id"] for r in report["by_campaign"]} == {"camp-a", "camp-b"}
    actions = report["recommended_actions"]
    assert len(actions) == 3
    assert actions[0].startswith("Close:") and actions[1].startswith("Close to email:")
    assert actions[2].startswith("Who is this")

    markdown = (report_dir / "latest.md").read_text()
    for heading in ("## Scorecard", "## Latency", "## Trend", "## Top objections", "## Next actions"):
        assert heading in markdown
    assert "33.82" in markdown and "(latest.png)" in markdown
    # no campaign or prompt lineage materialized: no such sections, not empty ones
    assert report["campaigns"] is None and report["prompt_versions"] is None
    assert "## Campaigns" not in markdown and "## Prompt versions" not in markdown
    assert (report_dir / "latest.png").read_bytes().startswith(PNG_MAGIC)

    [event] = [
        e for e in result.get_asset_materialization_events() if e.asset_key.path == ["reports", "revenue_ops_report"]
    ]
    metadata = event.materialization.metadata
    assert "data:image/png;base64," in metadata["report"].value
    assert metadata["objective_score"].value == 33.82
    assert metadata["report_md"].value == str(report_dir / "latest.md")


def test_report_on_empty_warehouse(warehouse_path, data_dir):
    write_fixture(warehouse_path, [])
    materialize(warehouse_path, [*ASSETS, revenue_ops_report])
    report = json.loads((data_dir / "revenue_ops" / "latest.json").read_text())
    assert report["summary"]["objective_score"] == 0.0
    assert report["as_of_day"] is None and report["daily"] == []
    assert (data_dir / "revenue_ops" / "latest.png").read_bytes().startswith(PNG_MAGIC)


def test_actions_rules():
    healthy = {
        "first_response_latency_p95_ms": 600.0,
        "email_capture_rate": 0.5,
        "direct_email_capture_rate": 0.3,
        "close_request_rate": 0.8,
        "close_requests": 10,
        "close_to_email_rate": 0.9,
        "turns_to_capture_p50": 3.0,
        "objection_counts": {"price": 4},
    }
    assert recommended_actions(healthy) == [MAINTAIN]
    # missing latency and missing turns are treated as bad, never as a perfect 0
    worst = {
        "email_capture_rate": 0.0,
        "direct_email_capture_rate": 0.0,
        "close_request_rate": 0.0,
        "close_requests": 0,
        "objection_counts": {"not_decision_maker": 1},
    }
    kinds = [a.split(":")[0] for a in recommended_actions(worst)]
    assert kinds == ["Latency", "Capture", "Direct email", "Close", "Turns", "Not the decision maker"]
    assert "Turns" not in [a.split(":")[0] for a in recommended_actions({**healthy, "turns_to_capture_p50": 0.0})]


def test_email_captures_reconcile_with_journey_outcomes(warehouse_path, data_dir):
    """Issue 14 item 16: a capture on a call that ends dnc is a scorecard capture but a dnc journey —
    the report says so, and the two numbers add up."""
    world = section10_world() + [
        answered("D1", [("it's pat@acmeplumbing.com", 8), ("actually stop calling me", 12)]),
    ]
    write_fixture(warehouse_path, world)
    materialize(warehouse_path, [*ASSETS, revenue_ops_report])
    report = json.loads((data_dir / "revenue_ops" / "latest.json").read_text())
    rec = report["capture_reconciliation"]
    assert report["summary"]["email_captures"] == rec["email_captures"] == 4
    assert rec["captures_ending_otherwise"] == {"dnc": 1}
    journeys = query(warehouse_path, "SELECT count(*) FROM marts.customer_journeys WHERE outcome = 'email_captured'")
    assert rec["journey_email_captured"] == journeys[0][0]
    assert rec["email_captures"] - 1 + rec["journey_email_captured_without_capture"] == rec["journey_email_captured"]
    markdown = (data_dir / "revenue_ops" / "latest.md").read_text()
    assert "Email captures (answered calls with an address in a caller line) 4, of which 1 ended dnc" in markdown
    assert f"journeys with outcome email_captured {rec['journey_email_captured']}" in markdown
