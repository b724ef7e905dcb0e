"""The code location wires journeys and revenue ops: keys, groups, jobs, the sensor, the schedule."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs

MINE = {
    ("marts", "line_signals"): "journeys",
    ("marts", "customer_journeys"): "journeys",
    ("marts", "lead_status"): "journeys",
    ("marts", "journey_outcome_deliveries"): "journeys",
    ("marts", "call_features"): "revenue_ops",
    ("marts", "revenue_ops_daily"): "revenue_ops",
    ("marts", "revenue_ops_summary"): "revenue_ops",
    ("reports", "revenue_ops_report"): "revenue_ops",
}


def test_assets_groups_and_lineage():
    graph = defs.resolve_asset_graph()
    for path, group in MINE.items():
        assert graph.get(dg.AssetKey(list(path))).group_name == group
    suppression = graph.get(dg.AssetKey(["marts", "suppression_list"]))
    assert dg.AssetKey(["marts", "customer_journeys"]) in suppression.parent_keys
    journeys = graph.get(dg.AssetKey(["marts", "customer_journeys"]))
    assert {dg.AssetKey(["staging", "calls"]), dg.AssetKey(["staging", "leads"])} <= journeys.parent_keys


def test_jobs_select_the_right_assets():
    money = {n.name for n in defs.resolve_job_def("refresh_revenue_report").nodes}
    assert {
        "marts__customer_journeys",
        "reports__revenue_ops_report",
        "marts__suppression_list",
        "marts__call_queue",
        "staging__calls",
        "raw__retell_calls",
    } <= money
    assert not any("n8n_lead" in name for name in money)  # never pushes leads
    downstream = {n.name for n in defs.resolve_job_def("journeys_and_revenue_ops").nodes}
    assert {
        "marts__customer_journeys",
        "marts__suppression_list",
        "marts__call_queue",
        "reports__revenue_ops_report",
    } <= downstream
    assert not any("n8n_lead" in name for name in downstream)


def test_sensor_requests_a_run_per_new_call_sync():
    sensor = defs.resolve_sensor_def("journeys_after_call_sync")
    assert sensor.job_name == "journeys_and_revenue_ops"
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING  # a fresh deploy maps new calls
    schedule = defs.resolve_schedule_def("revenue_ops_morning_report")
    assert schedule.job_name == "journeys_and_revenue_ops"


def test_sensor_fires_once_per_new_staging_calls_materialization():
    from assets.journeys.automation import journeys_after_call_sync

    @dg.asset(key=["staging", "calls"])
    def stand_in_calls():
        return None

    instance = dg.DagsterInstance.ephemeral()
    first = list(journeys_after_call_sync(dg.build_sensor_context(instance=instance, definitions=defs)) or [])
    assert all(isinstance(r, dg.SkipReason) for r in first)

    dg.materialize([stand_in_calls], instance=instance)
    context = dg.build_sensor_context(instance=instance, definitions=defs)
    requests = list(journeys_after_call_sync(context))
    assert len(requests) == 1 and isinstance(requests[0], dg.RunRequest)
    # the cursor moved: the same materialization does not fire again
    again = list(
        journeys_after_call_sync(dg.build_sensor_context(instance=instance, definitions=defs, cursor=context.cursor))
        or []
    )
    assert not any(isinstance(r, dg.RunRequest) for r in again)
