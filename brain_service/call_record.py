"""The call record: one JSON file per call, the brain's only output to the data platform.

Written once at the end of the call to ``$DATA_DIR/landing/brain_calls/<yyyy-mm-dd>/<call_id>.json``
(the date is the call's UTC start date) through a temporary file in the same directory and
``os.replace``, so a reader never sees half a file. Shape: ``contracts/schemas/call_record.v1.schema.json``
(documented in ``docs/call-record.md``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout
from contracts.schemas import CALL_RECORD_V1

SCHEMA_VERSION = CALL_RECORD_V1


def iso_utc(epoch_seconds: float) -> str:
    """ISO-8601 UTC with milliseconds and a trailing Z."""
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def record_path(data_dir: Path, call_id: str, started_at_epoch: float) -> Path:
    return DataLayout(Path(data_dir)).brain_call_record(call_id, started_at_epoch)


def write_call_record(data_dir: Path, record: dict[str, Any], started_at_epoch: float) -> Path:
    """Write ``record`` atomically; returns the final path. Rewrites the same path if called again."""
    path = record_path(data_dir, str(record["call_id"]), started_at_epoch)
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, payload)
    return path
