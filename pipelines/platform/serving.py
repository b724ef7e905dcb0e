"""The analysts' serving copy: `staging` and `marts` of the warehouse, published atomically.

`publish_serving_copy(conn, serving_path)` runs on a connection to the live warehouse (inside a
run, under the `duckdb_write` pool): it writes every table of the published schemas into a fresh
temporary DuckDB file next to the target, adds the analyst views from `sql/views/*.sql`, then
renames it over `serving.duckdb` (`os.replace`, atomic on POSIX); temporaries left by a killed
publish are removed first (`pipelines/platform/serving_temporaries.py`). Readers that hold the old file
open keep reading it undisturbed; the next open sees the new one. Nobody but this function ever
writes the serving file, and runs never open it, so analysts and runs never block each other.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.platform.serving_temporaries import remove_stale_temporaries, temporary_path
from pipelines.platform.sql import SQL_DIR, read_sql

PUBLISHED_SCHEMAS = ("staging", "marts")
# The on-disk format of the serving copy: the oldest one its readers need. `make sql` runs the DuckDB
# CLI from the registry (duckdb-cli 1.5.x: no 2.0 build exists), which cannot open a file in the
# engine's own 2.0 format ("version number 69"); BI tools on a 1.5 driver read it too.
SERVING_STORAGE_VERSION = "v1.5.0"
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass
class PublishReport:
    path: str
    tables: list[str]
    views: list[str]
    published_at: datetime


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    if not _IDENT_RE.fullmatch(name):
        raise ValueError(f"unexpected identifier {name!r}")
    return f'"{name}"'


def view_files() -> list[str]:
    folder = SQL_DIR / "views"
    return sorted(f"views/{p.name}" for p in folder.glob("*.sql")) if folder.is_dir() else []


def publish_serving_copy(conn: Any, serving_path: Path, *, run_id: str | None = None) -> PublishReport:
    serving_path = Path(serving_path)
    serving_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(serving_path)  # litter of a publish that was killed half-way
    tmp_path = temporary_path(serving_path)
    alias = "serving_publish"
    now = datetime.now(UTC).replace(tzinfo=None)
    source_db = conn.execute("SELECT current_database()").fetchone()[0]
    tables = conn.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_type = 'BASE TABLE' AND list_contains(?, table_schema) "
        "ORDER BY 1, 2",
        [source_db, list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    published: list[str] = []
    views: list[str] = []
    # ATTACH takes no bound parameter on duckdb 1.5.x: the path goes in as a quoted literal.
    conn.execute(f"ATTACH {_literal(str(tmp_path))} AS serving_publish (STORAGE_VERSION '{SERVING_STORAGE_VERSION}')")
    try:
        for schema in PUBLISHED_SCHEMAS:
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {alias}.{_ident(schema)}")
        for schema, table in tables:
            src = f"{_ident(source_db)}.{_ident(schema)}.{_ident(table)}"
            conn.execute(f"CREATE TABLE {alias}.{_ident(schema)}.{_ident(table)} AS FROM {src}")
            published.append(f"{schema}.{table}")
        conn.execute(
            f"CREATE TABLE {alias}.main.serving_published (published_at TIMESTAMP, run_id VARCHAR, tables BIGINT)"
        )
        conn.execute(f"INSERT INTO {alias}.main.serving_published VALUES (?, ?, ?)", [now, run_id, len(published)])
        conn.execute(f"USE {alias}")
        try:
            for name in view_files():
                try:
                    conn.execute(read_sql(name))
                    views.append(name)
                except Exception:  # a view over a table that does not exist yet: skip, others still publish
                    continue
        finally:
            conn.execute(f"USE {_ident(source_db)}")
        conn.execute(f"DETACH {alias}")
    except Exception:
        try:
            conn.execute(f"DETACH {alias}")
        except Exception:
            pass
        tmp_path.unlink(missing_ok=True)
        raise
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp_path, serving_path)
    Path(str(tmp_path) + ".wal").unlink(missing_ok=True)
    return PublishReport(path=str(serving_path), tables=published, views=views, published_at=now)
