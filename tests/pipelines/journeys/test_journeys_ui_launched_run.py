"""A run of `journeys_and_revenue_ops` launched through the webserver, as the UI's "Materialize all" does.

`dagster dev -w workspace.yaml` (webserver + daemon, the repository's dagster.yaml) on 127.0.0.1, a
warehouse filled by `make report`, the job launched with the GraphQL `launchPipelineExecution`
mutation: the run is queued, dequeued by the daemon, executed by a run worker with the chosen
executor (every step in the run's process, none in a subprocess of its own) and succeeds with every
asset of the job materialized. Timing belongs to bench/ui_run.py, not here.
"""

from __future__ import annotations

import dagster as dg
import pytest

from bench.ui_run import DagsterDev, bench_env, fill_warehouse, launch, wait_run

pytestmark = pytest.mark.slow


@pytest.mark.timeout(420)
def test_a_ui_launched_run_of_the_job_succeeds_in_process(tmp_path):
    env = bench_env(tmp_path)
    env.pop("N8N_OUTCOME_WEBHOOK_URL", None)
    fill_warehouse(env)
    with DagsterDev(env, tmp_path / "dagster_dev.log") as dev:
        run_id = launch(dev.port, "journeys_and_revenue_ops")
        run = wait_run(dev.port, run_id, deadline_s=240)
    assert run["status"] == "SUCCESS", (tmp_path / "dagster_dev.log").read_text()[-4000:]

    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        events = [e.dagster_event for e in instance.all_logs(run_id) if e.dagster_event]
    kinds = [e.event_type_value for e in events]
    messages = [e.message or "" for e in events]
    assert "STEP_WORKER_STARTING" not in kinds, "a step started a subprocess of its own"
    assert any(m.startswith("Executing steps in process") for m in messages)
    assert not any("blocked by limit for pool" in m for m in messages), "the run waited on its own pool slot"

    from pipelines.definitions import defs

    job_keys = defs.resolve_job_def("journeys_and_revenue_ops").asset_layer.executable_asset_keys
    materialized = {e.asset_key for e in events if e.event_type_value == "ASSET_MATERIALIZATION"}
    assert materialized == set(job_keys)
