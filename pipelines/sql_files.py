"""The `sql/` folder: load a named SQL file and run it with bound parameters.

Assets stay thin: their SQL lives in `sql/<schema>/<table>.sql` (analysts read the same files).
Values are always bound (`$name` / `?`), never formatted into the text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"


@cache
def read_sql(name: str) -> str:
    """The text of `sql/<name>` (e.g. ``"marts/lead_scores.sql"``)."""
    path = (SQL_DIR / name).resolve()
    if SQL_DIR not in path.parents:
        raise ValueError(f"SQL file outside sql/: {name}")
    return path.read_text(encoding="utf-8")


def run_sql_file(conn: Any, name: str, params: dict[str, Any] | list[Any] | None = None) -> Any:
    """Execute every statement of `sql/<name>` on ``conn`` (a DuckDB connection)."""
    text = read_sql(name)
    if params is None:
        return conn.execute(text)
    return conn.execute(text, params)
