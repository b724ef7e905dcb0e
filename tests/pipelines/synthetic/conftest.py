"""Fixtures of the synthetic-world tests: a tmp DATA_DIR and DuckDB file, settings reset, and the
default world generated once per session (generation is deterministic, so sharing is safe)."""

from __future__ import annotations

import pytest

from pipelines.synthetic import SyntheticConfig, generate_call_set, generate_clinics


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in (
        "WAREHOUSE_PATH",
        "SYNTHETIC_SEED",
        "SYNTHETIC_AS_OF",
        "SYNTHETIC_CLINICS",
        "SYNTHETIC_CALLS",
        "SYNTHETIC_DAYS",
        "SYNTHETIC_BOOTSTRAP",
    ):
        monkeypatch.delenv(name, raising=False)
    yield tmp_path / "data"


@pytest.fixture(scope="session")
def default_config() -> SyntheticConfig:
    return SyntheticConfig.build()


@pytest.fixture(scope="session")
def default_world(default_config):
    """(clinics, generated calls) of the default world: 50 clinics, 200 calls."""
    clinics = generate_clinics(default_config.seed, default_config.n_clinics)
    return clinics, generate_call_set(default_config, clinics)
