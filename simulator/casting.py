"""Who answers a simulated call: a persona drawn deterministically from the seed and the lead.

The draw is keyed on the seed and the lead (``metadata.lead_id``, else the dialled number), so the
same lead meets the same persona whatever order calls are created in; the per-call random source is
keyed on the lead and on how often that lead was dialled, so a redial may go differently but a rerun
with the same seed repeats every decision. Call ids come from the seed and a sequence number.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from typing import Any

from simulator.persona import SimPersona

CallerFactory = Callable[[dict[str, Any], random.Random], SimPersona]


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def lead_key(call: dict[str, Any]) -> str:
    metadata = call.get("metadata")
    if isinstance(metadata, dict) and metadata.get("lead_id") not in (None, ""):
        return f"lead:{metadata['lead_id']}"
    return f"to:{call.get('to_number', '')}"


def call_id_for(run_id: str, sequence: int) -> str:
    return "call_" + hashlib.sha256(f"{run_id}:{sequence}".encode()).hexdigest()[:28]


class Casting:
    """Draws personas from `catalog` (or asks `caller_factory`) for each call."""

    def __init__(self, catalog: Sequence[SimPersona], seed: int, caller_factory: CallerFactory | None = None) -> None:
        if not catalog and caller_factory is None:
            raise ValueError("the persona catalog is empty")
        self.catalog = tuple(catalog)
        self.seed = seed
        self.caller_factory = caller_factory
        self._dialled: dict[str, int] = {}

    def cast(self, call: dict[str, Any]) -> tuple[SimPersona, random.Random]:
        """The persona for this call and the random source of its decisions."""
        key = lead_key(call)
        attempt = self._dialled.get(key, 0)
        self._dialled[key] = attempt + 1
        rng = _rng(self.seed, key, attempt)
        if self.caller_factory is not None:
            return self.caller_factory(call, rng), rng
        return self.catalog[_rng(self.seed, key).randrange(len(self.catalog))], rng
