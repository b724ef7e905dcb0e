"""The prompt loop closed offline: simulated callers with a hidden preference between two wordings
of the email ask talk to the real brain over real websockets; their call records land through the
real `calls` assets (raw.brain_calls → staging) into `marts.prompt_version_stats`; the lineage
builds a candidate, the eval gate passes it, nothing is published while the lock is on, the lock is
opened for one publish — and the published version captures more emails in the simulation than the
baseline did, with every do-not-call request honoured."""

from __future__ import annotations

import asyncio
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from assets.calls.assets import raw_brain_calls, staging_calls, staging_tool_events, staging_transcript_lines
from assets.journeys.assets import customer_journeys, line_signals
from assets.prompts.assets import eval_gate, prompt_candidates, prompt_version_stats
from assets.revenue_ops.assets import call_features
from brain_service.settings import BrainSettings
from contracts.layout import DataLayout
from contracts.prompt_assignment import unit_hash
from pipelines.platform.sql import run_sql_file
from pipelines.prompts.publish import PromptLockClosed, publish
from simulator.persona import CallContext, SimPersona
from simulator.playback import play_answered
from simulator.settings import SimulatorSettings
from tests.support.brain import start_brain
from tests.support.journeys import DDL, materialize, query
from tests.support.warehouse import connect
from vocabulary.prompt_versions import builtin_version

PREFERRED = "Who should get a short summary? What's their email?"
ASSETS = [
    raw_brain_calls,
    staging_calls,
    staging_transcript_lines,
    staging_tool_events,
    line_signals,
    customer_journeys,
    call_features,
    prompt_version_stats,
    prompt_candidates,
    eval_gate,
]
SCRIPT = ("Sure.", "Our office manager.", "They wait till the morning.", "Yeah, that could help.")
BASE_RATE = 0.15  # the hidden chance that a caller gives an email to the other wording


def hidden_preference(persona: SimPersona, heard: str, planned: str | None, ctx: CallContext) -> str | None:
    """Gives the email when asked with the preferred wording; otherwise rarely. Every 6th caller
    asks not to be called again at once."""
    call_id = ctx.call["call_id"]
    said = heard.lower()
    if unit_hash(call_id, "dnc") < 1 / 6:
        return "Stop calling me." if not ctx.memory.get("dnc") and ctx.memory.setdefault("dnc", True) else None
    if ctx.memory.get("gave"):
        return "Yes, that's right." if "right" in said or "is it" in said else None
    if re.search(r"\bemail\b", said):
        asked = ctx.memory["asks"] = ctx.memory.get("asks", 0) + 1
        if PREFERRED.lower() in said or (asked == 1 and unit_hash(call_id, "mood") < BASE_RATE):
            ctx.memory["gave"] = True
            return "It's jane at glowspa dot com."
        return "No, not interested." if asked <= 2 else None
    return planned


PERSONA = SimPersona("prefers_b", "loop", SCRIPT, "email_captured", react=hidden_preference)


async def _play(ws_url: str, call_ids: list[str]) -> None:
    settings = SimulatorSettings(_env_file=None, brain_ws_url=ws_url, time_scale=1000.0, reply_timeout_s=10.0)
    gate = asyncio.Semaphore(4)

    async def one(call_id: str) -> None:
        call = {
            "call_id": call_id,
            "call_type": "phone_call",
            "direction": "outbound",
            "from_number": "+14155550123",
            "to_number": "+12025550143",
            "metadata": {"business_name": "Glow Spa", "synthetic": "true"},
        }
        async with gate:
            result = await play_answered(PERSONA, call, CallContext(call, random.Random(call_id)), settings)
        assert result.error is None, result.error

    await asyncio.gather(*(one(c) for c in call_ids))


def _records(data_dir: Path, prefix: str) -> list[dict[str, Any]]:
    paths = DataLayout(data_dir).brain_calls.rglob(f"{prefix}*.json")
    return [json.loads(p.read_bytes()) for p in sorted(paths)]


def _capture_rate(records: list[dict[str, Any]]) -> float:
    talking = [r for r in records if r["outcome"] != "dnc"]
    return sum(r["outcome"] == "email_captured" for r in talking) / len(talking)


def _dnc_honoured(records: list[dict[str, Any]]) -> bool:
    asked = [r for r in records if any(t["role"] == "user" and "Stop calling" in t["text"] for t in r["turns"])]
    assert asked, "the simulation should include do-not-call requests"
    for r in asked:
        last_agent = [t for t in r["turns"] if t["role"] == "agent"][-1]
        follow_ups = [e for e in r["tool_events"] if e["name"] == "set_follow_up_plan"]
        if r["outcome"] != "dnc" or "don't call you again" not in last_agent["text"] or follow_ups:
            return False
    return True


def test_the_loop_learns_the_hidden_preference(tmp_path: Path, data_dir: Path, monkeypatch, warehouse_backend) -> None:
    monkeypatch.setenv("PROMPT_LEARN_MIN_CALLS", "40")
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as conn:
        conn.execute(DDL)  # staging.leads and friends, empty: the simulated clinics are not leads
        run_sql_file(conn, "raw/retell_calls.sql")
    baseline = builtin_version()
    baseline.update(version="loop-1", parent="builtin-v1")
    baseline["lines"]["email_ask"]["variants"] = [{"id": "b", "say": [PREFERRED]}]
    source = DataLayout(data_dir).prompt_candidate("loop-1")
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(json.dumps(baseline))
    publish(data_dir, "loop-1", lock_on=False, by="test")

    brain = start_brain(
        BrainSettings(
            _env_file=None, brain_host="127.0.0.1", brain_port=0, data_dir=data_dir, brain_reconnect_grace_s=0
        )
    )
    try:
        asyncio.run(_play(brain.ws_base, [f"loop_a_{i:03d}" for i in range(48)]))
        before = _records(data_dir, "loop_a_")
        assert {r["prompt_version"] for r in before} == {"loop-1"}
        heard_b = [r for r in before if r["prompt_variants"] == {"email_ask": "b"}]
        assert 0 < len(heard_b) < len(before)

        active_before = DataLayout(data_dir).active_prompt.read_bytes()
        result = materialize(warehouse, ASSETS)
        stats = query(
            warehouse,
            "SELECT variant_id, calls, email_capture_rate FROM marts.prompt_version_stats "
            "WHERE grain = 'wording' AND line_key = 'email_ask' ORDER BY variant_id",
        )
        assert [row[0] for row in stats] == ["b", "base"] and stats[0][2] > stats[1][2]
        (event,) = [
            e for e in result.get_asset_materialization_events() if e.asset_key.path == ["prompts", "prompt_candidates"]
        ]
        name = event.materialization.metadata["candidate"].value
        assert name, "the lineage should build a candidate from 48 calls"
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        assert checks["eval_gate"] is True
        # the lineage never publishes, and the lock holds
        assert DataLayout(data_dir).active_prompt.read_bytes() == active_before
        with pytest.raises(PromptLockClosed):
            publish(data_dir, name, lock_on=True, by="test")
        asyncio.run(_play(brain.ws_base, [f"loop_l_{i:03d}" for i in range(6)]))
        assert {r["prompt_version"] for r in _records(data_dir, "loop_l_")} == {"loop-1"}
        # the lock opened for one publish
        published = publish(data_dir, name, lock_on=False, by="test")
        assert published["lines"]["email_ask"] == {"say": [PREFERRED]}

        asyncio.run(_play(brain.ws_base, [f"loop_b_{i:03d}" for i in range(24)]))
        after = _records(data_dir, "loop_b_")
    finally:
        brain.stop()
    assert {r["prompt_version"] for r in after} == {name}
    print(  # the figures docs/prompts.md quotes (pytest -s)
        f"capture: baseline {_capture_rate(before):.2f} (base wording "
        f"{_capture_rate([r for r in before if r not in heard_b]):.2f}, b {_capture_rate(heard_b):.2f}) "
        f"-> published {_capture_rate(after):.2f}"
    )
    assert _capture_rate(after) > _capture_rate(before)
    assert _capture_rate(after) > _capture_rate([r for r in before if r not in heard_b])
    assert _dnc_honoured(before) and _dnc_honoured(after)
