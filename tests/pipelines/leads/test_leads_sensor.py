"""The inbox sensor: one run per new or changed lead/DNC file, cursor-based, bounded per tick,
and its run config is valid for the lead_factory job."""

from __future__ import annotations

import json
import os

import dagster as dg
import pytest

from assets.leads import automation
from pipelines.platform.settings import PipelineSettings
from tests.support.leads import embedded_lead_environment, write_csv


@pytest.fixture
def lead_env(tmp_path):
    """Embedded file only: the sensors read files, not the warehouse."""
    with embedded_lead_environment(tmp_path) as settings:
        yield settings


def _tick(cursor=None):
    return automation.lead_inbox_sensor(PipelineSettings())(dg.build_sensor_context(cursor=cursor))


def test_new_changed_and_unchanged_files(lead_env):
    first = write_csv(lead_env.lead_inbox_dir / "a.csv", [{"business_name": "A", "phone": "2143020301"}])
    (lead_env.lead_inbox_dir / ".partial.csv").write_text("business_name\nhidden\n")  # dotfiles wait
    (lead_env.lead_inbox_dir / "readme.md").write_text("not a lead file")
    result = _tick()
    assert [r.run_config["ops"]["lead_records"]["config"]["paths"] for r in result.run_requests] == [
        [str(first.resolve())]
    ]
    assert result.run_requests[0].run_config["ops"]["raw__dnc_entries"]["config"]["paths"] is None

    again = _tick(result.cursor)
    assert not again.run_requests and again.skip_reason

    write_csv(first, [{"business_name": "A", "phone": "2143020301"}, {"business_name": "B", "phone": "2143020302"}])
    os.utime(first, ns=(first.stat().st_atime_ns, first.stat().st_mtime_ns + 1_000_000))
    changed = _tick(again.cursor)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != result.run_requests[0].run_key


def test_dnc_file_reruns_the_queue_without_rereading_lead_files(lead_env):
    dnc = lead_env.dnc_inbox_dir / "dnc.txt"
    dnc.write_text("214-302-0311\n")
    result = _tick()
    (request,) = result.run_requests
    ops = request.run_config["ops"]
    assert ops["lead_records"]["config"]["paths"] == []
    assert ops["raw__dnc_entries"]["config"]["paths"] == [str(dnc.resolve())]
    assert request.tags["eve/inbox_kind"] == "dnc"


def test_deleted_files_leave_the_cursor_and_ticks_are_bounded(lead_env):
    for i in range(automation.MAX_RUNS_PER_TICK + 3):
        write_csv(lead_env.lead_inbox_dir / f"f{i:02d}.csv", [{"business_name": f"B{i}"}])
    first = _tick()
    assert len(first.run_requests) == automation.MAX_RUNS_PER_TICK
    second = _tick(first.cursor)
    assert len(second.run_requests) == 3
    (lead_env.lead_inbox_dir / "f00.csv").unlink()
    third = _tick(second.cursor)
    assert not third.run_requests
    assert not any("f00.csv" in key for key in json.loads(third.cursor))


def test_sensor_run_config_is_valid_for_the_job(lead_env):
    from pipelines.definitions import defs

    write_csv(lead_env.lead_inbox_dir / "a.csv", [{"business_name": "A"}])
    (lead_env.dnc_inbox_dir / "d.txt").write_text("2143020321\n")
    job = defs.resolve_job_def("lead_factory")
    for request in _tick().run_requests:
        assert dg.validate_run_config(job, request.run_config)


def test_n8n_follow_up_only_when_a_webhook_is_configured(lead_env, monkeypatch):

    path = write_csv(lead_env.lead_inbox_dir / "a.csv", [{"business_name": "A", "phone": "2143020331"}])
    with dg.instance_for_test() as instance:
        import assets.leads.assets as leads
        from pipelines.platform.resources import build_resources

        run = dg.materialize(
            [leads.lead_records],
            instance=instance,
            resources=build_resources(lead_env),
            run_config={"ops": {"lead_records": {"config": {"paths": [str(path)]}}}},
        )
        success = next(e for e in run.all_events if e.event_type_value == "PIPELINE_SUCCESS")

        def evaluate():
            context = dg.build_run_status_sensor_context(
                sensor_name="n8n_push_after_lead_factory",
                dagster_instance=instance,
                dagster_run=run.dagster_run,
                dagster_event=success,
            )
            return automation.n8n_push_after_lead_factory(PipelineSettings())(context)

        assert isinstance(evaluate(), dg.SkipReason)
        monkeypatch.setenv("N8N_LEAD_WEBHOOK_URL", "http://127.0.0.1:9/hook")
        request = evaluate()
        assert isinstance(request, dg.RunRequest) and request.run_key == f"n8n-after-{run.run_id}"
