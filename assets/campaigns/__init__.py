"""The campaigns domain in Dagster: ledger copy, dial queue and exclusions, dispatch ticks, campaign figures.

One sensor per campaign file present when the code location loads (`automation.sensors(settings)`).
"""

from __future__ import annotations

import dagster as dg

from assets.campaigns import assets, automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        jobs=automation.jobs(),
        sensors=automation.sensors(settings),
        schedules=automation.schedules(),
    )
