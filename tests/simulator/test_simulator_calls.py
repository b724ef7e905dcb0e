"""Calls created through retell-sdk are played against the real brain; the call objects, brain
records and signed webhooks that come out are what Retell would produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simulator import CallContext, SimPersona
from tests.support.simulator import (
    always,
    by_lead,
    dial,
    landed_webhooks,
    persona,
    wait_brain_record,
)


def test_cooperative_call_end_to_end(simulate: Any, client: Any, brain_dir: Path) -> None:
    sim = simulate(caller_factory=always("cooperative_fast_email"))
    api = client(sim)
    created = dial(api, 1)
    assert created.call_status == "registered" and created.call_id.startswith("call_")
    [done] = sim.wait_for_calls(1, timeout=30)
    call = api.call.retrieve(created.call_id)
    assert call.call_status == "ended"
    assert call.disconnection_reason == "agent_hangup"
    assert call.from_number == "+12145550100" and call.to_number == "+12146660001"
    assert call.agent_id == "agent_simulated"
    assert call.metadata == {"lead_id": "lead_1", "campaign": "sim_test"}
    assert call.retell_llm_dynamic_variables == {"business_name": "Clinic 1"}
    assert "mike@brightsmile.com" in call.transcript
    assert call.transcript.startswith("Agent: ")
    assert call.transcript_object[0].role == "agent" and call.transcript_object[0].words
    assert call.duration_ms > 0 and call.end_timestamp - call.start_timestamp == call.duration_ms
    assert call.latency.e2e.num >= 2 and call.latency.e2e.p50 > 0
    assert call.call_analysis.call_successful is True
    assert call.call_analysis.custom_analysis_data["call_outcome"] == "email_captured"
    woven = [item.role for item in call.transcript_with_tool_calls]
    assert "tool_call_invocation" in woven
    # the brain verified the signed webhooks (401 otherwise) and landed them in order of events
    assert landed_webhooks(brain_dir, created.call_id) == ["call_analyzed", "call_ended", "call_started"]
    record = wait_brain_record(brain_dir, created.call_id)
    assert record["outcome"] == "email_captured" and record["email"] == "mike@brightsmile.com"
    assert record["metadata"]["lead_id"] == "lead_1"
    assert done["call_id"] == created.call_id
    stats = sim.stats()
    assert stats["created"] == stats["finished"] == 1 and stats["webhooks_delivered"] == 3
    assert stats["webhooks_failed"] == 0 and stats["call_errors"] == 0


def test_dial_outcomes_and_hangups(simulate: Any, client: Any, brain_dir: Path) -> None:
    cast = {
        "lead_1": "no_answer",
        "lead_2": "line_busy",
        "lead_3": "voicemail_tone",
        "lead_4": "dnc_stop_calling",
        "lead_5": "hangs_up_mid_sentence",
    }
    sim = simulate(caller_factory=by_lead(cast))
    api = client(sim)
    ids = {i: dial(api, i).call_id for i in range(1, 6)}
    sim.wait_for_calls(5, timeout=30)
    got = {i: api.call.retrieve(cid) for i, cid in ids.items()}
    assert got[1].disconnection_reason == "dial_no_answer" and got[1].call_status == "not_connected"
    assert got[2].disconnection_reason == "dial_busy" and got[2].duration_ms == 0
    assert got[3].disconnection_reason == "voicemail_reached" and got[3].call_analysis.in_voicemail is True
    assert got[4].disconnection_reason == "agent_hangup"
    assert got[5].disconnection_reason == "user_hangup"
    assert got[5].transcript_object[-1].content == "Sorry, I have to"
    # calls that never connect get no call_started (Retell's rule) and never reach the brain
    assert landed_webhooks(brain_dir, ids[1]) == ["call_analyzed", "call_ended"]
    assert wait_brain_record(brain_dir, ids[4])["outcome"] == "dnc"
    assert wait_brain_record(brain_dir, ids[5])["call_id"] == ids[5]
    assert sim.stats()["by_disconnection_reason"] == {
        "dial_no_answer": 1,
        "dial_busy": 1,
        "voicemail_reached": 1,
        "agent_hangup": 1,
        "user_hangup": 1,
    }


def test_reaction_hook_gives_a_hidden_preference(simulate: Any, client: Any, brain_dir: Path) -> None:
    """A caller who only gives the email once the agent asked for an email — else stays vague."""

    def react(self: SimPersona, heard: str, planned: str | None, context: CallContext) -> str | None:
        context.memory.setdefault("heard", []).append(heard)
        if "email" in heard.lower():
            return "sure, it's pat at hidden clinic dot com"
        if context.turn >= 4:
            return None
        return "Okay."

    picky = SimPersona("picky", "hidden_preference", (), "email_captured", react=react)
    sim = simulate(caller_factory=lambda call, rng: picky)
    api = client(sim)
    cid = dial(api, 7).call_id
    sim.wait_for_calls(1, timeout=30)
    call = api.call.retrieve(cid)
    assert "pat@hiddenclinic.com" in (call.call_analysis.custom_analysis_data.get("email") or "")
    assert wait_brain_record(brain_dir, cid)["email"] == "pat@hiddenclinic.com"


def test_keepalive_pings_are_answered_by_the_brain(simulate: Any, client: Any) -> None:
    # slow enough (×20) that a call spans several 50 ms ping intervals
    sim = simulate(caller_factory=always("cooperative_after_value"), time_scale=20, ping_interval_ms=50)
    cid = dial(client(sim), 9).call_id
    sim.wait_for_calls(1, timeout=30)
    assert sim.call(cid)["disconnection_reason"] == "agent_hangup"  # type: ignore[index]
    stats = sim.stats()
    assert stats["pings"] >= 2
    assert stats["pongs"] >= stats["pings"] - 1  # every ping echoed (the last may cross the hang-up)


def test_brain_unreachable_ends_calls_with_retell_reason(simulate: Any, client: Any) -> None:
    sim = simulate(
        caller_factory=always("cooperative_literal"),
        brain_ws_url="ws://127.0.0.1:9/llm-websocket",
        connect_retry_gap_s=0,
        webhook_url="http://127.0.0.1:9/webhooks/retell",
        webhook_attempts=2,
    )
    api = client(sim)
    cid = dial(api, 8).call_id
    sim.wait_for_calls(1, timeout=30)
    call = api.call.retrieve(cid)
    assert call.call_status == "error" and call.disconnection_reason == "error_llm_websocket_open"
    stats = sim.stats()
    assert stats["call_errors"] == 1
    assert stats["webhooks_failed"] == 3 and stats["webhooks_delivered"] == 0  # started, ended, analyzed


def test_same_seed_same_calls_other_seed_other_calls(simulate: Any, client: Any) -> None:
    def run(seed: int) -> list[tuple[str, str, str]]:
        """(call id, persona, caller lines) per lead, in dialling order."""
        sim = simulate(seed=seed)
        api = client(sim)
        ids = [dial(api, i).call_id for i in range(12)]
        sim.wait_for_calls(12, timeout=60)
        out = []
        for cid in ids:
            call = sim.call(cid)
            assert call is not None
            lines = tuple(u["content"] for u in call["transcript_object"] if u["role"] == "user")
            out.append((cid, call["call_analysis"]["custom_analysis_data"]["simulated_persona"], "|".join(lines)))
        return out

    first, again, other = run(11), run(11), run(12)
    assert [row[1:] for row in first] == [row[1:] for row in again]
    assert [p for _, p, _ in first] != [p for _, p, _ in other]
    # ids never repeat across runs (one DATA_DIR may see many runs), whatever the seed
    assert {cid for cid, _, _ in first}.isdisjoint({cid for cid, _, _ in again})


def test_timestamps_follow_the_simulated_clock(simulate: Any, client: Any) -> None:
    day_start = 1_780_000_000_000
    sim = simulate(caller_factory=always("no_answer"), clock_start_ms=day_start, time_scale=1000)
    cid = dial(client(sim), 10).call_id
    sim.wait_for_calls(1, timeout=30)
    call = sim.call(cid)
    assert call is not None and day_start <= call["start_timestamp"] < day_start + 3_600_000
    assert call["end_timestamp"] - call["start_timestamp"] >= 3000  # it rang 3–20 simulated seconds


def test_persona_catalogue_moved_and_complete() -> None:
    assert persona("no_answer").dial == "no_answer"
    assert persona("cooperative_literal").dial == "answered"
