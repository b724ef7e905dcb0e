"""Load brain call records (landing/brain_calls/<date>/<call_id>.json) into raw.brain_calls.

Each file is parsed and validated against `contracts/schemas/call_record.v1.schema.json` (the
contract the brain writes to). Valid records are merged by call_id (the newest file wins); an
unreadable, non-JSON or schema-invalid file becomes one raw.call_rejects row with the first
validation message. One transaction, run again on a DuckLake write conflict
(`pipelines/platform/transactions.py`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd

from contracts.schemas import CALL_RECORD_V1, load_schema
from pipelines.landing.files import BRAIN_CALL, LandingFile
from pipelines.landing.retell import LoadCounts, register_batch
from pipelines.platform.sql import read_sql, run_sql_file
from pipelines.platform.transactions import in_transaction


@lru_cache(maxsize=1)
def record_validator() -> jsonschema.protocols.Validator:
    schema = load_schema(CALL_RECORD_V1)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _utc(ts: str) -> datetime:
    return datetime.fromisoformat(ts).astimezone(UTC).replace(tzinfo=None)


def parse_record(data: bytes) -> dict[str, Any] | str:
    """The validated record, or the reason it is rejected."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"invalid JSON: {exc}"[:300]
    errors = sorted(record_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(record)"
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"schema: {where}: {first.message}"[:280] + more
    try:
        if _utc(record["ended_at"]) < _utc(record["started_at"]):
            return "ended_at is before started_at"
    except ValueError as exc:
        return f"bad timestamp: {exc}"[:300]
    return record


def load_brain_files(conn: Any, files: list[LandingFile], now: datetime) -> LoadCounts:
    files = [f for f in files if f.kind == BRAIN_CALL]
    counts = LoadCounts(files=len(files))
    if not files:
        return counts
    good: list[dict[str, Any]] = []
    rejects: list[tuple[str, str, str, str | None, datetime]] = []
    for f in files:
        try:
            data = Path(f.path).read_bytes()
        except OSError as exc:
            rejects.append((f.path, f.kind, f"unreadable file: {exc}"[:300], None, now))
            continue
        parsed = parse_record(data)
        if isinstance(parsed, str):
            rejects.append((f.path, f.kind, parsed, data[:300].decode("utf-8", "replace"), now))
            continue
        good.append(
            {
                "call_id": parsed["call_id"],
                "record": json.dumps(parsed, ensure_ascii=False),
                "source_file": f.path,
                "started_at": _utc(parsed["started_at"]),
                "ended_at": _utc(parsed["ended_at"]),
                "synthetic": bool(parsed["synthetic"]),
                "file_mtime_ns": f.mtime_ns,
            }
        )
    register_batch(conn, files)
    batch = pd.DataFrame(good) if good else None
    loaded_by_file = {g["source_file"] for g in good}

    def write() -> None:
        run_sql_file(conn, "raw/call_rejects/delete_batch.sql")
        if rejects:
            conn.executemany(read_sql("raw/call_rejects/insert.sql"), rejects)
        if batch is not None:
            conn.register("brain_records_df", batch)
            try:
                run_sql_file(conn, "raw/brain_calls/stage.sql")
            finally:
                conn.unregister("brain_records_df")
            run_sql_file(conn, "raw/brain_calls/upsert.sql")
        conn.executemany(
            read_sql("raw/landing_files/count_file.sql"),
            [(f.path, int(f.path in loaded_by_file), int(f.path not in loaded_by_file)) for f in files],
        )
        conn.execute(read_sql("raw/landing_files/record.sql"), {"now": now})

    in_transaction(conn, write)
    counts.loaded, counts.rejected = len(good), len(rejects)
    return counts
