"""Fixtures of the prompt tests: DATA_DIR and prompt settings isolated per test (the journeys
fixture builder is `tests/support/journeys.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def isolated_settings(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name in ("WAREHOUSE_PATH", "PROMPT_LOCK", "PROMPT_LEARN_MIN_CALLS", "GEMINI_API_KEY", "GEMINI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    yield
