"""The call record: one JSON file per call, the brain's only output to the data platform.

Written once at the end of the call to ``$DATA_DIR/landing/brain_calls/<yyyy-mm-dd>/<call_id>.json``
(the date is the call's UTC start date) through a temporary file in the same directory and
``os.replace``, so a reader never sees half a file. Shape: ``vocabulary/schemas/call_record.v1.schema.json``
(documented in ``docs/call-record.md``).
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vocabulary.landing import atomic_write_bytes

SCHEMA_VERSION = "call_record.v1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "vocabulary" / "schemas" / "call_record.v1.schema.json"
_SAFE_ID_RE = re.compile(r"[^A-Za-z0-9._\-]")


def iso_utc(epoch_seconds: float) -> str:
    """ISO-8601 UTC with milliseconds and a trailing Z."""
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def safe_file_stem(call_id: str) -> str:
    """A call id usable as a file name (Retell ids are already safe; anything else is escaped)."""
    stem = re.sub(r"\.{2,}", "_", _SAFE_ID_RE.sub("_", call_id))[:200].strip(".")
    return stem or "call"


def record_path(data_dir: Path, call_id: str, started_at_epoch: float) -> Path:
    day = datetime.fromtimestamp(started_at_epoch, tz=timezone.utc).strftime("%Y-%m-%d")
    return Path(data_dir) / "landing" / "brain_calls" / day / f"{safe_file_stem(call_id)}.json"


def write_call_record(data_dir: Path, record: dict[str, Any], started_at_epoch: float) -> Path:
    """Write ``record`` atomically; returns the final path. Rewrites the same path if called again."""
    path = record_path(data_dir, str(record["call_id"]), started_at_epoch)
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    atomic_write_bytes(path, payload)
    return path


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
