"""Small markdown helpers for asset metadata: a table preview and a table's row count.

Table names are allow-listed identifiers (``schema.table``), never user input, and are checked
before they are put into SQL text; values are always bound.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

_TABLE_RE = re.compile(r"[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*")


def _checked(table: str) -> str:
    if not _TABLE_RE.fullmatch(table):
        raise ValueError(f"not a schema.table identifier: {table!r}")
    return table


def row_count(conn: Any, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {_checked(table)}").fetchone()[0])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-style markdown table."""
    head = "| " + " | ".join(columns) + " |"
    rule = "|" + "|".join("---" for _ in columns) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join([head, rule, *body])


def preview(conn: Any, table: str, columns: Sequence[str] | None = None, limit: int = 10) -> str:
    """The first ``limit`` rows of ``table`` (optionally only some columns) as markdown."""
    cols = ", ".join(_checked_column(c) for c in columns) if columns else "*"
    cursor = conn.execute(f"SELECT {cols} FROM {_checked(table)} LIMIT ?", [limit])
    names = [d[0] for d in cursor.description]
    return markdown_table(names, cursor.fetchall())


def _checked_column(column: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", column):
        raise ValueError(f"not a column identifier: {column!r}")
    return column
