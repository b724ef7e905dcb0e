"""Brain settings for tests that write call records, and the records read back (schema-checked)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jsonschema

from brain_service.settings import BrainSettings
from contracts.schemas import load_schema
from vocabulary.prompt_versions import builtin_version

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


def version_doc(
    name: str,
    *,
    system_prompt: str | None = None,
    lines: dict[str, Any] | None = None,
    parameters: dict[str, Any] | None = None,
    ab: dict[str, float] | None = None,
) -> dict[str, Any]:
    """`builtin-v1` renamed to ``name`` with some lines / parameters / A/B weights replaced."""
    doc = builtin_version()
    doc.update(version=name, parent="builtin-v1")
    if system_prompt is not None:
        doc["system_prompt"] = system_prompt
    doc["lines"].update(lines or {})
    doc["parameters"].update(parameters or {})
    if ab:
        doc["ab"] = {"weights": ab}
    return doc


def write_version(data_dir: Path, doc: dict[str, Any], *, active: bool = True) -> None:
    """Write ``doc`` to prompts/versions/<v>.json and (``active``) prompts/active.json."""
    prompts = data_dir / "prompts"
    (prompts / "versions").mkdir(parents=True, exist_ok=True)
    raw = json.dumps(doc, indent=2)
    (prompts / "versions" / f"{doc['version']}.json").write_text(raw)
    if active:
        tmp = prompts / "active.json.tmp"
        tmp.write_text(raw)
        tmp.replace(prompts / "active.json")
