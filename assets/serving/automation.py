"""Publishing the analysts' serving copy after every successful run that changed marts.

`serving_publish_sensor` (a run-status sensor, RUNNING by default) looks at each successful run
in this code location; if the run materialized any `marts/*` asset it requests one
`publish_serving` run (run key = the finished run's id, so never twice). That job's single op
copies `staging` and `marts` to `$DATA_DIR/serving.duckdb` atomically
(`pipelines/platform/serving.py`) inside the warehouse pool, so it never races a writer.
"""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.platform.conventions import TEAM_TAGS, WAREHOUSE_POOL
from pipelines.platform.serving import publish_serving_copy
from pipelines.platform.settings import PipelineSettings

PUBLISH_JOB_NAME = "publish_serving"


@dg.op(pool=WAREHOUSE_POOL, description="Copy staging + marts to the serving file and swap it in atomically.")
def publish_serving_op(
    context: dg.OpExecutionContext, warehouse: DuckDBResource, settings: dg.ResourceParam[PipelineSettings]
) -> None:
    target = settings.serving_file
    with warehouse.get_connection() as conn:
        report = publish_serving_copy(conn, target, run_id=context.run_id)
    context.log.info(f"published {len(report.tables)} tables and {len(report.views)} views to {report.path}")


@dg.job(
    name=PUBLISH_JOB_NAME,
    description="Publish $DATA_DIR/serving.duckdb for analysts (`make sql`).",
    executor_def=dg.in_process_executor,
    tags=TEAM_TAGS,
)
def publish_serving_job():
    publish_serving_op()


def run_changed_marts(instance: dg.DagsterInstance, run_id: str) -> bool:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION, limit=10_000
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        key = event.asset_key if event is not None else None
        if key is not None and key.path and key.path[0] == "marts":
            return True
    return False


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    request_job=publish_serving_job,
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=10,
    description="After a successful run that materialized marts, publish the serving copy.",
)
def serving_publish_sensor(context: dg.RunStatusSensorContext):
    run = context.dagster_run
    if run.job_name == PUBLISH_JOB_NAME:
        return dg.SkipReason("a publish run itself")
    if not run_changed_marts(context.instance, run.run_id):
        return dg.SkipReason(f"run {run.run_id} changed no marts")
    return dg.RunRequest(run_key=f"publish-after-{run.run_id}")


def jobs() -> list:
    return [publish_serving_job]


def sensors() -> list[dg.SensorDefinition]:
    return [serving_publish_sensor]
