"""The leads domain in Dagster: lead factory assets (files → staging.leads → scores → call queue), jobs and sensors."""

from __future__ import annotations

import dagster as dg

from assets.leads import assets, automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        jobs=automation.jobs(),
        sensors=automation.sensors(settings),
    )
