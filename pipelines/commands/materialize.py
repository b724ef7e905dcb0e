"""The one way every command runs the graph: materialize a selection in-process, then publish.

`materialize_and_publish(settings, selection)` runs the code location's own assets (and checks)
with resources built from ``settings`` on the warehouse of WAREHOUSE_PATH / DATA_DIR; when the
run succeeded it publishes the analysts' serving copy (`pipelines/platform/serving.py`) — on the
embedded file only: on DuckLake analysts read the lake itself, so there is no copy to publish. With
DAGSTER_HOME set the run is recorded in that instance (visible in the UI); otherwise it runs on an
ephemeral instance. Failures are returned, never raised: each command words its own message.
With ``progress`` (a text stream) each step's start, tables and end are reported on it as they
happen (`pipelines/commands/progress.py`).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any, TextIO

import dagster as dg

from pipelines.commands.progress import PROGRESS_LOGGER, progress_logger
from pipelines.platform.resources import build_resources
from pipelines.platform.serving import PublishReport, publish_serving_copy
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from pipelines.platform.warehouse_lock import failure_reason


@dataclass
class RunOutcome:
    result: dg.ExecuteInProcessResult
    published: PublishReport | None

    @property
    def success(self) -> bool:
        return self.result.success

    def failures(self) -> list[tuple[str, str]]:
        """(step key, one-line reason) of every failed step (a busy warehouse names its holder)."""
        return [
            (event.step_key or "?", failure_reason(event.step_failure_data.error))
            for event in self.result.all_events
            if event.is_step_failure
        ]


def graph_assets(domains: tuple[str, ...] | None = None) -> list:
    """Every asset and asset check of the code location (the commands select from these); with
    ``domains``, only those domains' (`make leads` loads the leads domain alone: importing every
    domain — the Retell SDK, matplotlib… — cost it ~1.5 s of start-up)."""
    if domains is not None:  # not via pipelines.definitions: importing it builds every domain
        settings = PipelineSettings()
        defs = dg.Definitions.merge(
            *(importlib.import_module(f"assets.{domain}").definitions(settings) for domain in domains)
        )
    else:
        from pipelines.definitions import defs
    return [*(defs.assets or []), *(defs.asset_checks or [])]


def recording_instance() -> dg.DagsterInstance | None:
    """The persistent instance when DAGSTER_HOME is set (runs show in the UI), else None (ephemeral)."""
    return dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None


def materialize_and_publish(
    settings: PipelineSettings,
    selection: dg.AssetSelection,
    *,
    run_config: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
    instance: dg.DagsterInstance | None = None,
    publish: bool = True,
    domains: tuple[str, ...] | None = None,
    progress: TextIO | None = None,
) -> RunOutcome:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.warehouse_file.parent.mkdir(parents=True, exist_ok=True)
    result = _execute(graph_assets(domains), selection, settings, run_config, tags, instance, progress)
    published = None
    if result.success and publish and settings.lake is None:
        conn = open_warehouse(settings)
        try:
            published = publish_serving_copy(conn, settings.serving_file, run_id=result.run_id)
        finally:
            conn.close()
    return RunOutcome(result=result, published=published)


# the name `dg.materialize` gives its job: command runs keep showing under it in the UI's run list
_RUN_JOB = "__ephemeral_asset_job__"


def _execute(
    assets: list,
    selection: dg.AssetSelection,
    settings: PipelineSettings,
    run_config: dict[str, Any] | None,
    tags: dict[str, str] | None,
    instance: dg.DagsterInstance | None,
    progress: TextIO | None,
) -> dg.ExecuteInProcessResult:
    """`dg.materialize` of ``selection``, built the way it builds its job, so that the progress
    logger can join Dagster's console logger when ``progress`` is given (`dg.materialize` takes no
    loggers)."""
    loggers = dict(dg.default_loggers())
    config = dict(run_config or {})
    if progress is not None:
        loggers[PROGRESS_LOGGER] = progress_logger(progress)
        config["loggers"] = {**config.get("loggers", {}), PROGRESS_LOGGER: {}}
    defs = dg.Definitions(
        jobs=[dg.define_asset_job(_RUN_JOB, selection=selection)],
        assets=assets,
        resources=build_resources(settings),
        loggers=loggers,
    )
    return defs.resolve_job_def(_RUN_JOB).execute_in_process(
        run_config=config, instance=instance, tags=tags, raise_on_error=False
    )
