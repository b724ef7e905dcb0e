"""`make eval` in short form: every scripted persona through the real websocket, floors enforced."""

from __future__ import annotations

from pathlib import Path

from bench.eval import floors_met, run_eval
from simulator.personas import PERSONAS


def test_persona_set_covers_the_required_kinds() -> None:
    kinds = {p.kind for p in PERSONAS}
    assert len(PERSONAS) >= 40
    assert {
        "cooperative",
        "gatekeeper",
        "not_decision_maker",
        "price",
        "spoken",
        "spelled",
        "generic",
        "correction",
        "voicemail",
        "robot",
        "silence",
        "angry",
        "dnc",
    } <= kinds
    assert sum(p.kind == "dnc" for p in PERSONAS) >= 10
    assert len({p.name for p in PERSONAS}) == len(PERSONAS)


async def test_eval_floors(tmp_path: Path) -> None:
    summary = await run_eval(PERSONAS, data_dir=tmp_path)
    assert floors_met(summary) == [], summary
    assert summary["dnc_compliance"] == 1.0
    assert summary["dead_air"] == 0 and summary["stale_frames"] == 0
    assert summary["max_readability_grade"] <= 8
    assert summary["email_capture_rate"] >= 0.9
    assert summary["outcome_accuracy"] >= 0.95, summary["outcome_misses"]
