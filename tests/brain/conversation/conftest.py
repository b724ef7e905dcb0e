"""Fixtures for the conversation tests: the real brain app on a loopback port driven by a
Retell-shaped `websockets` client (`tests/support/retell_caller.py`), a tmp DATA_DIR whose call records are
validated against the JSON Schema, and the fake Gemini server (real HTTP, real SSE format)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.fake_gemini import FakeGemini, Scenario
from tests.support.brain import start_brain
from tests.support.call_records import make_settings, read_records, wait_record
from tests.support.retell_caller import RetellCall


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One DATA_DIR per test module (call ids are unique), so one brain serves the whole module."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture
def brain_with(data_dir: Path):
    """``brain_with(**settings)`` starts the real brain; stopped after the test."""
    started = []

    def start(**overrides: Any):
        brain = start_brain(make_settings(data_dir, **overrides))
        started.append(brain)
        return brain

    yield start
    for brain in started:
        brain.stop()


@pytest.fixture(scope="module")
def brain(data_dir: Path):
    """The default brain (playbook mode), shared by a test module."""
    running = start_brain(make_settings(data_dir))
    yield running
    running.stop()


@pytest.fixture
async def dial():
    """``await dial(brain, call_id, call=None)`` -> an open RetellCall past the greeting."""
    calls: list[RetellCall] = []

    async def open_call(
        brain: Any, call_id: str | None = None, call: dict[str, Any] | None = None, **kw: Any
    ) -> RetellCall:
        rc = await RetellCall.open(brain.ws_base, call_id or f"call_{uuid.uuid4().hex[:16]}", call, **kw)
        calls.append(rc)
        return rc

    yield open_call
    for rc in calls:
        await rc.close()


@pytest.fixture
def fake_gemini():
    with FakeGemini() as fake:
        yield fake


@pytest.fixture
def scenario() -> Callable[..., Scenario]:
    return Scenario


@pytest.fixture
def records() -> Callable[..., Any]:
    return read_records


@pytest.fixture
def record_of() -> Callable[..., dict[str, Any]]:
    return wait_record
