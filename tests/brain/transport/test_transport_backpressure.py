"""Write deadlines against a client that stops reading, and update_only floods with pings behind."""

from __future__ import annotations

import asyncio
import json
import struct

import pytest


@pytest.mark.parametrize("direct_writes", [True, False], ids=["direct", "asgi"])
async def test_client_that_stops_reading_is_closed_1011_without_hurting_others(
    brain_factory, connect, tx, direct_writes
):
    big = "z" * 65536

    def script(call_id, request):
        if call_id == "stuck" and request.kind == "response":
            return [(0, tx.SpeechChunk(f"chunk {i} {big}.")) for i in range(300)]
        return [(0, tx.SpeechChunk("ok."))]

    brain = brain_factory(
        tx.ScriptedFactory(script),
        ws_write_timeout_ms=200,
        ws_max_consecutive_write_timeouts=2,
        ws_direct_writes=direct_writes,
    )
    healthy = await connect(brain.ws_url + "/llm-websocket/healthy")
    await healthy.start()

    raw = tx.RawWsClient(brain.port, "/llm-websocket/stuck", rcvbuf=4096)
    assert raw.status == 101
    raw.send_text(json.dumps({"interaction_type": "response_required", "response_id": 1, "transcript": []}))
    # The stuck socket backs up; the healthy call keeps answering meanwhile.
    for ts in range(1, 1000):
        await healthy.ping(ts)
        if brain.metric("brain_session_closes_total", reason="write_timeout") == 1:
            break
        await asyncio.sleep(0.02)
    assert brain.metric("brain_session_closes_total", reason="write_timeout") == 1
    assert brain.metric("brain_write_timeouts_total") >= 2
    frames = await asyncio.to_thread(raw.read_all_frames)
    raw.close()
    opcode, payload = frames[-1]
    assert opcode == 0x8, "the last frame is a close frame behind the buffered data"
    assert struct.unpack("!H", payload[:2])[0] == 1011
    assert all(op == 0x1 for op, _ in frames[:-1])
    # The call is kept for Retell's reconnect, and the healthy call still works.
    assert brain.runtime.registry.get("stuck") is not None
    await healthy.request(1)
    assert [f["content"] for f in await healthy.read_turn(1) if f["response_type"] == "response"] == ["ok.", ""]


def _snapshot(n: int) -> dict:
    words = [{"word": "word", "start": i * 0.1, "end": i * 0.1 + 0.05} for i in range(30)]
    transcript = [
        {"role": "user" if i % 2 else "agent", "content": f"utterance {i} " + "word " * 30, "words": words}
        for i in range(n)
    ]
    return {"interaction_type": "update_only", "transcript": transcript}


async def test_update_only_flood_keeps_only_the_newest_and_pings_still_answer(brain_factory, connect, tx):
    brain = brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/flood")
    await client.start()
    flood = 200
    for n in range(1, flood + 1):
        await client.send(_snapshot(min(n, 20)) | {"seq_marker": n})
    frames = await client.ping(99)
    assert frames == [{"response_type": "ping_pong", "timestamp": 99}]
    assert brain.metric("brain_frames_in_total", type="update_only") == flood
    await tx.wait_for(
        lambda: (
            len(brain.factory.of("flood", "transcript")) + brain.metric("brain_update_only_coalesced_total") == flood
        )
    )
    delivered = brain.factory.of("flood", "transcript")
    assert 0 < len(delivered) < flood  # coalesced: only the newest pending snapshot is parsed
    last = delivered[-1][0]
    assert len(last) == 20 and last[-1].content.startswith("utterance 19")
    assert last[-1].words == ()  # word timings are not retained unless configured
    # The session is still fully alive afterwards.
    await client.request(1)
    assert (await client.read_turn(1))[-1]["content_complete"] is True
