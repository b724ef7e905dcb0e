"""What the brain logs about handshakes and broken frames, over real sockets and the real server.

* The websocket token never reaches a log line, in either form (``?token=`` and the path segment),
  after refused, accepted and at-capacity handshakes, nor in an HTTP access line.
* A refused handshake is one WARNING line with the reason — no ERROR, no server chatter.
* A text frame that is not UTF-8 is a counted bad-input event, not an ERROR traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.request

import pytest
import websockets

TOKEN = "tok-7f3c9e2a41b8d6"


def _rendered(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every line the server side logged, as a handler would print it (message, arguments, traceback)."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [formatter.format(r) for r in caplog.records if not r.name.startswith("websockets.client")]


async def _refused(url: str) -> int:
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(url, open_timeout=10)
    return refused.value.response.status_code


async def test_the_token_never_reaches_a_log_line(brain_factory, caplog, tx):
    caplog.set_level(logging.DEBUG)
    brain = brain_factory(
        brain_ws_token=TOKEN, brain_max_sessions=2, uvicorn_overrides={"log_level": "debug", "access_log": True}
    )
    base = brain.ws_url
    # refused: wrong token in both forms (each carries the real token as a substring)
    assert await _refused(f"{base}/llm-websocket/r1?token={TOKEN}x") == 403
    assert await _refused(f"{base}/llm-websocket/{TOKEN}x/r2") == 403
    # accepted, both forms
    a = await websockets.connect(f"{base}/llm-websocket/a1?token={TOKEN}")
    b = await websockets.connect(f"{base}/ws/{TOKEN}/a2")
    assert json.loads(await a.recv())["response_type"] == "config"
    assert json.loads(await b.recv())["response_type"] == "config"
    # at capacity, both forms
    assert await _refused(f"{base}/llm-websocket/c1?token={TOKEN}") == 503
    assert await _refused(f"{base}/llm-websocket/{TOKEN}/c2") == 503
    # an HTTP request carrying it (access log on)
    with urllib.request.urlopen(f"{brain.http_url}/health?token={TOKEN}", timeout=5) as response:
        assert response.status == 200
    await a.close()
    await b.close()
    await tx.wait_for(lambda: brain.runtime.registry.live_count == 0)
    lines = _rendered(caplog)
    assert any("handshake_rejected" in line for line in lines)  # the capture did see the handshakes
    assert any("/health?token=[redacted]" in line for line in lines)  # ... and the access line
    assert [line for line in lines if TOKEN in line] == []


async def test_a_refused_handshake_is_one_warning_line_with_the_reason(brain_factory, caplog):
    caplog.set_level(logging.DEBUG)
    brain = brain_factory(brain_ws_token=TOKEN, uvicorn_overrides={"log_level": "debug"})
    for path, reason in ((f"/llm-websocket/x1?token=nope{TOKEN}", "token"), ("/llm-websocket/bad.id!", "token")):
        caplog.clear()
        assert await _refused(brain.ws_url + path) in (400, 403)
        await asyncio.sleep(0.2)  # the server logs after the response is sent; nothing is awaited on it
        lines = [r for r in caplog.records if r.levelno >= logging.INFO and r.name.startswith(("brain", "uvicorn"))]
        assert len(lines) == 1, [r.getMessage() for r in lines]
        assert lines[0].levelno == logging.WARNING and json.loads(lines[0].getMessage())["reason"] == reason
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_an_invalid_utf8_frame_is_a_counted_bad_input_event(brain_factory, caplog, tx):
    caplog.set_level(logging.DEBUG)
    brain = brain_factory(uvicorn_overrides={"log_level": "debug"})
    raw = tx.RawWsClient(brain.port, "/llm-websocket/utf8")
    assert raw.status == 101
    raw.send_frame(0x1, b'{"interaction_type":"ping_pong","timestamp":1,"x":"\xff\xfe"}')
    frames = raw.read_all_frames(timeout=10)
    raw.close()
    closes = [payload for opcode, payload in frames if opcode == 0x8]
    assert closes and int.from_bytes(closes[0][:2], "big") == 1007
    await tx.wait_for(lambda: brain.metric("brain_bad_frames_total", kind="invalid_utf8") == 1)
    assert brain.metric("brain_session_closes_total", reason="invalid_utf8") == 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
