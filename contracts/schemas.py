"""The JSON Schemas of the documents the halves exchange (`contracts/schemas/*.schema.json`)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

CALL_RECORD_V1 = "call_record.v1"
PROMPT_VERSION_V1 = "prompt_version.v1"


@cache
def load_schema(name: str = CALL_RECORD_V1) -> dict[str, Any]:
    """The parsed schema `name` (e.g. `call_record.v1`); the same dict on every call, do not mutate."""
    text = resources.files("contracts").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
