"""Materialization metadata for warehouse tables: row count and a small markdown preview.

`table_metadata(conn, "marts.call_queue")` → `{"dagster/row_count": n, "preview": md, "table": ...}`.
The table name must come from code (allow-listed `schema.table`), never from user input.
"""

from __future__ import annotations

import re
from typing import Any

import dagster as dg

_TABLE_RE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


def table_metadata(
    conn: Any, table: str, *, limit: int = 10, columns: str = "*", order_by: str | None = None, **extra: Any
) -> dict[str, Any]:
    if not _TABLE_RE.fullmatch(table):
        raise ValueError(f"not a schema.table name: {table!r}")
    rows = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # identifier checked above
    order = f" ORDER BY {order_by}" if order_by else ""
    frame = conn.execute(f"SELECT {columns} FROM {table}{order} LIMIT {int(limit)}").fetchdf()
    for name in frame.columns:
        frame[name] = frame[name].map(lambda v: v if isinstance(v, (int, float, bool)) or v is None else str(v)[:60])
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(int(rows)),
        "table": dg.MetadataValue.text(table),
        "preview": dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "_(empty)_"),
    }
    metadata.update(extra)
    return metadata
