"""Prompt versions over the real websocket (playbook mode, no model): what the caller hears is the
active version's lines; a malformed or unspeakable active.json keeps the last good version; A/B
weights and line variants are assigned by a stable hash of the call id and written on the record."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from contracts.prompt_assignment import assign_variant, assign_version
from tests.support.call_records import version_doc, write_version

OPENER_A = "Do you have a minute to chat?"
OPENER_B = "Is this a good time for a quick question?"
EMAIL_B = "Could you share the manager's email with me?"


@pytest.fixture(autouse=True)
def clean_prompts(data_dir: Path):  # type: ignore[no-untyped-def]
    yield
    active = data_dir / "prompts" / "active.json"
    if active.exists():
        active.unlink()


async def test_the_caller_hears_the_active_versions_lines(brain, dial, data_dir: Path, record_of) -> None:
    doc = version_doc(
        "v-words",
        lines={
            "greeting": {"say": ["Hello there, {persona} from {company} here."]},
            "opener": {"say": [OPENER_A]},
            "routing": {"say": ["Who looks after new leads at your place?"]},
        },
        parameters={"ask_email_after": "routing", "max_email_asks": 1},
    )
    write_version(data_dir, doc)
    call = await dial(brain, "call_pv_words")
    greeting = call.replies[0].text
    assert greeting.startswith("Hello there, Cassidy from Eve here.")
    assert "I'm an AI assistant." in greeting  # the compliance line is the brain's own
    assert greeting.rstrip().endswith(OPENER_A)
    routing = await call.say("Sure, go ahead.")
    assert "Who looks after new leads at your place?" in routing.text
    # ask_email_after = routing: the next step is the email ask, not the problem question
    ask = await call.say("That would be our office manager.")
    assert "email" in ask.text.lower()
    # max_email_asks = 1: the second unanswered ask gives up politely
    closing = await call.say("Hmm, okay.")
    assert closing.end_call and "let you go" in closing.text
    await call.close()
    record = record_of(data_dir, "call_pv_words")
    assert record["prompt_version"] == "v-words"
    agent = [t for t in record["turns"] if t["role"] == "agent"]
    assert agent[0]["prompt_lines"] == [
        {"line": "greeting", "variant": "base"},
        {"line": "opener", "variant": "base"},
    ]
    assert {"line": "routing", "variant": "base"} in agent[1]["prompt_lines"]
    assert agent[-1]["prompt_lines"] == [{"line": "give_up_close", "variant": "base"}]


async def test_a_dnc_close_stays_the_brains_own_words(brain, dial, data_dir: Path, record_of) -> None:
    write_version(data_dir, version_doc("v-dnc", lines={"opener": {"say": [OPENER_A]}}))
    call = await dial(brain, "call_pv_dnc")
    reply = await call.say("Stop calling me.")
    assert reply.end_call and "don't call you again" in reply.text
    await call.close()
    agent = [t for t in record_of(data_dir, "call_pv_dnc")["turns"] if t["role"] == "agent"]
    assert agent[-1]["prompt_lines"] == []


@pytest.mark.parametrize(
    "broken",
    [
        b"{not json",
        json.dumps({"version": "v-old", "system_prompt": "the old format"}).encode(),
        json.dumps(version_doc("v-digits", lines={"opener": {"say": ["Call 5551234567 now."]}})).encode(),
        json.dumps(version_doc("v-dnc-edit", lines={"dnc_close": {"say": ["Okay, bye."]}})).encode(),
    ],
    ids=["not-json", "old-format", "guard-violating", "compliance-edit"],
)
async def test_a_malformed_active_version_keeps_the_last_good_one(
    brain, dial, data_dir: Path, record_of, caplog: pytest.LogCaptureFixture, broken: bytes
) -> None:
    write_version(data_dir, version_doc("v-good", lines={"opener": {"say": [OPENER_A]}}))
    first = await dial(brain)
    assert first.replies[0].text.rstrip().endswith(OPENER_A)
    active = data_dir / "prompts" / "active.json"
    active.write_bytes(broken)
    os.utime(active, ns=(1, 3 * 10**18))  # a new stamp even within the file system's time resolution
    with caplog.at_level(logging.WARNING, logger="brain.prompts"):
        ids = [f"call_pv_keep_{i}_{abs(hash(broken)) % 10**6}" for i in range(2)]
        for call_id in ids:
            call = await dial(brain, call_id)
            assert call.replies[0].text.rstrip().endswith(OPENER_A)
            await call.say("Stop calling me.")
            await call.close()
    for call_id in ids:
        assert record_of(data_dir, call_id)["prompt_version"] == "v-good"
    warnings = [r for r in caplog.records if "active prompt not loaded" in r.getMessage()]
    assert len(warnings) == 1, "a broken file is reported once, not on every call"
    assert "keeping v-good" in warnings[0].getMessage()


async def test_ab_weights_and_line_variants_are_stable_per_call_id(brain, dial, data_dir: Path, record_of) -> None:
    variants = {"say": list(version_doc("x")["lines"]["email_ask"]["say"]), "variants": [{"id": "b", "say": [EMAIL_B]}]}
    write_version(data_dir, version_doc("v-a", lines={"opener": {"say": [OPENER_A]}}), active=False)
    write_version(
        data_dir,
        version_doc("v-b", lines={"opener": {"say": [OPENER_B]}, "email_ask": variants}, ab={"v-a": 0.5, "v-b": 0.5}),
    )
    weights = {"v-a": 0.5, "v-b": 0.5}
    ids = [f"call_pv_ab_{i}" for i in range(10)]
    expected = {call_id: assign_version(call_id, weights) for call_id in ids}
    assert set(expected.values()) == {"v-a", "v-b"}, "the ids should cover both versions"
    for call_id in ids:
        call = await dial(brain, call_id)
        opener = OPENER_A if expected[call_id] == "v-a" else OPENER_B
        assert call.replies[0].text.rstrip().endswith(opener), call_id
        if expected[call_id] == "v-b":
            for answer in ("Yes.", "The manager.", "Voicemail, I guess."):
                reply = await call.say(answer)
            reply = await call.say("Sure, sounds good.")
            wording = assign_variant(call_id, "email_ask", ["b", "base"])
            if wording == "b":
                assert EMAIL_B in reply.text
            else:
                assert "What's the best email for the manager" in reply.text
        await call.say("Stop calling me.")
        await call.close()
    for call_id in ids:
        record = record_of(data_dir, call_id)
        assert record["prompt_version"] == expected[call_id]
        if expected[call_id] == "v-b":
            wording = assign_variant(call_id, "email_ask", ["b", "base"])
            assert record["prompt_variants"] == {"email_ask": wording}
            heard = [line for t in record["turns"] if t["role"] == "agent" for line in t.get("prompt_lines", [])]
            assert {"line": "email_ask", "variant": wording} in heard
        else:
            assert record["prompt_variants"] == {}


async def test_a_reconnect_keeps_its_version(brain_with, dial, data_dir: Path, record_of) -> None:
    brain = brain_with(brain_reconnect_grace_s=5)
    write_version(data_dir, version_doc("v-a", lines={"opener": {"say": [OPENER_A]}}), active=False)
    write_version(data_dir, version_doc("v-b", lines={"opener": {"say": [OPENER_B]}}, ab={"v-a": 0.5, "v-b": 0.5}))
    call_id = "call_pv_reconnect"
    pinned = assign_version(call_id, {"v-a": 0.5, "v-b": 0.5})
    first = await dial(brain, call_id)
    await first.ws.close()
    # a new active version meanwhile: the reconnecting call stays on its own
    write_version(data_dir, version_doc("v-c", lines={"opener": {"say": ["Got a moment for me?"]}}))
    again = await dial(brain, call_id, expect_begin=False)
    await again.say("Stop calling me.")
    await again.close()
    assert record_of(data_dir, call_id)["prompt_version"] == pinned
