"""House conventions every asset follows: one write pool, one owner, kinds, one side-effect tag.

* `WAREHOUSE_POOL` — every step that opens the DuckDB warehouse joins this Dagster pool (limit 1 in
  `dagster.yaml`), so writers queue instead of failing on DuckDB's single-writer lock; on DuckLake
  the instance's limit is raised instead (`pipelines/platform/pools.py`).
* `OWNERS` / `TEAM_TAGS` — who answers for the data assets (shown in the UI).
* `SIDE_EFFECT_TAG` — assets with effects outside the warehouse (n8n pushes, the Retell API sync,
  campaign dispatch and the PostgreSQL exports) carry it; `side_effect_free(selection)` is what every command and the
  first-start bootstrap use to leave them out.
"""

from __future__ import annotations

import dagster as dg

WAREHOUSE_POOL = "duckdb_write"
OWNERS = ["team:data"]
TEAM_TAGS = {"eve/team": "data"}

SIDE_EFFECT_TAG_KEY = "eve/side_effect"
SIDE_EFFECT_TAGS = {SIDE_EFFECT_TAG_KEY: "true"}

KIND_DUCKDB = "duckdb"
KIND_PYTHON = "python"
KIND_FILE = "file"
KIND_N8N = "n8n"
KIND_RETELL = "retell"
KIND_POSTGRES = "postgres"
KIND_JSON = "json"


def asset_tags(*, side_effect: bool = False) -> dict[str, str]:
    """Tags of a data asset: the team, plus the side-effect tag when it reaches outside the warehouse."""
    return {**TEAM_TAGS, **(SIDE_EFFECT_TAGS if side_effect else {})}


SIDE_EFFECTS = dg.AssetSelection.tag(SIDE_EFFECT_TAG_KEY, "true")


def side_effect_free(selection: dg.AssetSelection) -> dg.AssetSelection:
    """``selection`` without any side-effect asset (and whatever must run with what stays)."""
    return (selection - SIDE_EFFECTS).required_multi_asset_neighbors()
