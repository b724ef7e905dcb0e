"""Fixtures for the simulator tests: the real brain on a loopback port (playbook mode, webhooks
verified with the simulator's key) and `simulate(**settings)`, a started RetellSimulator pointed at
it; a real retell-sdk client against the simulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from retell import Retell

from brain_service.settings import BrainSettings
from simulator import RetellSimulator, SimulatorSettings
from tests.support.brain import RunningBrain, start_brain
from tests.support.simulator import SIM_KEY


@pytest.fixture(scope="module")
def brain_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("brain-data")


@pytest.fixture(scope="module")
def brain(brain_dir: Path) -> Iterator[RunningBrain]:
    settings = BrainSettings(
        _env_file=None,
        brain_host="127.0.0.1",
        brain_port=0,
        data_dir=brain_dir,
        brain_reconnect_grace_s=0,  # a caller hang-up is recorded at once
        brain_begin_wait_call_details_ms=1000,
        retell_api_key=SIM_KEY,
    )
    running = start_brain(settings)
    yield running
    running.stop()


@pytest.fixture
def simulate(brain: RunningBrain) -> Iterator[Any]:
    """``simulate(catalog=…, caller_factory=…, **settings)`` -> a started simulator, stopped after the test."""
    started: list[RetellSimulator] = []

    def start(*, catalog: Any = None, caller_factory: Any = None, **overrides: Any) -> RetellSimulator:
        values: dict[str, Any] = {
            "api_key": SIM_KEY,
            "brain_ws_url": brain.ws_base,
            "webhook_url": f"http://127.0.0.1:{brain.port}/webhooks/retell",
            "time_scale": 100_000,
            **overrides,
        }
        kwargs: dict[str, Any] = {"caller_factory": caller_factory}
        if catalog is not None:
            kwargs["catalog"] = catalog
        sim = RetellSimulator(SimulatorSettings(_env_file=None, **values), **kwargs).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


def client_for(sim: RetellSimulator) -> Retell:
    return Retell(api_key=sim.api_key, base_url=sim.base_url, max_retries=0)


@pytest.fixture
def client() -> Any:
    return client_for
