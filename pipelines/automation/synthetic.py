"""Synthetic world automation: the job that (re)generates the world, and a first-start bootstrap.

* `synthetic_world` job — materializes group `synthetic` (clinics, leads, landed calls); run it
  from the UI or `dagster job execute -m pipelines.definitions -j synthetic_world`.
* `synthetic_bootstrap_sensor` — RUNNING by default so a fresh install shows a populated lineage
  graph: when the landed calls were never materialized in this Dagster instance and
  SYNTHETIC_BOOTSTRAP is true, it requests one run (run key = the world's settings, so each world
  is bootstrapped at most once). It only asks the instance; it never opens DuckDB. Set
  SYNTHETIC_BOOTSTRAP=false where real calls flow, so no synthetic data is landed there.
"""


import dagster as dg

from assets.synthetic import GROUP, SYNTHETIC_CALLS
from pipelines.settings import get_settings

synthetic_world_job = dg.define_asset_job(
    "synthetic_world",
    selection=dg.AssetSelection.groups(GROUP),
    description="Generate the deterministic synthetic world: clinics, lead records, Retell-shaped calls.",
)


@dg.sensor(
    job=synthetic_world_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Materialize the synthetic world once on a fresh instance (SYNTHETIC_BOOTSTRAP).",
)
def synthetic_bootstrap_sensor(context: dg.SensorEvaluationContext):
    settings = get_settings()
    if not settings.synthetic_bootstrap:
        return dg.SkipReason("SYNTHETIC_BOOTSTRAP is false")
    if context.instance.get_latest_materialization_event(SYNTHETIC_CALLS) is not None:
        return dg.SkipReason("the synthetic world is already materialized")
    run_key = (f"synthetic-bootstrap:seed={settings.synthetic_seed}:as_of={settings.synthetic_as_of}:"
               f"clinics={settings.synthetic_clinics}:calls={settings.synthetic_calls}:days={settings.synthetic_days}")
    return dg.RunRequest(run_key=run_key)


JOBS = [synthetic_world_job]
SENSORS = [synthetic_bootstrap_sensor]
SCHEDULES: list = []
