"""A/B assignment of a call to a prompt version: a stable hash of the call id, nothing else.

`active.json` may share the calls between several versions (`ab.weights`). Both halves use this one
function: the brain to pin a call's version (a reconnect with the same call id lands on the same
version), the pipelines to predict and test the split. The hash is SHA-256 of a salt and the call
id, read as a number in [0, 1); versions are laid out on that line in sorted name order, so the
assignment depends only on the call id and the weights — not on dict order, process or time.
A line variant inside a version is assigned the same way with the line key as salt, so one call
hears one wording of each line throughout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

_SCALE = float(1 << 64)


def unit_hash(call_id: str, salt: str = "") -> float:
    """A number in [0, 1) fixed by ``salt`` and ``call_id`` (uniform over random-looking ids)."""
    digest = hashlib.sha256(f"{salt}\x1f{call_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def pick_weighted(call_id: str, weights: Mapping[str, float], salt: str = "version") -> str:
    """The key of ``weights`` that ``call_id`` falls on (weights need not sum to one)."""
    items = sorted((name, float(w)) for name, w in weights.items() if float(w) > 0)
    if not items:
        raise ValueError("no positive weight to assign a call to")
    total = sum(w for _, w in items)
    point = unit_hash(call_id, salt) * total
    running = 0.0
    for name, weight in items:
        running += weight
        if point < running:
            return name
    return items[-1][0]


def assign_version(call_id: str, weights: Mapping[str, float]) -> str:
    """The prompt version a call is pinned to under ``weights`` (version -> weight)."""
    return pick_weighted(call_id, weights, salt="version")


def assign_variant(call_id: str, line_key: str, variant_ids: Sequence[str]) -> str:
    """The wording (variant id, e.g. "base", "b") a call hears for one line; equal shares."""
    if not variant_ids:
        raise ValueError(f"line {line_key!r} has no variants")
    return pick_weighted(call_id, dict.fromkeys(variant_ids, 1.0), salt=f"line:{line_key}")
