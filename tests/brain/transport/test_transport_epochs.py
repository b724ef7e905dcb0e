"""The epoch rule under randomized interleavings, and barge-in.

Invariants checked on every frame:

* server side (observer hook, in write order): every response frame written belongs to the newest
  request read so far on that socket — nothing of an older id is written after a newer one was read;
* client side: response ids never go backwards; after the echo of a marker ping sent right behind
  request N, no frame of an id below N arrives (that frame would have been written after N was read);
  no id gets two terminals, no frame of an id follows its terminal, and the newest request of every
  round gets exactly one terminal.
"""

from __future__ import annotations

import asyncio
import random
import socket

import pytest

ROUNDS_PER_CALL = 80
CALLS = 4


def _chunky_script(tx, rng_seed: int):
    rng = random.Random(rng_seed)

    def script(call_id, request):
        if request.kind == "begin":
            return [(0, tx.SpeechChunk("Hi."))]
        count = rng.randint(1, 12)
        # Large chunks against a small client receive buffer keep the server's writes blocking
        # now and then, so newer requests are read while older frames are queued or in flight.
        return [
            (
                rng.choice((0, 0, 0, 0, 0.001, 0.003)),
                tx.SpeechChunk(f"r{request.response_id} c{i} " + "x" * rng.choice((10, 2000, 9000)) + "."),
            )
            for i in range(count)
        ]

    return script


def _check_server_side(observed, call_ids) -> int:
    """Every written frame belongs to the newest request read on its socket."""
    checked = 0
    latest: dict[str, int] = {}
    for _, event, call_id, data in observed:
        if call_id not in call_ids:
            continue
        if event == "read":
            latest[call_id] = data["seq"]
        elif event == "written":
            assert data["seq"] == latest.get(call_id), (
                f"{call_id}: frame of turn {data['seq']} written after turn {latest.get(call_id)} was read"
            )
            checked += 1
    return checked


async def _play_call(client, rng: random.Random, rounds: int) -> dict[str, int]:
    stats = {"frames": 0, "superseded_requests": 0, "barge_ins": 0}
    next_id = 1
    floor = 0  # ids below this must never arrive again (marker pong seen)
    max_seen = 0
    terminals: dict[int, int] = {}
    pending_marker: dict[int, int] = {}  # marker timestamp -> response id it guards
    marker_ts = 10_000

    def check(frame):
        nonlocal floor, max_seen
        stats["frames"] += 1
        kind = frame["response_type"]
        if kind == "ping_pong":
            guarded = pending_marker.pop(frame["timestamp"], None)
            if guarded is not None:
                floor = max(floor, guarded)
            return
        if kind != "response":
            return
        rid = frame["response_id"]
        assert rid >= floor, f"frame for {rid} after the marker of {floor} was echoed"
        assert rid >= max_seen, f"frame for {rid} after a frame for {max_seen}"
        max_seen = rid
        assert rid not in terminals, f"frame for {rid} after its terminal"
        if frame["content_complete"]:
            terminals[rid] = 1

    for _ in range(rounds):
        burst = rng.choice((1, 1, 2, 2, 3))
        ids = []
        for position in range(burst):
            rid = next_id
            next_id += 1
            ids.append(rid)
            await client.request(rid, f"utterance {rid}")
            marker_ts += 1
            pending_marker[marker_ts] = rid
            await client.send({"interaction_type": "ping_pong", "timestamp": marker_ts})
            if position < burst - 1:
                gap = rng.choice((0, 0, 0.0005, 0.001, 0.002, 0.004))
                if gap:
                    await asyncio.sleep(gap)
                stats["superseded_requests"] += 1
        if rng.random() < 0.25:
            await asyncio.sleep(rng.choice((0, 0.001)))
            await client.send(
                {
                    "interaction_type": "update_only",
                    "transcript": [{"role": "user", "content": "wait"}],
                    "turntaking": "user_turn",
                }
            )
            stats["barge_ins"] += 1
        last = ids[-1]
        while last not in terminals:
            check(await client.recv(timeout=5))
    # Drain what is still in flight behind the last terminal (markers), checking every frame.
    while pending_marker:
        check(await client.recv(timeout=5))
    return stats


@pytest.mark.parametrize("direct_writes", [True, False], ids=["direct", "asgi"])
async def test_no_stale_frame_under_randomized_interleavings(brain_factory, connect, tx, direct_writes):
    brain = brain_factory(tx.ScriptedFactory(_chunky_script(tx, 7)), ws_direct_writes=direct_writes)
    rng = random.Random(20261124)
    clients = []
    for index in range(CALLS):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", brain.port))
        sock.setblocking(False)
        client = await connect(f"{brain.ws_url}/llm-websocket/epoch_{index}", sock=sock, max_queue=2)
        await client.start()
        clients.append(client)
    results = await asyncio.gather(*(_play_call(c, random.Random(rng.random()), ROUNDS_PER_CALL) for c in clients))
    checked = _check_server_side(list(brain.observed), {f"epoch_{i}" for i in range(CALLS)})
    assert checked > CALLS * ROUNDS_PER_CALL  # the invariant really ran over many writes
    assert sum(r["superseded_requests"] for r in results) > 50  # and over many supersessions
    assert brain.metric("brain_turns_total", outcome="superseded") > 0


async def test_superseded_turn_is_cancelled_and_told_so(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.response_id == 1:
            return [(0, tx.SpeechChunk("First.")), (5, tx.SpeechChunk("Never said."))]
        return [(0, tx.SpeechChunk("Second."))] if request.kind == "response" else []

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_sup")
    await client.start()
    await client.request(1)
    first = await client.recv()
    assert first["content"] == "First."
    await client.request(2)
    frames = await client.read_turn(2)
    assert [(f["response_id"], f["content"]) for f in frames] == [(2, "Second."), (2, "")]
    await tx.wait_for(lambda: brain.factory.of("call_sup", "closed") and (1,) in brain.factory.of("call_sup", "closed"))
    finished = brain.factory.of("call_sup", "turn_finished")
    assert (1, True, "First.") in finished and (2, False, "Second.") in finished


async def test_barge_in_cuts_speech_and_writes_the_terminal(memory_brain_factory, connect, tx):
    def script(call_id, request):
        if request.kind != "response":
            return []
        return [(0.0 if i == 0 else 0.05, tx.SpeechChunk(f"Sentence {i}.")) for i in range(40)]

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_bi")
    await client.start()
    await client.request(1)
    first = await client.recv()
    assert first["content"] == "Sentence 0."
    await client.send(
        {
            "interaction_type": "update_only",
            "transcript": [{"role": "user", "content": "hold on"}],
            "turntaking": "user_turn",
        }
    )
    frames = await client.read_turn(1, timeout=2)
    assert len(frames) <= 2  # at most one chunk was already on its way
    assert frames[-1] == {"response_type": "response", "response_id": 1, "content": "", "content_complete": True}
    # Nothing more for id 1 afterwards: the next thing we see is the echo of a ping.
    assert (await client.ping(42))[0]["response_type"] == "ping_pong"
    await tx.wait_for(lambda: any(f[0] == 1 for f in brain.factory.of("call_bi", "turn_finished")))
    rid, cancelled, spoken = [f for f in brain.factory.of("call_bi", "turn_finished") if f[0] == 1][0]
    assert cancelled is True and spoken.startswith("Sentence 0.")
    assert brain.metric("brain_barge_in_cancel_latency_seconds_count") == 1
    assert brain.metric("brain_barge_ins_total") == 1
    # The transcript snapshot still reached the conversation.
    await tx.wait_for(lambda: brain.factory.of("call_bi", "transcript"))


async def test_user_turn_without_open_turn_changes_nothing(memory_brain_factory, connect, tx):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/call_quiet")
    await client.start()
    await client.send({"interaction_type": "update_only", "transcript": [], "turntaking": "user_turn"})
    frames = await client.ping(5)
    assert [f["response_type"] for f in frames] == ["ping_pong"]
    assert brain.metric("brain_barge_ins_total") == 0


@pytest.mark.parametrize("with_terminal_queued", [False, True])
async def test_barge_in_then_new_request_answers_the_new_one(memory_brain_factory, connect, tx, with_terminal_queued):
    def script(call_id, request):
        if request.kind != "response":
            return []
        if request.response_id == 1:
            return [(0, tx.SpeechChunk("Long answer.")), (2, tx.SpeechChunk("more"))]
        return [(0, tx.SpeechChunk("Short."))]

    brain = memory_brain_factory(tx.ScriptedFactory(script))
    client = await connect(brain.ws_url + "/llm-websocket/call_bn")
    await client.start()
    await client.request(1)
    await client.recv()
    await client.send({"interaction_type": "update_only", "transcript": [], "turntaking": "user_turn"})
    if with_terminal_queued:
        await client.request(2)  # may arrive before the barge-in terminal is written
        frames = await client.read_turn(2)
        ids = [f["response_id"] for f in frames]
        assert ids == sorted(ids) and frames[-2:] == [
            {"response_type": "response", "response_id": 2, "content": "Short.", "content_complete": False},
            {"response_type": "response", "response_id": 2, "content": "", "content_complete": True},
        ]
    else:
        await client.read_turn(1)
        await client.request(2)
        assert [f["content"] for f in await client.read_turn(2)] == ["Short.", ""]


@pytest.mark.parametrize("direct_writes", [True, False], ids=["direct", "asgi"])
async def test_write_blocked_on_a_full_socket_is_aborted_when_superseded(brain_factory, connect, tx, direct_writes):
    """A frame whose write is waiting for the socket to drain must not be written once stale."""
    big = "y" * 65536

    def script(call_id, request):
        if request.response_id == 1:
            return [(0, tx.SpeechChunk(f"old {i} {big}.")) for i in range(400)]
        return [(0, tx.SpeechChunk("New."))] if request.kind == "response" else []

    brain = brain_factory(tx.ScriptedFactory(script), ws_write_timeout_ms=20_000, ws_direct_writes=direct_writes)
    client = await connect(brain.ws_url + "/llm-websocket/call_block", max_queue=1, max_size=None)
    await client.start()
    await client.request(1)
    # Stop reading: the server's writer ends up waiting for the socket to drain.
    session = await tx.wait_for(lambda: (call := brain.runtime.registry.get("call_block")) and call.session)
    await tx.wait_for(lambda: session.writer.write_blocked and session.turns.current.response_id == 1, timeout=10)
    await client.request(2)
    await tx.wait_for(lambda: any(e[1] == "read" and e[3]["response_id"] == 2 for e in list(brain.observed)))
    frames = await client.read_turn(2, timeout=10)
    ids = [f["response_id"] for f in frames]
    assert ids == sorted(ids) and ids[-1] == 2
    assert _check_server_side(list(brain.observed), {"call_block"}) > 0
    assert brain.metric("brain_stale_frames_dropped_total") > 0
