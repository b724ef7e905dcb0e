"""The journeys domain in Dagster: what every call meant for its lead, and the jobs that refresh journeys and the report."""

from __future__ import annotations

import dagster as dg

from assets.journeys import assets, automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        jobs=automation.jobs(),
        sensors=automation.sensors(),
        schedules=automation.schedules(),
    )
