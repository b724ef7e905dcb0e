"""The prompts domain in Dagster: per-version stats, a learned candidate and its blocking eval gate.

No jobs, sensors or schedules of its own: the assets refresh with the graph; publishing is a
command (`make publish-prompt`, `pipelines/commands/prompts.py`), never an asset.
"""

from __future__ import annotations

import dagster as dg

from assets.prompts import assets
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=dg.load_assets_from_modules([assets]),
        asset_checks=dg.load_asset_checks_from_modules([assets]),
    )
