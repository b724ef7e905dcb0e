"""Bad input: every kind is counted, the session stays alive and keeps answering; oversize closes 1009."""

from __future__ import annotations

import json

import pytest
import websockets

BAD_FRAMES = [
    ("not_json", "this is not json"),
    ("not_json", '{"interaction_type": "ping_pong", "timestamp": 1'),
    ("not_object", "[1, 2, 3]"),
    ("not_object", '"just a string"'),
    ("missing_interaction_type", '{"timestamp": 1}'),
    ("unknown_interaction_type", '{"interaction_type": "clear"}'),
    ("wrong_type", '{"interaction_type": 7}'),
    ("wrong_type", '{"interaction_type": "ping_pong", "timestamp": "1700000000000"}'),
    ("wrong_type", '{"interaction_type": "response_required", "response_id": "3", "transcript": []}'),
    ("wrong_type", '{"interaction_type": "response_required", "response_id": true, "transcript": []}'),
    ("wrong_type", '{"interaction_type": "response_required", "response_id": -1, "transcript": []}'),
    ("wrong_type", '{"interaction_type": "call_details", "call": "nope"}'),
    ("wrong_type", '{"transcript": "nope", "interaction_type": "update_only"}'),
    ("missing_response_id", '{"interaction_type": "response_required", "transcript": []}'),
    ("missing_response_id", '{"interaction_type": "reminder_required", "transcript": []}'),
]


async def test_every_bad_frame_kind_is_counted_and_the_session_keeps_answering(memory_brain_factory, connect):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/bad_call")
    await client.start()
    for index, (kind, raw) in enumerate(BAD_FRAMES, start=1):
        before = brain.metric("brain_bad_frames_total", kind=kind)
        await client.send(raw)
        assert (await client.ping(index))[-1] == {"response_type": "ping_pong", "timestamp": index}, raw
        await client.request(index)
        frames = await client.read_turn(index)
        assert [f["response_id"] for f in frames] == [index, index], raw
        assert brain.metric("brain_bad_frames_total", kind=kind) == before + 1, raw


async def test_deferred_update_only_that_is_broken_is_counted(memory_brain_factory, connect, tx):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/bad_upd")
    await client.start()
    await client.send('{"interaction_type": "update_only", "transcript": [ broken')
    assert (await client.ping(12))[-1]["timestamp"] == 12
    await tx.wait_for(lambda: brain.metric("brain_bad_frames_total", kind="not_json") == 1)


async def test_binary_frame_is_counted_not_fatal(memory_brain_factory, connect):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/bin_call")
    await client.start()
    await client.ws.send(b"\x00\x01binary")
    assert (await client.ping(13))[-1]["timestamp"] == 13
    assert brain.metric("brain_bad_frames_total", kind="binary") == 1


async def test_unexpected_transcript_roles_and_entries_do_not_drop_the_turn(memory_brain_factory, connect):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/roles")
    await client.start()
    transcript = [
        {"role": "agent", "content": "Hi", "words": []},
        {"role": "transfer_target", "content": "Hello?"},
        "not an entry",
        {"role": 5, "content": 7},
        {"role": "user", "content": "stop calling me", "metadata": {"x": 1}, "extra": True},
    ]
    await client.send(
        {"interaction_type": "response_required", "response_id": 1, "transcript": transcript, "unknown_field": {"a": 1}}
    )
    frames = await client.read_turn(1)
    assert frames[-1]["content_complete"] is True
    request = [e[0] for e in brain.factory.of("roles", "respond")][-1]
    assert [u.role for u in request.transcript] == ["agent", "transfer_target", "unknown", "user"]
    assert request.last_user_text == "stop calling me"
    assert brain.metric("brain_bad_frames_total", kind="bad_transcript_entry") == 2


async def test_response_required_without_transcript_is_still_answered(memory_brain_factory, connect):
    brain = memory_brain_factory()
    client = await connect(brain.ws_url + "/llm-websocket/no_tr")
    await client.start()
    await client.send({"interaction_type": "response_required", "response_id": 4})
    assert (await client.read_turn(4))[-1]["content_complete"] is True


async def test_bad_frames_on_one_call_do_not_touch_another(memory_brain_factory, connect):
    brain = memory_brain_factory()
    noisy = await connect(brain.ws_url + "/llm-websocket/noisy")
    calm = await connect(brain.ws_url + "/llm-websocket/calm")
    await noisy.start()
    await calm.start()
    for _ in range(50):
        await noisy.send("{{{{")
    await calm.request(1)
    assert [f["response_id"] for f in await calm.read_turn(1)] == [1, 1]
    assert (await noisy.ping(3))[-1]["timestamp"] == 3


@pytest.mark.parametrize("uvicorn_cap", [True, False])
async def test_oversize_frame_closes_1009(memory_brain_factory, connect, uvicorn_cap):
    limit = 64 * 1024
    # Either uvicorn's own cap or, with uvicorn's cap set higher, the session's check closes it.
    overrides = {} if uvicorn_cap else {"uvicorn_overrides": {"ws_max_size": 16 * limit}}
    brain = memory_brain_factory(ws_max_frame_bytes=limit, **overrides)
    client = await connect(brain.ws_url + "/llm-websocket/huge")
    await client.start()
    big = json.dumps({"interaction_type": "update_only", "transcript": [{"role": "user", "content": "é" * limit}]})
    await client.send(big)
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:
            await client.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    calm = await connect(brain.ws_url + "/llm-websocket/after_huge")
    await calm.start()
