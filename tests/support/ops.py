"""The /ops tests' token and the brain settings with the page on (real playbook, tmp DATA_DIR)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brain_service.settings import BrainSettings
from tests.support.call_records import make_settings

OPS_TOKEN = "ops-token-for-tests-0123456789"


def ops_settings(data_dir: Path, **overrides: Any) -> BrainSettings:
    values: dict[str, Any] = {
        "brain_ops_token": OPS_TOKEN,
        "brain_begin_wait_call_details_ms": 0,
        "brain_reconnect_grace_s": 0.3,
        "brain_use_llm": False,
    }
    values.update(overrides)
    return make_settings(data_dir, **values)
