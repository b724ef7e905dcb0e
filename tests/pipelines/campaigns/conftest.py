"""Fixtures of the campaign tests: a fresh DATA_DIR and warehouse file per test (settings are built
per use from the environment; builders live in `tests/support/campaigns.py`)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in ("WAREHOUSE_PATH", "RETELL_API_KEY", "RETELL_BASE_URL", "DRY_RUN", "CAMPAIGNS_STOP"):
        monkeypatch.delenv(name, raising=False)
    yield
