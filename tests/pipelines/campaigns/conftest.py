"""Fixtures of the campaign tests: a fresh DATA_DIR and warehouse file per test, settings reset."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# `tests` is shadowed by a site-packages package, so the fakes and fixtures are imported by path.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fakes"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipelines.settings import get_settings


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in ("WAREHOUSE_PATH", "RETELL_API_KEY", "RETELL_BASE_URL", "DRY_RUN", "CAMPAIGNS_STOP"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
