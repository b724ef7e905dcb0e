"""Shared by the /ops tests: the token and the settings of a brain with the page on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brain_service.settings import BrainSettings

OPS_TOKEN = "ops-token-for-tests-0123456789"


def ops_settings(data_dir: Path, **overrides: Any) -> BrainSettings:
    values: dict[str, Any] = {
        "brain_host": "127.0.0.1",
        "brain_port": 0,
        "data_dir": data_dir,
        "brain_ops_token": OPS_TOKEN,
        "brain_begin_wait_call_details_ms": 0,
        "brain_reconnect_grace_s": 0.3,
        "brain_use_llm": False,
    }
    values.update(overrides)
    return BrainSettings(_env_file=None, **values)
