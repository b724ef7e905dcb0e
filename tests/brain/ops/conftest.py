"""Fixtures for the /ops tests: the real brain (real playbook conversation, real uvicorn on a loopback
port, a tmp DATA_DIR) with ``BRAIN_OPS_TOKEN`` set; calls are Retell-shaped over real websockets
(`tests/support/retell_caller.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.brain import RunningBrain, start_brain
from tests.support.ops import ops_settings


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
