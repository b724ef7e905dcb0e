"""A megabyte caller line over the real websocket: the turn is answered and another call stays live.

Every recogniser reads a bounded window of the newest text (`vocabulary/text_window.py`), and the
literal-email finder is linear, so one huge utterance (with or without spaces, all dots, full of
"@") costs the event loop a bounded amount. The other call's ping is echoed before a generous
deadline while the long turn is being handled; the figures are measured in `bench/long_lines.py`.
"""

from __future__ import annotations

import asyncio
import json
import time

import pytest

MIB = 1024 * 1024
# Generous: the fixed code answers in well under a second on a shared 2-core machine; before the
# fix a 1 MB line without spaces blocked the process for hours (quadratic email search).
DEADLINE_S = 20.0

LONG_LINES = {
    "no_spaces": "a" * MIB,
    "words": ("we mostly see new patients on weekdays " * (MIB // 39 + 1))[:MIB],
    "dots_then_letter": "." * MIB + "x",
    "at_signs": "jane@" * (MIB // 5),
    "email_at_the_end": "x" * MIB + " sure, it's jane@glowspa.com",
}


async def _ping(ws, stamp: int) -> float:  # type: ignore[no-untyped-def]
    """Send a ping_pong and wait for its echo; seconds it took."""
    sent = time.monotonic()
    await ws.send(json.dumps({"interaction_type": "ping_pong", "timestamp": stamp}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), DEADLINE_S))
        if frame.get("response_type") == "ping_pong" and frame.get("timestamp") == stamp:
            return time.monotonic() - sent


@pytest.mark.parametrize("kind", sorted(LONG_LINES))
async def test_a_megabyte_line_is_answered_while_another_call_is_served(
    brain, dial, data_dir, record_of, kind: str
) -> None:
    other = await dial(brain, f"call_other_{kind}")
    talker = await dial(brain, f"call_long_{kind}")
    turn = asyncio.create_task(talker.say(LONG_LINES[kind], timeout=DEADLINE_S))
    await asyncio.sleep(0)  # the request is on the wire before the pings start
    echoes = [await _ping(other.ws, 1_000 + n) for n in range(3)]
    reply = await turn
    assert reply.text.strip(), "the long turn got a spoken answer"
    assert max(echoes) < DEADLINE_S
    # the other call still converses normally
    answer = await other.say("Yes.")
    assert answer.text.strip() and not answer.end_call
    if kind == "email_at_the_end":
        assert "jane at glowspa dot com" in reply.text.lower()
    await talker.close()
    record = record_of(data_dir, talker.call_id, timeout=DEADLINE_S)
    assert record["turns"][-1]["role"] in ("agent", "user")


async def test_an_opt_out_before_a_long_monologue_still_wins(brain, dial, data_dir, record_of) -> None:
    monologue = "Stop calling us. " + "we are very busy here and the phones ring all day long " * 400
    call = await dial(brain, "call_long_dnc")
    reply = await call.say(monologue, timeout=DEADLINE_S)
    assert reply.end_call is True
    await call.close()
    assert record_of(data_dir, call.call_id)["outcome"] == "dnc"
