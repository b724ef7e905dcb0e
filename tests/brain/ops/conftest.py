"""Fixtures for the /ops tests: the real brain (real playbook conversation, real uvicorn on a loopback
port, a tmp DATA_DIR) with ``BRAIN_OPS_TOKEN`` set, and Retell-shaped calls over real websockets
(`bench/retell_caller.py`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.retell_caller import RunningBrain, start_brain

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ops_helpers import ops_settings  # noqa: E402


@pytest.fixture
def brain_with(tmp_path: Path) -> Iterator[Callable[..., RunningBrain]]:
    """``brain_with(**settings)`` starts the real brain on ``tmp_path / "data"``; stopped after the test."""
    started: list[RunningBrain] = []

    def start(**overrides: Any) -> RunningBrain:
        brain = start_brain(ops_settings(tmp_path / "data", **overrides))
        started.append(brain)
        return brain

    yield start
    for brain in started:
        brain.stop()


@pytest.fixture
def ops_brain(brain_with: Callable[..., RunningBrain]) -> RunningBrain:
    return brain_with()
