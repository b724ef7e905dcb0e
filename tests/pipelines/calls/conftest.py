"""Fixtures for the call-data tests: the fake Retell API (real HTTP on loopback), a tmp DATA_DIR
and DuckDB file, and settings pointed at them (env + cache reset, the way the assets read them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.retell.config import SyncConfig
from tests.fakes.fake_retell import FakeRetell, synthetic_call_set


@pytest.fixture
def fake_retell():
    with FakeRetell(synthetic_call_set(0)) as fake:
        yield fake


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RETELL_API_KEY", raising=False)
    monkeypatch.delenv("WAREHOUSE_PATH", raising=False)
    yield tmp_path / "data"


@pytest.fixture
def make_sync_config():
    """make_sync_config(fake, data_dir, **overrides) → a fast SyncConfig against the fake."""
    return _sync_config


def _sync_config(fake: FakeRetell, data_dir: Path, **overrides) -> SyncConfig:
    options = dict(
        api_key=fake.api_key,
        base_url=fake.base_url,
        landing_dir=data_dir / "landing" / "retell_calls" / "api",
        state_file=data_dir / "state" / "retell_sync.json",
        lookback_ms=10**13,
        concurrency=8,
        sdk_max_retries=0,
        retry_attempts=3,
        backoff_s=0.01,
        page_size=50,
        pending_max_age_ms=10**13,
    )
    options.update(overrides)
    return SyncConfig(**options)
