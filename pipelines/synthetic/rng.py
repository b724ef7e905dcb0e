"""Seed derivation for the synthetic world: one private `random.Random` per entity.

Every clinic, call and shuffle draws from its own generator whose seed is a SHA-256 of the world
seed and a path of labels (``entity_rng(42, "clinic", 7)``). Nothing ever touches the global
`random` module or the clock, so the same inputs give the same bytes on any machine, any day,
and adding one call never changes the others.
"""

from __future__ import annotations

import hashlib
import random


def derive_seed(*parts: object) -> int:
    """A 128-bit integer determined only by ``parts`` (their ``str`` forms, joined unambiguously)."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:16], "big")


def entity_rng(*parts: object) -> random.Random:
    """A fresh, private generator for one entity of the world."""
    return random.Random(derive_seed(*parts))
