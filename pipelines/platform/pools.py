"""How many steps may hold the `duckdb_write` pool at once, and how a run executes its steps, by backend.

Every warehouse asset joins the `duckdb_write` pool (`conventions.WAREHOUSE_POOL`): the pool says
"this step opens the warehouse"; the *limit* is a property of the warehouse behind it, so it lives
in the Dagster instance of the deployment, not on the assets:

* embedded file — limit 1 (`dagster.yaml`: `pools: default_limit: 1`): DuckDB takes one writer
  process at a time, so writers queue step by step; a run executes its steps in its own process one
  after another (`in_process_executor`, no subprocess per step, no wait on its own pool).
* DuckLake — limit `LAKE_POOL_LIMIT` (set explicitly on the instance by `apply_warehouse_pool_limit`,
  which `make run` calls at every start and `python -m pipelines.commands.pools` does for the
  compose): writers of different tables commit independently and a conflict on the same table is
  rerun (`pipelines/platform/transactions.py`), so the pool no longer serializes anything: several
  runs (UI, sensors, schedules, commands) write at once. Inside a run, steps run one after another
  in the run's process by default, as on the file: measured on this 2-core machine, a process per
  step (even forked from a preloaded forkserver) costs more than running the journeys + revenue-ops
  job's < 2 s steps side by side gains (docs/benchmarks.md, "UI-launched runs").
  `WAREHOUSE_PARALLEL_STEPS=true` runs independent steps in parallel processes
  (`multiprocess_executor`, forkserver, the code location preloaded) — for more cores and longer steps.

Keeping the pool on the assets (rather than dropping it on the lake) keeps one definition of the
assets for both backends, and a deployment switched back to the file gets limit 1 again the next
time the instance is prepared (the explicit lake limit is removed, the `dagster.yaml` default rules).
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipelines.platform.conventions import WAREHOUSE_POOL

# Steps on the lake at once across all runs of the instance: high enough never to queue the jobs we
# have (the largest run has ~20 warehouse steps, each run bounded by its executor's max_concurrent);
# it stays a bound so a burst of backfill runs cannot open hundreds of catalog connections.
LAKE_POOL_LIMIT = 32

# The code location is imported once into the forkserver; each step forks from it (without the
# preload every step process imported it again: 7-8 s per step on this machine under load).
PARALLEL_EXECUTOR = dg.multiprocess_executor.configured(
    {"start_method": {"forkserver": {"preload_modules": ["pipelines.definitions"]}}},
    name="lake_parallel_steps_executor",
)


def warehouse_executor(settings: Any) -> dg.ExecutorDefinition:
    """The executor of every job: the run's steps one after another in its process, unless the lake
    is asked for parallel steps (WAREHOUSE_PARALLEL_STEPS=true; never on the single-writer file)."""
    if settings.lake is not None and settings.warehouse_parallel_steps:
        return PARALLEL_EXECUTOR
    return dg.in_process_executor


def warehouse_pool_limit(settings: Any) -> int | None:
    """The `duckdb_write` limit this backend wants; None = the instance default (1, `dagster.yaml`)."""
    return LAKE_POOL_LIMIT if settings.lake is not None else None


def apply_warehouse_pool_limit(instance: dg.DagsterInstance, settings: Any) -> int:
    """Set (lake) or clear (file) the explicit `duckdb_write` limit on ``instance``; the limit now in force."""
    storage = instance.event_log_storage
    limit = warehouse_pool_limit(settings)
    if limit is None:
        if WAREHOUSE_POOL in storage.get_concurrency_keys():
            storage.delete_concurrency_limit(WAREHOUSE_POOL)
        storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)  # 1 slot now, not at the first claim
    else:
        storage.set_concurrency_slots(WAREHOUSE_POOL, limit)
    return storage.get_concurrency_info(WAREHOUSE_POOL).slot_count
