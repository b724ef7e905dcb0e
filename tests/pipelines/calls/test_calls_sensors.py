"""The call sensors evaluated with dg.build_sensor_context (no DuckDB, no Retell calls)."""

from __future__ import annotations

import json

import dagster as dg

from assets.calls import automation
from pipelines.platform.settings import PipelineSettings
from pipelines.retell.state import SyncState
from tests.support.calls_landing import jsonl, retell_calls, write


def test_sync_sensor_skips_without_api_key(data_dir):
    result = automation.retell_sync_sensor(PipelineSettings())(dg.build_sensor_context())
    assert isinstance(result, dg.SkipReason)
    assert "RETELL_API_KEY" in result.skip_message


def test_sync_sensor_requests_a_run_and_records_the_watermark(data_dir, monkeypatch):
    monkeypatch.setenv("RETELL_API_KEY", "key_sensor")
    SyncState(watermark_ms=1234).save(PipelineSettings().retell_sync_state_file)
    with dg.instance_for_test() as instance:
        result = automation.retell_sync_sensor(PipelineSettings())(dg.build_sensor_context(instance=instance))
        assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
        cursor = json.loads(result.cursor)
        assert cursor["watermark_ms"] == 1234 and cursor["last_request_ms"] > 0


def test_sync_sensor_skips_while_a_sync_run_is_in_flight(data_dir, monkeypatch):
    monkeypatch.setenv("RETELL_API_KEY", "key_sensor")
    with dg.instance_for_test() as instance:
        instance.add_run(dg.DagsterRun(job_name="calls_sync_job", run_id="r1", status=dg.DagsterRunStatus.STARTED))
        result = automation.retell_sync_sensor(PipelineSettings())(dg.build_sensor_context(instance=instance))
        assert isinstance(result, dg.SkipReason) and "in flight" in result.skip_message


def test_landing_sensor_fires_once_per_change(data_dir):
    landing = data_dir / "landing"
    assert isinstance(automation.calls_landing_sensor(PipelineSettings())(dg.build_sensor_context()), dg.SkipReason)
    write(landing / "retell_calls" / "synthetic" / "2026-01-01" / "calls.jsonl", jsonl(retell_calls(0)))
    first = automation.calls_landing_sensor(PipelineSettings())(dg.build_sensor_context())
    assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
    again = automation.calls_landing_sensor(PipelineSettings())(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(again, dg.SkipReason)
    # an API batch landed by a sync run (even one that failed later) starts a load
    write(landing / "retell_calls" / "api" / "2026-01-01" / "b.jsonl", jsonl(retell_calls(1)))
    second = automation.calls_landing_sensor(PipelineSettings())(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(second, dg.SensorResult) and second.cursor != first.cursor
    assert second.run_requests[0].run_key != first.run_requests[0].run_key
    write(landing / "retell_webhooks" / "2026-01-01" / "c.call_ended.x.json", "{}")
    third = automation.calls_landing_sensor(PipelineSettings())(dg.build_sensor_context(cursor=second.cursor))
    assert isinstance(third, dg.SensorResult) and third.cursor not in (first.cursor, second.cursor)


def test_jobs_resolve_in_the_code_location():
    from pipelines.definitions import defs

    sync_nodes = {n.name for n in defs.resolve_job_def("calls_sync_job").nodes}
    assert sync_nodes == {"landing__retell_api_calls"}  # the sync never holds the warehouse
    load_nodes = {n.name for n in defs.resolve_job_def("calls_landing_job").nodes}
    assert {
        "raw__retell_calls",
        "raw__brain_calls",
        "staging__calls",
        "staging__transcript_lines",
        "staging__tool_events",
    } == load_nodes
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {
        "raw/retell_calls",
        "raw/brain_calls",
        "staging/calls",
        "staging/transcript_lines",
        "staging/tool_events",
        "landing/retell_api_calls",
    } <= keys
