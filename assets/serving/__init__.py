"""The analysts' serving copy in Dagster: the publish job and the sensor that runs it after marts change."""

from __future__ import annotations

import dagster as dg

from assets.serving import automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(jobs=automation.jobs(), sensors=automation.sensors())
