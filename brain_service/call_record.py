"""The call record: one JSON file per call, the brain's only output to the data platform.

Written once at the end of the call to ``$DATA_DIR/landing/brain_calls/<yyyy-mm-dd>/<call_id>.json``
(the date is the call's UTC start date) through a temporary file in the same directory and
``os.replace``, so a reader never sees half a file. Shape: ``contracts/schemas/call_record.v1.schema.json``
(documented in ``docs/call-record.md``).
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brain_service.logs import get_logger
from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout
from contracts.schemas import CALL_RECORD_V1

SCHEMA_VERSION = CALL_RECORD_V1

logger = get_logger("call_record")
_SURROGATE = re.compile("[\ud800-\udfff]")


def iso_utc(epoch_seconds: float) -> str:
    """ISO-8601 UTC with milliseconds and a trailing Z."""
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def record_path(data_dir: Path, call_id: str, started_at_epoch: float) -> Path:
    return DataLayout(Path(data_dir)).brain_call_record(call_id, started_at_epoch)


def valid_json_value(value: Any, repaired: list[str], where: str = "$") -> Any:
    """``value`` as strict JSON can hold it: NaN / Infinity become null, lone surrogates U+FFFD.

    The path of every repaired value is appended to ``repaired``.
    """
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        repaired.append(where)
        return None
    if isinstance(value, str):
        if not _SURROGATE.search(value):
            return value
        repaired.append(where)
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {
            valid_json_value(str(k), repaired, where): valid_json_value(v, repaired, f"{where}.{k}")
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [valid_json_value(v, repaired, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def write_call_record(data_dir: Path, record: dict[str, Any], started_at_epoch: float) -> Path:
    """Write ``record`` atomically; returns the final path. Rewrites the same path if called again.

    Only valid JSON is written: a value JSON cannot hold (NaN, Infinity, a lone surrogate) is
    repaired — null, U+FFFD — and logged at WARNING with its path, never a reason to lose the record.
    """
    repaired: list[str] = []
    record = valid_json_value(record, repaired)
    if repaired:
        logger.warning(
            "call record %s: %d value(s) JSON cannot hold were repaired (null / U+FFFD): %s",
            record.get("call_id"),
            len(repaired),
            ", ".join(repaired[:10]),
        )
    path = record_path(data_dir, str(record["call_id"]), started_at_epoch)
    payload = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )
    atomic_write_bytes(path, payload)
    return path
