"""The revenue-ops domain in Dagster: per-call features, the scorecards and the report (run by the journeys jobs)."""

from __future__ import annotations

import dagster as dg

from assets.revenue_ops import assets
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(assets=dg.load_assets_from_modules([assets]))
