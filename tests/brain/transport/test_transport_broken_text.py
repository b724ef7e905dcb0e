"""Broken text from the wire or from the conversation never silences a call.

* Text from the wire is sanitised once, at the edge: a lone surrogate (``"\\ud800"`` escape) becomes
  U+FFFD and NaN / Infinity become null; the frame is used and the repair counted as bad input.
* A frame the writer cannot encode (a conversation bug) is logged at WARNING and the call is closed
  with 1011 ``write_failed`` — not a silent writer with an open, mute socket.
"""

from __future__ import annotations

import json
import logging

import pytest
import websockets

from brain_service.transport import protocol


def test_the_edge_repairs_lone_surrogates_and_non_finite_numbers():
    repaired: list[str] = []
    frame = protocol.parse_inbound(
        '{"interaction_type": "call_details", "call": {"metadata": {"business_name": "Sunny\\ud800 Dental",'
        ' "score": NaN, "cap": -Infinity, "emoji": "\\ud83d\\ude00"}}}',
        sanitised=repaired,
    )
    assert isinstance(frame, protocol.CallDetailsFrame)
    assert frame.call["metadata"] == {"business_name": "Sunny\ufffd Dental", "score": None, "cap": None, "emoji": "😀"}
    assert sorted(repaired) == ["lone_surrogate", "non_finite_number"]
    json.dumps(frame.call, ensure_ascii=False, allow_nan=False).encode()  # writable as strict UTF-8 JSON again

    clean: list[str] = []
    protocol.parse_inbound('{"interaction_type": "ping_pong", "timestamp": 1, "x": "\\ud83d\\ude00"}', sanitised=clean)
    assert clean == []  # a valid surrogate pair is not a repair


async def test_broken_text_in_every_inbound_frame_is_repaired_used_and_counted(memory_brain_factory, connect, tx):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/broken_in")
    await client.recv()  # config
    await client.send(
        '{"interaction_type": "call_details", "call": {"metadata": {"business_name": "A\\udc00B", "n": NaN}}}'
    )
    await client.read_turn(0)
    await client.send(
        '{"interaction_type": "response_required", "response_id": 1,'
        ' "transcript": [{"role": "user", "content": "hello \\ud800 there"}]}'
    )
    assert (await client.read_turn(1))[-1]["content_complete"] is True
    await client.send('{"interaction_type": "update_only", "transcript": [{"role": "user", "content": "x\\udfff"}]}')
    await client.ping(7)  # still answering; the deferred snapshot is parsed when the writer idles
    details = brain.factory.of("broken_in", "call_details")[0][0]
    assert details["metadata"] == {"business_name": "A\ufffdB", "n": None}
    request = [e[0] for e in brain.factory.of("broken_in", "respond") if e[0].response_id == 1][0]
    assert request.transcript[-1].content == "hello \ufffd there"
    await tx.wait_for(lambda: brain.factory.of("broken_in", "transcript"))
    assert brain.factory.of("broken_in", "transcript")[-1][0][-1].content == "x\ufffd"
    assert brain.metric("brain_bad_frames_total", kind="lone_surrogate") == 3
    assert brain.metric("brain_bad_frames_total", kind="non_finite_number") == 1


def _bad_chunk_script(tx):
    def script(call_id, request):
        if request.kind == "begin":
            return [(0.0, tx.SpeechChunk("Hello."))]
        return [(0.0, tx.SpeechChunk("Broken \ud800 text."))]  # a conversation bug: not encodable

    return script


@pytest.mark.parametrize("wire", ["memory", "socket_direct", "socket_asgi"])
async def test_a_writer_that_cannot_write_says_so_and_closes_the_call(
    brain_factory, memory_brain_factory, connect, tx, caplog, wire
):
    caplog.set_level(logging.INFO, logger="brain")
    factory = tx.ScriptedFactory(_bad_chunk_script(tx))
    if wire == "memory":
        brain = memory_brain_factory(factory, brain_reconnect_grace_s=0)
    else:
        brain = brain_factory(factory, ws_direct_writes=wire == "socket_direct", brain_reconnect_grace_s=0)
    client = await connect(brain.ws_url + "/llm-websocket/mute")
    await client.start()
    await client.request(1)
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1011, "write_failed")
    await tx.wait_for(lambda: brain.factory.of("mute", "finish"))  # finished (no reconnect grace): record written
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any('"write_failed"' in line and "UnicodeEncodeError" in line for line in warnings)
    assert brain.metric("brain_write_failures_total") == 1
    assert brain.metric("brain_session_closes_total", reason="write_failed") == 1
