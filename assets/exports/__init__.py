"""The exports domain in Dagster: the marts upserted into PostgreSQL (`ont_*`), each with its check.

No jobs, sensors or schedules: `make export` (`pipelines/commands/export.py`) runs the group on
demand; the assets carry the side-effect tag, so no other command or bootstrap ever runs them.
"""

from __future__ import annotations

import dagster as dg

from assets.exports import assets
from pipelines.platform.settings import PipelineSettings


def definitions(settings: PipelineSettings) -> dg.Definitions:
    return dg.Definitions(assets=assets.EXPORT_ASSETS, asset_checks=assets.EXPORT_CHECKS)
