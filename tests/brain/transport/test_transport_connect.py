"""Connect sequence, both paths, ping echo, server pings, health/readiness, turn basics."""

from __future__ import annotations

import asyncio

import pytest


@pytest.mark.parametrize("path", ["/llm-websocket/call_a", "/ws/call_a", "/llm-websocket/call_a/"])
async def test_connect_sends_config_then_begin_stream(memory_brain_factory, connect, path):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + path)
    frames = await client.start()
    assert frames[0] == {
        "response_type": "config",
        "config": {"auto_reconnect": True, "call_details": True, "transcript_with_tool_calls": False},
    }
    speech = frames[1:]
    assert [f["response_id"] for f in speech] == [0, 0, 0]
    assert [f["content_complete"] for f in speech] == [False, False, True]
    # Retell concatenates chunks: the transport keeps sentences apart.
    assert "".join(f["content"] for f in speech) == "Hello there. This is the test agent."
    assert speech[-1]["content"] == ""


async def test_begin_waits_for_call_details_then_greets_with_them(memory_brain_factory, connect, tx):
    brain = memory_brain_factory(brain_begin_wait_call_details_ms=5000)
    client = await connect(brain.ws_url + "/llm-websocket/call_cd")
    assert (await client.recv())["response_type"] == "config"
    with pytest.raises(asyncio.TimeoutError):
        await client.recv(timeout=0.3)  # no greeting yet: waiting for call_details
    await client.send(
        {"interaction_type": "call_details", "call": {"call_id": "call_cd", "metadata": {"lead_id": "L9"}}}
    )
    frames = await client.read_turn(0)
    assert frames[0]["content"] == "Hello there."
    details = brain.factory.of("call_cd", "call_details")
    assert details == [({"call_id": "call_cd", "metadata": {"lead_id": "L9"}},)]
    begin = brain.factory.of("call_cd", "respond")[0][0]
    assert begin.kind == "begin" and begin.response_id == 0


async def test_ping_is_echoed_with_the_same_timestamp(memory_brain_factory, connect):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/call_p")
    await client.start()
    for ts in (1730000000000, 1730000002000, 7):
        frames = await client.ping(ts)
        assert frames[-1] == {"response_type": "ping_pong", "timestamp": ts}


async def test_server_sends_its_own_pings_when_retell_is_quiet(memory_brain_factory, connect):
    brain = memory_brain_factory(brain_ping_interval_ms=150)
    client = await connect(brain.ws_url + "/llm-websocket/call_sp")
    await client.start()
    pings = []
    while len(pings) < 3:
        frame = await client.recv(timeout=3)
        if frame["response_type"] == "ping_pong":
            pings.append(frame["timestamp"])
    assert all(isinstance(ts, int) and ts > 1_600_000_000_000 for ts in pings)
    assert pings == sorted(pings)


async def test_turns_stream_chunks_and_one_terminal(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.kind == "begin":
            return []
        if request.kind == "reminder":
            return [(0, tx.SpeechChunk("Still there?"))]
        return [(0, tx.SpeechChunk("One.")), (0.01, tx.SpeechChunk(" Two.")), (0, tx.SpeechChunk("Three."))]

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_t")
    begin = await client.start()
    assert [(f["content"], f["content_complete"]) for f in begin[1:]] == [("", True)]  # empty begin: wait for caller
    await client.request(1, "hi")
    frames = await client.read_turn(1)
    assert "".join(f["content"] for f in frames) == "One. Two. Three."
    assert sum(f["content_complete"] for f in frames) == 1 and frames[-1]["content_complete"]
    await client.request(2, "hi", kind="reminder_required")
    frames = await client.read_turn(2)
    assert [f["content"] for f in frames] == ["Still there?", ""]
    requests = [e[0] for e in brain.factory.of("call_t", "respond")]
    assert [(r.kind, r.response_id, r.last_user_text) for r in requests] == [
        ("begin", 0, ""),
        ("response", 1, "hi"),
        ("reminder", 2, "hi"),
    ]
    finished = brain.factory.of("call_t", "turn_finished")
    assert finished[1] == (1, False, "One. Two. Three.")


async def test_terminal_carries_the_action_a_chunk_asked_for(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.response_id == 1:
            return [(0, tx.SpeechChunk("Transferring you now.", transfer_number="+15551234567"))]
        if request.response_id == 2:
            return [(0, tx.SpeechChunk("Press one.")), (0, tx.SpeechChunk("", digit_to_press="1"))]
        if request.response_id == 3:
            return [(0, tx.SpeechChunk("Goodbye.", end_call=True, no_interruption_allowed=True))]
        return []

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_act")
    await client.start()
    await client.request(1)
    assert (await client.read_turn(1))[-1] == {
        "response_type": "response", "response_id": 1, "content": "", "content_complete": True, "transfer_number": "+15551234567",
    }  # fmt: skip
    await client.request(2)
    assert (await client.read_turn(2))[-1]["digit_to_press"] == "1"
    await client.request(3)
    frames = await client.read_turn(3)
    assert frames[0]["no_interruption_allowed"] is True
    assert frames[-1] == {
        "response_type": "response",
        "response_id": 3,
        "content": "",
        "content_complete": True,
        "end_call": True,
    }


async def test_tool_events_are_written_as_tool_call_frames(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.kind != "response":
            return []
        return [
            (0, tx.ToolEvent("tc-1", "record_email", {"email": "a@b.co"}, result="saved", successful=True)),
            (0, tx.SpeechChunk("Got it.")),
        ]

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_tool")
    await client.start()
    await client.request(1)
    frames = await client.read_turn(1)
    assert frames[0] == {
        "response_type": "tool_call_invocation",
        "tool_call_id": "tc-1",
        "name": "record_email",
        "arguments": '{"email":"a@b.co"}',
    }
    assert frames[1] == {
        "response_type": "tool_call_result",
        "tool_call_id": "tc-1",
        "content": "saved",
        "successful": True,
    }
    assert frames[2]["content"] == "Got it."


async def test_conversation_error_still_closes_the_turn(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.response_id == 1:
            return [(0, tx.SpeechChunk("Partial.")), (0, RuntimeError("model blew up"))]
        if request.response_id == 3:
            return [(0, tx.SpeechChunk("Goodbye.", end_call=True)), (0, RuntimeError("after the goodbye"))]
        return [(0, tx.SpeechChunk("Fine again."))] if request.kind == "response" else []

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_err")
    await client.start()
    await client.request(1)
    frames = await client.read_turn(1)
    assert [f["content"] for f in frames] == ["Partial.", ""]
    await client.request(2)
    assert (await client.read_turn(2))[0]["content"] == "Fine again."
    await client.request(3)
    assert (await client.read_turn(3))[-1]["end_call"] is True  # the goodbye's hang-up still stands
    assert brain.metric("brain_turn_errors_total") == 2


async def test_turn_that_overruns_its_deadline_is_closed(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.kind == "response":
            return [(0, tx.SpeechChunk("Thinking.")), (60, tx.SpeechChunk("never"))]
        return []

    brain = memory_brain_factory(tx.ScriptedFactory(script), brain_turn_max_s=0.3)
    client = await connect(brain.ws_url + "/llm-websocket/call_slow")
    await client.start()
    await client.request(1)
    frames = await client.read_turn(1, timeout=5)
    assert [f["content"] for f in frames] == ["Thinking.", ""]
    assert brain.metric("brain_turns_total", outcome="timed_out") == 1


def test_health_and_ready(brain_factory):
    brain = brain_factory()
    assert brain.http_get("/health") == (200, '{"ok":true}')
    status, body = brain.http_get("/ready")
    assert status == 200 and '"ready":true' in body


async def test_a_peer_that_echoes_server_pings_gets_no_ping_loop(memory_brain_factory, connect):
    brain = memory_brain_factory(brain_ping_interval_ms=100)
    client = await connect(brain.ws_url + "/llm-websocket/call_loop")
    await client.start()
    while True:
        frame = await client.recv(timeout=3)
        if frame["response_type"] == "ping_pong":
            server_ts = frame["timestamp"]
            break
    await client.send({"interaction_type": "ping_pong", "timestamp": server_ts})  # the peer echoes our ping
    await client.send({"interaction_type": "ping_pong", "timestamp": 42})  # then pings on its own
    # inbound frames are handled in order: an echo of server_ts would arrive before the echo of 42
    while True:
        frame = await client.recv(timeout=3)
        if frame["response_type"] != "ping_pong":
            continue
        assert frame["timestamp"] != server_ts, "the brain echoed its own ping back: ping loop"
        if frame["timestamp"] == 42:
            break
