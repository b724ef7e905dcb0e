"""The `sql/` folder: load a named SQL file and run it with bound parameters.

The rule (docs/architecture.md): a model — what an analyst reads — is `sql/<schema>/<table>.sql`,
named after the table it builds; a bookkeeping statement is `sql/<schema>/<table>/<verb>.sql`,
grouped under the table it touches (`create`, `insert`, `upsert`, `expire`, `pending`, `checks`…).
Values are always bound (`$name` / `?`), never formatted into the text — except where DuckDB takes
no parameter (`ATTACH`, `LOAD`, a CLI init script): there `sql_literal` quotes the value.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


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


def sql_literal(text: str) -> str:
    """``text`` as a quoted SQL string literal, for statements that take no bound parameter."""
    return "'" + text.replace("'", "''") + "'"
