"""Reconnect resume, replaced sockets, idle close, capacity refusal and finishing calls."""

from __future__ import annotations

import pytest
import websockets


async def test_reconnect_resumes_the_call_without_greeting_again(memory_brain_factory, connect, tx):
    brain = memory_brain_factory(brain_reconnect_grace_s=0.5)
    first = await connect(brain.ws_url + "/llm-websocket/rc")
    await first.start()
    await first.request(1, "hello")
    await first.read_turn(1)
    await first.close()
    await tx.wait_for(lambda: brain.runtime.registry.live_count == 0)

    second = await connect(brain.ws_url + "/llm-websocket/rc")
    assert (await second.recv())["response_type"] == "config"
    # No second greeting: the next thing on the wire is the echo of our ping.
    assert [f["response_type"] for f in await second.ping(77)] == ["ping_pong"]
    await second.request(2, "tell me more")
    assert (await second.read_turn(2))[0]["content"] == "Reply 2."
    assert brain.factory.created == ["rc"]  # same conversation
    await second.close()

    finish = await tx.wait_for(lambda: brain.factory.of("rc", "finish"), timeout=5)
    close_reason, reconnects, turns = finish[0]
    assert close_reason == "client_closed" and reconnects == 1
    assert [(t["response_id"], t["kind"], t["cancelled"]) for t in turns] == [
        (0, "begin", False),
        (1, "response", False),
        (2, "response", False),
    ]
    assert turns[1]["latency_ms"] is not None and turns[1]["chunks"] == 1 and turns[1]["spoken"] == "Reply 1."
    assert brain.metric("brain_reconnects_total") == 1
    assert brain.metric("brain_sessions_started_total", reconnect="true") == 1


async def test_reconnect_before_the_begin_finished_sends_an_empty_begin_terminal(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.kind == "begin":
            return [(10, tx.SpeechChunk("too late"))]
        return [(0, tx.SpeechChunk("Reply."))]

    brain = memory_brain_factory(tx.ScriptedFactory(script), brain_reconnect_grace_s=5)
    first = await connect(brain.ws_url + "/llm-websocket/rb")
    assert (await first.recv())["response_type"] == "config"
    await tx.wait_for(lambda: brain.factory.of("rb", "respond"))
    await first.close()
    second = await connect(brain.ws_url + "/llm-websocket/rb")
    frames = [await second.recv(), await second.recv()]
    assert frames == [
        {
            "response_type": "config",
            "config": {"auto_reconnect": True, "call_details": True, "transcript_with_tool_calls": False},
        },
        {"response_type": "response", "response_id": 0, "content": "", "content_complete": True},
    ]
    assert len(brain.factory.of("rb", "respond")) == 1  # no second greeting was generated


async def test_a_second_socket_for_a_live_call_replaces_the_first(memory_brain_factory, connect, tx):
    brain = memory_brain_factory()
    old = await connect(brain.ws_url + "/llm-websocket/dup")
    await old.start()
    new = await connect(brain.ws_url + "/llm-websocket/dup")
    assert (await new.recv())["response_type"] == "config"
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await old.recv(timeout=5)
    assert closed.value.rcvd.code == 1001
    await new.request(1)
    assert (await new.read_turn(1))[-1]["content_complete"] is True
    assert brain.factory.created == ["dup"]
    assert brain.metric("brain_session_closes_total", reason="replaced") == 1


async def test_idle_session_is_closed(memory_brain_factory, connect):
    brain = memory_brain_factory(brain_idle_timeout_s=0.3)
    client = await connect(brain.ws_url + "/llm-websocket/idle")
    await client.start()
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(timeout=5)
    assert closed.value.rcvd.code == 1011 and closed.value.rcvd.reason == "idle_timeout"
    assert brain.metric("brain_session_closes_total", reason="idle_timeout") == 1


async def test_pings_keep_a_quiet_call_open(memory_brain_factory, connect):
    brain = memory_brain_factory(brain_idle_timeout_s=0.4)
    client = await connect(brain.ws_url + "/llm-websocket/pinger")
    await client.start()
    for ts in range(8):  # ~0.8 s of Retell-like keepalive, twice the idle timeout
        await client.ping(ts)
        await __import__("asyncio").sleep(0.1)
    assert brain.metric("brain_session_closes_total", reason="idle_timeout") == 0


async def test_capacity_refuses_new_calls_at_the_handshake(memory_brain_factory, connect, tx):
    brain = memory_brain_factory(brain_max_sessions=2)
    a = await connect(brain.ws_url + "/llm-websocket/cap_a")
    b = await connect(brain.ws_url + "/llm-websocket/cap_b")
    await a.start()
    await b.start()
    with pytest.raises(websockets.InvalidStatus) as refused:
        await connect(brain.ws_url + "/llm-websocket/cap_c")
    assert refused.value.response.status_code == 503
    assert brain.metric("brain_handshake_rejections_total", reason="capacity") == 1
    # Live calls are untouched, and a known call may still reconnect at capacity.
    await a.request(1)
    await a.read_turn(1)
    again = await connect(brain.ws_url + "/llm-websocket/cap_b")
    assert (await again.recv())["response_type"] == "config"
    await a.close()
    await tx.wait_for(lambda: brain.runtime.registry.live_count < 2)
    c = await connect(brain.ws_url + "/llm-websocket/cap_c")
    assert (await c.recv())["response_type"] == "config"


@pytest.mark.parametrize("finish_raises", [False, True])
async def test_agent_end_call_finishes_the_call_at_once(memory_brain_factory, connect, tx, finish_raises):
    def script(call_id, request):
        if request.kind == "response":
            return [(0, tx.SpeechChunk("Sorry to bother you, goodbye.", end_call=True))]
        return []

    factory = tx.ScriptedFactory(script, finish_raises=finish_raises)
    brain = memory_brain_factory(factory, brain_reconnect_grace_s=600)
    client = await connect(brain.ws_url + "/llm-websocket/bye")
    await client.start()
    await client.request(1, "stop calling me")
    assert (await client.read_turn(1))[-1]["end_call"] is True
    await client.close()  # Retell hangs up after speaking
    finish = await tx.wait_for(lambda: factory.of("bye", "finish"), timeout=5)
    assert finish[0][0] == "agent_end_call"
    assert brain.metric("brain_calls_finished_total", reason="agent_end_call") == 1
    # A failing finish() is logged, never fatal: the brain keeps serving.
    other = await connect(brain.ws_url + "/llm-websocket/next")
    await other.start()
