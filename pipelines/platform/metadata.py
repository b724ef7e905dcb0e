"""Materialization metadata for warehouse tables: row count, column schema and a small preview.

`table_metadata(conn, "marts.call_queue")` →
`{"dagster/row_count": n, "dagster/column_schema": TableSchema, "table": ..., "preview": md}` — what
the Dagster UI shows an analyst for every table asset. The table name must come from code
(allow-listed `schema.table`), never from user input; values are always bound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import dagster as dg

_TABLE_RE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")
_COLUMN_RE = re.compile(r"[a-z_][a-z0-9_]*")


def checked_table(table: str) -> str:
    if not _TABLE_RE.fullmatch(table):
        raise ValueError(f"not a schema.table name: {table!r}")
    return table


def table_exists(conn: Any, table: str) -> bool:
    """Whether ``schema.table`` exists in the connection's own database (optional inputs ask first)."""
    schema, name = checked_table(table).split(".")
    found = conn.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?",
        [schema, name],
    ).fetchone()[0]
    return bool(found)


def row_count(conn: Any, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {checked_table(table)}").fetchone()[0])


def column_schema(conn: Any, table: str) -> dg.TableSchema:
    """The table's columns and DuckDB types, in order (shown as the asset's column schema)."""
    schema, name = checked_table(table).split(".")
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    return dg.TableSchema(columns=[dg.TableColumn(name=column, type=str(kind)) for column, kind in rows])


def _cell(value: Any) -> Any:
    return value if isinstance(value, (int, float, bool)) or value is None else str(value)[:60]


def _columns(columns: str | Sequence[str]) -> str:
    if isinstance(columns, str):
        return columns  # a fixed select list written in code
    for column in columns:
        if not _COLUMN_RE.fullmatch(column):
            raise ValueError(f"not a column identifier: {column!r}")
    return ", ".join(columns)


def table_metadata(
    conn: Any,
    table: str,
    *,
    limit: int = 10,
    columns: str | Sequence[str] = "*",
    order_by: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Row count, column schema, table name and a markdown preview of ``table``, plus ``extra``."""
    rows = row_count(conn, table)
    order = f" ORDER BY {order_by}" if order_by else ""
    frame = conn.execute(f"SELECT {_columns(columns)} FROM {table}{order} LIMIT {int(limit)}").fetchdf()
    for name in frame.columns:
        frame[name] = frame[name].map(_cell)
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": column_schema(conn, table),
        "table": dg.MetadataValue.text(table),
        "preview": dg.MetadataValue.md(frame.to_markdown(index=False) if len(frame) else "_(empty)_"),
    }
    metadata.update(extra)
    return metadata
