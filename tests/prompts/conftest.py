"""Fixtures of the prompt tests: the journeys fixture builder on the path, settings isolated per test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipelines.settings import get_settings

# the staging-table fixture builder lives beside the journeys tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipelines" / "journeys"))
# `tests` is shadowed by a site-packages package (textstat ships one), so import the fakes by path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fakes"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(autouse=True)
def isolated_settings(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name in ("WAREHOUSE_PATH", "PROMPT_LOCK", "PROMPT_LEARN_MIN_CALLS", "GEMINI_API_KEY", "GEMINI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
