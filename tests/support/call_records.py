"""Brain settings for tests that write call records, and the records read back (schema-checked)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema

from brain_service.settings import BrainSettings
from contracts.schemas import load_schema

_VALIDATOR = jsonschema.Draft202012Validator(load_schema())


def make_settings(data_dir: Path, **overrides: Any) -> BrainSettings:
    values: dict[str, Any] = dict(
        brain_host="127.0.0.1",
        brain_port=0,
        data_dir=data_dir,
        brain_reconnect_grace_s=0,
        brain_begin_wait_call_details_ms=1000,
    )
    values.update(overrides)
    return BrainSettings(_env_file=None, **values)


def read_records(data_dir: Path) -> dict[str, dict[str, Any]]:
    """Every call record under DATA_DIR, each validated against the schema."""
    out = {}
    for path in sorted((data_dir / "landing" / "brain_calls").glob("*/*.json")):
        record = json.loads(path.read_text())
        _VALIDATOR.validate(record)
        out[record["call_id"]] = record
    return out


def wait_record(data_dir: Path, call_id: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = read_records(data_dir)
        if call_id in records:
            return records[call_id]
        time.sleep(0.02)
    raise AssertionError(f"no call record for {call_id} within {timeout}s")
