"""A/B assignment by call id: stable, independent of dict order, close to the weights."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from contracts.prompt_assignment import assign_variant, assign_version, unit_hash

IDS = [f"call_{i:05d}" for i in range(10_000)]


def test_same_call_id_same_version_across_processes() -> None:
    weights = {"p-a": 0.8, "p-b": 0.2}
    here = [assign_version(c, weights) for c in IDS[:200]]
    code = (
        "from contracts.prompt_assignment import assign_version;"
        f"print(','.join(assign_version(f'call_{{i:05d}}', {weights!r}) for i in range(200)))"
    )
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert there.split(",") == here  # a reconnect (even to another brain process) keeps its version


def test_dict_order_does_not_matter() -> None:
    a = {"p-a": 0.5, "p-b": 0.3, "p-c": 0.2}
    b = dict(reversed(list(a.items())))
    assert [assign_version(c, a) for c in IDS[:500]] == [assign_version(c, b) for c in IDS[:500]]


@pytest.mark.parametrize("weights", [{"p-a": 0.8, "p-b": 0.2}, {"x": 1, "y": 1, "z": 2}, {"a": 0.5, "b": 0.5}])
def test_split_within_three_points_of_the_weights_over_10k_ids(weights: dict[str, float]) -> None:
    counts = Counter(assign_version(c, weights) for c in IDS)
    total = sum(weights.values())
    for name, weight in weights.items():
        assert abs(counts[name] / len(IDS) - weight / total) <= 0.03, (name, counts)


def test_single_version_takes_every_call_and_zero_weight_none() -> None:
    assert {assign_version(c, {"only": 1.0, "off": 0.0}) for c in IDS[:300]} == {"only"}


def test_no_positive_weight_is_an_error() -> None:
    with pytest.raises(ValueError, match="no positive weight"):
        assign_version("call_1", {"a": 0.0})


def test_variants_split_evenly_and_independently_of_the_version_split() -> None:
    counts = Counter(assign_variant(c, "email_ask", ["base", "b"]) for c in IDS)
    assert abs(counts["b"] / len(IDS) - 0.5) <= 0.03
    versions = [assign_version(c, {"p-a": 0.5, "p-b": 0.5}) for c in IDS]
    variants = [assign_variant(c, "email_ask", ["base", "b"]) for c in IDS]
    both = Counter(zip(versions, variants, strict=True))
    assert all(abs(n / len(IDS) - 0.25) <= 0.03 for n in both.values())  # different salts: no correlation


def test_unit_hash_range_and_salt() -> None:
    values = [unit_hash(c) for c in IDS[:1000]]
    assert all(0.0 <= v < 1.0 for v in values)
    assert unit_hash("call_1", "a") != unit_hash("call_1", "b")
