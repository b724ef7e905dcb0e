"""The calls domain in Dagster: Retell API sync, landing zone → raw → staging call tables, their jobs and sensors."""

from __future__ import annotations

import dagster as dg

from assets.calls import assets, automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        jobs=automation.jobs(),
        sensors=automation.sensors(settings),
    )
