"""Scheduling constraints over the real websocket (issue 14, item 9).

"Don't call before noon" from an engaged caller is a callback preference: the call goes on (no
hang-up, no `mark_dnc`), the record carries `callback_window` and outcome `callback` unless
something better (an email) happens. A real opt-out, phrased any way, still ends the call as `dnc`.
"""

from __future__ import annotations

import json

import pytest

CONSTRAINTS = [
    ("Don't call before noon.", "before noon"),
    ("Sure, but please don't call us on Mondays.", "on Mondays"),
    ("don't call during lunch, we're with patients", "during lunch"),
    ("Do not call the office before 9:30.", "before 9:30"),
    ("Okay. Don't ring after 5 pm.", "after 5 pm"),
]
OPT_OUTS = [
    "Don't call before noon. Actually, don't call at all.",
    "don't call before noon or ever again",
    "Don't call on Mondays. Take us off your list.",
    "Don't call us after today.",
    "Don't call me anymore.",
]


def names(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [f["name"] for f in reply.tools if f["response_type"] == "tool_call_invocation"]


@pytest.mark.parametrize(("line", "window"), CONSTRAINTS)
async def test_a_constraint_is_recorded_and_the_call_goes_on(brain, dial, data_dir, record_of, line, window) -> None:  # type: ignore[no-untyped-def]
    call = await dial(brain)
    await call.say("Yep.")
    reply = await call.say(line)
    assert reply.end_call is False and "mark_dnc" not in names(reply)
    assert f"won't call {window}".lower() in reply.text.lower()
    assert reply.text.rstrip().endswith("?")  # carries on with the playbook
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["callback_window"] == window
    assert record["outcome"] == "callback"
    assert not any(t["name"] == "mark_dnc" for t in record["tool_events"])


async def test_an_email_after_a_constraint_is_still_the_better_outcome(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain)
    await call.say("Sure, just don't call before noon.")
    await call.say("jane at glowspa dot com")
    reply = await call.say("yes")
    assert reply.end_call is True
    logged = [json.loads(f["arguments"]) for f in reply.tools if f.get("name") == "log_call_outcome"]
    assert logged[0]["outcome"] == "email_captured" and logged[0]["callback_window"] == "before noon"
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "email_captured" and record["callback_window"] == "before noon"


@pytest.mark.parametrize("line", OPT_OUTS)
async def test_a_real_opt_out_still_ends_the_call_as_dnc(brain, dial, data_dir, record_of, line) -> None:  # type: ignore[no-untyped-def]
    call = await dial(brain)
    await call.say("Yep.")
    reply = await call.say(line)
    assert reply.end_call is True and "mark_dnc" in names(reply)
    await call.close()
    assert record_of(data_dir, call.call_id)["outcome"] == "dnc"


async def test_a_constraint_with_an_identity_question_is_noted_and_answered(brain, dial, data_dir, record_of) -> None:  # type: ignore[no-untyped-def]
    call = await dial(brain)
    reply = await call.say("Are you a robot? And don't call during lunch.")
    assert "won't call during lunch" in reply.text and "AI" in reply.text and reply.end_call is False
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["callback_window"] == "during lunch" and record["ai_disclosed"] is True


async def test_a_constraint_said_with_an_email_is_kept(brain, dial, data_dir, record_of) -> None:  # type: ignore[no-untyped-def]
    call = await dial(brain)
    await call.say("Don't call on Fridays, but send it to jane at glowspa dot com")
    reply = await call.say("yes")
    assert reply.end_call is True
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "email_captured" and record["callback_window"] == "on Fridays"
