"""The run settings that make a UI-launched run as quick as an in-process one, in both instances.

`make run` (top-level dagster.yaml, SQLite) and the compose deployment (deploy/dagster.yaml,
PostgreSQL) share the pool granularity, the pool limit and the run queue's dequeue interval; every
job runs its steps in the run's own process (docs/benchmarks.md, "UI-launched runs").
"""

from __future__ import annotations

import shutil

import dagster as dg
import yaml
from compose_helpers import ROOT
from dagster._core.instance.config import PoolGranularity

DEPLOY = yaml.safe_load((ROOT / "deploy" / "dagster.yaml").read_text())
EMBEDDED = yaml.safe_load((ROOT / "dagster.yaml").read_text())


def test_pools_and_run_queue_are_the_same_in_both_instances():
    assert EMBEDDED["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}
    assert DEPLOY["concurrency"]["pools"] == EMBEDDED["concurrency"]["pools"]
    # the compose file only adds a cap on runs in flight; nothing else of `concurrency` differs
    assert {k: v for k, v in DEPLOY["concurrency"].items() if k != "runs"} == EMBEDDED["concurrency"]
    assert DEPLOY["run_coordinator"] == EMBEDDED["run_coordinator"]
    assert EMBEDDED["run_coordinator"]["class"] == "QueuedRunCoordinator"


def test_the_embedded_instance_reads_the_settings_as_meant(tmp_path):
    shutil.copyfile(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        pools = instance.get_concurrency_config().pool_config
        assert pools.pool_granularity == PoolGranularity.OP
        assert pools.default_pool_limit == 1
        assert instance.run_coordinator.dequeue_interval_seconds == 1


def test_every_job_runs_its_steps_in_the_run_process():
    from pipelines.definitions import defs

    jobs = [
        defs.resolve_job_def(name) for name in ("journeys_and_revenue_ops", "refresh_revenue_report", "publish_serving")
    ]
    assert all(job.executor_def is dg.in_process_executor for job in jobs)
