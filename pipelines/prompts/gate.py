"""The eval gate: a candidate is played through the simulated-caller eval before it may be published.

`run_gate(candidate, parent)` validates the candidate (schema + speech guards), then plays the 48
personas of `make eval` (`bench/eval.py`) against the real brain twice — once with the parent as
`active.json`, once with the candidate — each in its own temporary DATA_DIR. The candidate passes when:

* the brain pinned the candidate on every call record (it really loaded it);
* the eval's floors hold: DNC compliance 100 %, dead air 0, stale frames 0, readability ≤ 8,
  no persona errored (`bench.eval.floors_met`);
* AI disclosure 100 %: every call record says the agent disclosed it is an AI;
* the email capture rate is not lower than the parent's.

Compliance lines cannot be edited by a version, so a candidate cannot drop the do-not-call close;
the DNC floor proves it on the wire anyway. The brain speaks the active version's lines, so the eval
hears the candidate's words (and its system prompt when the eval runs with a model).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout
from vocabulary.prompt_versions import PromptVersionError, validate_version


@dataclass(frozen=True, slots=True)
class GateResult:
    passed: bool
    failures: tuple[str, ...]
    candidate: dict[str, Any] = field(default_factory=dict)  # the eval summary of the candidate
    parent: dict[str, Any] = field(default_factory=dict)

    def as_metadata(self) -> dict[str, Any]:
        keys = ("email_capture_rate", "dnc_compliance", "dead_air", "stale_frames", "max_readability_grade")
        return {
            "passed": self.passed,
            "failures": list(self.failures),
            "candidate": {k: self.candidate.get(k) for k in (*keys, "ai_disclosure", "pinned_version")},
            "parent": {k: self.parent.get(k) for k in keys},
        }


def _play(doc: dict[str, Any]) -> dict[str, Any]:
    from bench.eval import run_eval  # the eval harness lives in bench/; imported only when a gate runs

    with tempfile.TemporaryDirectory(prefix="eve-prompt-gate-") as tmp:
        data_dir = Path(tmp)
        layout = DataLayout(data_dir)
        atomic_write_bytes(layout.active_prompt, json.dumps(doc).encode("utf-8"))
        summary = asyncio.run(run_eval(data_dir=data_dir, concurrency=4))
        records = [json.loads(p.read_bytes()) for p in layout.brain_calls.rglob("*.json")]
    summary["calls_recorded"] = len(records)
    summary["ai_disclosure"] = (
        round(sum(bool(r.get("ai_disclosed")) for r in records) / len(records), 3) if records else None
    )
    pinned = {r.get("prompt_version") for r in records}
    summary["pinned_version"] = pinned.pop() if len(pinned) == 1 else sorted(str(p) for p in pinned)
    return summary


def run_gate(candidate: dict[str, Any], parent: dict[str, Any]) -> GateResult:
    """Validate and play ``candidate`` against ``parent``; never raises for a failing candidate."""
    try:
        validate_version(candidate, f"candidate {candidate.get('version')}")
    except PromptVersionError as exc:
        return GateResult(False, tuple(exc.problems))
    from bench.eval import floors_met

    baseline = _play(parent)
    played = _play(candidate)
    failures = [f"eval: {miss}" for miss in floors_met(played)]
    if played["pinned_version"] != candidate["version"]:
        failures.append(f"the brain pinned {played['pinned_version']!r}, not {candidate['version']!r}")
    if played["ai_disclosure"] != 1.0:
        failures.append(f"AI disclosure {played['ai_disclosure']} < 1.0")
    if (played["email_capture_rate"] or 0.0) < (baseline["email_capture_rate"] or 0.0):
        failures.append(
            f"email capture {played['email_capture_rate']} below the parent's {baseline['email_capture_rate']}"
        )
    return GateResult(not failures, tuple(failures), played, baseline)
