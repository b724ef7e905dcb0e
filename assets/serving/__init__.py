"""The analysts' serving copy in Dagster: the publish job and the sensor that runs it after marts change.

Only for the embedded DuckDB file: on DuckLake (`WAREHOUSE_URL` set) analysts read the lake itself,
live and read-only, so there is no copy to publish and this domain defines nothing.
"""

from __future__ import annotations

import dagster as dg

from assets.serving import automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    if settings.lake is not None:
        return dg.Definitions()
    return dg.Definitions(jobs=automation.jobs(), sensors=automation.sensors())
