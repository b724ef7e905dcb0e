"""The synthetic-world domain in Dagster: deterministic clinics, lead records and Retell-shaped calls, and its job."""

from __future__ import annotations

import dagster as dg

from assets.synthetic import assets, automation
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(assets=dg.load_assets_from_modules([assets]), jobs=automation.jobs())
