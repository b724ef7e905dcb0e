"""Helpers for the simulator tests (unique module name: several test folders have a conftest)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator import SimPersona
from simulator.personas import CATALOG

SIM_KEY = "key_sim_test_0123456789"
FROM = "+12145550100"


def persona(name: str) -> SimPersona:
    return next(p for p in CATALOG if p.name == name)


def always(name: str) -> Any:
    """A caller_factory that casts the same persona for every call."""
    chosen = persona(name)
    return lambda call, rng: chosen


def by_lead(mapping: dict[str, str]) -> Any:
    """A caller_factory casting ``mapping[metadata.lead_id]``."""
    return lambda call, rng: persona(mapping[call["metadata"]["lead_id"]])


def landed_webhooks(data_dir: Path, call_id: str) -> list[str]:
    """Events the brain verified and landed for a call, in file-name order."""
    return sorted(
        json.loads(p.read_text())["event"] for p in (data_dir / "landing" / "retell_webhooks").glob(f"*/{call_id}.*")
    )


def brain_record(data_dir: Path, call_id: str) -> dict[str, Any] | None:
    for path in (data_dir / "landing" / "brain_calls").glob(f"*/{call_id}.json"):
        return json.loads(path.read_text())
    return None


def dial(client: Any, i: int, **extra: Any) -> Any:
    return client.call.create_phone_call(
        from_number=FROM,
        to_number=f"+1214666{i:04d}",
        metadata={"lead_id": f"lead_{i}", "campaign": "sim_test"},
        retell_llm_dynamic_variables={"business_name": f"Clinic {i}"},
        **extra,
    )


def wait_brain_record(data_dir: Path, call_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """The brain writes its record when it sees the socket close: poll against a deadline."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = brain_record(data_dir, call_id)
        if record is not None:
            return record
        time.sleep(0.02)
    raise AssertionError(f"no brain record for {call_id} within {timeout}s")
