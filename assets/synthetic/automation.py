"""Synthetic world automation: the job that (re)generates the world.

* `generate_synthetic_world` job — materializes group `synthetic` (clinics, lead records, landed
  calls); run it from the UI or `dagster job execute -m pipelines.definitions -j generate_synthetic_world`.

No sensor or schedule: first start is handled by the launcher (`make run`, `pipelines/commands/launcher.py`),
which materializes the `synthetic` group once unless SYNTHETIC_BOOTSTRAP=false. The synthetic world
never changes by itself (same settings → same bytes), so nothing needs to poll for it.
"""

import dagster as dg

from pipelines.platform.catalog import SYNTHETIC

synthetic_world_job = dg.define_asset_job(
    "generate_synthetic_world",
    selection=dg.AssetSelection.groups(SYNTHETIC),
    description="Generate the deterministic synthetic world: clinics, lead records, Retell-shaped calls.",
)


def jobs() -> list:
    return [synthetic_world_job]
