"""Blocking asset checks that stand in for the key constraints the warehouse tables no longer declare.

DuckLake has no PRIMARY KEY / UNIQUE, so the same DDL runs on both backends without them; the
writers keep each key unique by construction (MERGE INTO, or delete + insert in one transaction).
These checks assert it after every write: `unique_key_spec()` declares one (blocking: a duplicate
stops the downstream assets, as the constraint's error used to), `unique_key_result()` evaluates it
with a `sql/<schema>/<table>/key_check.sql` file returning (rows, distinct keys, one duplicated key).
Where each former constraint went: docs/data-platform.md ("Keys without constraints").
"""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipelines.platform.sql import run_sql_file


def unique_key_spec(asset_key: dg.AssetKey, name: str, description: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(name, asset=asset_key, blocking=True, description=description)


def unique_key_result(conn: Any, asset_key: dg.AssetKey, name: str, sql_file: str) -> dg.AssetCheckResult:
    rows, distinct, example = run_sql_file(conn, sql_file).fetchone()
    return dg.AssetCheckResult(
        asset_key=asset_key,
        check_name=name,
        passed=int(rows) == int(distinct),
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": int(rows), "distinct_keys": int(distinct), "duplicated_key": str(example or "")},
    )
