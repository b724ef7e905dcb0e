"""Load Retell landing files (JSONL batches and webhook events) into raw.retell_calls.

Set-based: the new files are read by DuckDB in one pass (`sql/raw/retell_calls__read_*.sql`),
classified (`raw/retell_calls/candidates.sql`), rejects recorded with their reason, the rest upserted
by call_id (`raw/retell_calls/upsert.sql`), and the files recorded in the ledger — all in one
transaction, so a crash leaves the warehouse as before and the next run reads the same files again.
On DuckLake that transaction is run again when another writer's commit conflicts with it (the
brain loader shares raw.call_rejects and raw.landing_files; `pipelines/platform/transactions.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from pipelines.landing.files import RETELL_JSONL, RETELL_WEBHOOK, LandingFile
from pipelines.platform.sql import read_sql, run_sql_file
from pipelines.platform.transactions import in_transaction

MAX_LINE_BYTES = 16 * 1024 * 1024  # one call object per line; hour-long calls are ~1-2 MB
_UNIT_SEPARATOR = "\x1f"  # never raw inside valid JSON, so a whole line is one CSV value


@dataclass
class LoadCounts:
    files: int = 0
    loaded: int = 0
    rejected: int = 0


def ensure_tables(conn: Any) -> None:
    for name in ("raw/landing_files.sql", "raw/call_rejects.sql", "raw/retell_calls.sql", "raw/brain_calls.sql"):
        run_sql_file(conn, name)


def register_batch(conn: Any, files: list[LandingFile]) -> None:
    """Create the load's temp tables and list its files in landing_batch_files."""
    run_sql_file(conn, "raw/landing_files/batch.sql")
    if files:
        batch = pd.DataFrame(
            {
                "path": [f.path for f in files],
                "kind": [f.kind for f in files],
                "source": [f.source for f in files],
                "size_bytes": [f.size_bytes for f in files],
                "mtime_ns": [f.mtime_ns for f in files],
            }
        )
        conn.register("landing_batch_df", batch)
        try:
            conn.execute(
                "INSERT INTO landing_batch_files SELECT path, kind, source, size_bytes, mtime_ns FROM landing_batch_df"
            )
        finally:
            conn.unregister("landing_batch_df")


def _read_docs(
    conn: Any, files: list[LandingFile], file_errors: dict[str, str], line_rejects: list[tuple[str, str, str]]
) -> None:
    """Fill retell_landing_docs. A JSONL file DuckDB refuses (e.g. a line that is not UTF-8) is
    read line by line in Python so its good lines still load (bad ones → `line_rejects`); a
    webhook file DuckDB cannot read is recorded in `file_errors`."""
    jsonl = [f.path for f in files if f.kind == RETELL_JSONL]
    hooks = [f.path for f in files if f.kind == RETELL_WEBHOOK]
    for sql_name, paths, params in (
        ("raw/retell_calls/read_jsonl.sql", jsonl, {"delim": _UNIT_SEPARATOR, "max_line_size": MAX_LINE_BYTES}),
        ("raw/retell_calls/read_webhooks.sql", hooks, {}),
    ):
        if not paths:
            continue
        try:
            conn.execute(read_sql(sql_name), {"files": paths, **params})
        except duckdb.Error:
            for path in paths:  # isolate the unreadable file(s), keep the rest
                try:
                    conn.execute(read_sql(sql_name), {"files": [path], **params})
                except duckdb.Error as exc:
                    if sql_name.endswith("jsonl.sql"):
                        _read_jsonl_in_python(conn, path, line_rejects, file_errors)
                    else:
                        file_errors[path] = f"unreadable file: {str(exc).splitlines()[0][:200]}"


def _read_jsonl_in_python(
    conn: Any, path: str, line_rejects: list[tuple[str, str, str]], file_errors: dict[str, str]
) -> None:
    docs: list[str] = []
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    docs.append(raw.decode("utf-8").rstrip("\r\n"))
                except UnicodeDecodeError:
                    line_rejects.append((path, f"line {number} is not UTF-8", raw[:300].decode("utf-8", "replace")))
    except OSError as exc:
        file_errors[path] = f"unreadable file: {exc}"[:300]
        return
    if docs:
        frame = pd.DataFrame({"source_file": [path] * len(docs), "doc": docs})
        conn.register("landing_lines_df", frame)
        try:
            run_sql_file(conn, "raw/retell_calls/stage_docs.sql")
        finally:
            conn.unregister("landing_lines_df")


def load_retell_files(conn: Any, files: list[LandingFile], now: datetime) -> LoadCounts:
    """Load the given Retell landing files (one transaction). `now` is the UTC load time."""
    files = [f for f in files if f.kind in (RETELL_JSONL, RETELL_WEBHOOK)]
    counts = LoadCounts(files=len(files))
    if not files:
        return counts
    # Reading happens on temp tables before the transaction: a file DuckDB cannot parse would
    # otherwise abort the whole transaction instead of becoming one reject.
    register_batch(conn, files)
    file_errors: dict[str, str] = {}
    line_rejects: list[tuple[str, str, str]] = []
    _read_docs(conn, [f for f in files if f.size_bytes > 0], file_errors, line_rejects)
    run_sql_file(conn, "raw/retell_calls/candidates.sql")
    kinds = {f.path: f.kind for f in files}

    def write() -> tuple[int, int]:
        run_sql_file(conn, "raw/call_rejects/delete_batch.sql")
        conn.execute(read_sql("raw/call_rejects/insert_retell.sql"), {"now": now})
        run_sql_file(conn, "raw/retell_calls/upsert.sql")
        for path, reason, snippet in line_rejects:
            conn.execute(read_sql("raw/call_rejects/insert.sql"), [path, kinds[path], reason, snippet, now])
            conn.execute(read_sql("raw/landing_files/count_file.sql"), [path, 0, 1])
        # Files that gave no record at all (empty, blank lines only, unreadable) are rejects too.
        with_docs = {row[0] for row in run_sql_file(conn, "raw/retell_calls/candidate_files.sql").fetchall()}
        with_docs |= {path for path, _, _ in line_rejects}
        whole_file_rejects = [
            (f.path, f.kind, file_errors.get(f.path, "empty file (no records)"), None, now)
            for f in files
            if f.path not in with_docs
        ]
        if whole_file_rejects:
            conn.executemany(read_sql("raw/call_rejects/insert.sql"), whole_file_rejects)
            conn.executemany(read_sql("raw/landing_files/count_file.sql"), [(r[0], 0, 1) for r in whole_file_rejects])
        conn.execute(read_sql("raw/landing_files/record.sql"), {"now": now})
        loaded, rejected = run_sql_file(conn, "raw/landing_files/totals.sql").fetchone()
        return int(loaded), int(rejected)

    loaded, rejected = in_transaction(conn, write)
    counts.loaded, counts.rejected = loaded, rejected
    return counts
