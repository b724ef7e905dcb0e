"""SIGTERM drains a real `python -m brain_service` process: readiness 503, new sockets refused,
live turns finish their terminal frame, sessions close 1001, calls finished, exit within the bound."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

ROOT = Path(__file__).resolve().parents[3]


def _start(tmp_path: Path, drain_s: float) -> tuple[subprocess.Popen, int, list[str]]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), str(Path(__file__).resolve().parent)]),
        BRAIN_HOST="127.0.0.1",
        BRAIN_PORT="0",
        BRAIN_DRAIN_TIMEOUT_S=str(drain_s),
        BRAIN_BEGIN_WAIT_CALL_DETAILS_MS="0",
        BRAIN_CONVERSATION_FACTORY="slow_conversation:build",
        DATA_DIR=str(tmp_path),
    )
    env.pop("WEB_CONCURRENCY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "brain_service"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    port_box: list[int] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            match = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if match:
                port_box.append(int(match.group(1)))
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 30
    while not ready.wait(0.1):
        if proc.poll() is not None or time.monotonic() > deadline:
            break
    if not ready.is_set():
        proc.kill()
        raise AssertionError("brain did not start:\n" + "".join(lines))
    return proc, port_box[0], lines


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


async def _frames_until_close(ws) -> tuple[list[dict], int | None]:
    frames = []
    try:
        while True:
            frames.append(json.loads(await asyncio.wait_for(ws.recv(), 15)))
    except websockets.ConnectionClosed as closed:
        return frames, closed.rcvd.code if closed.rcvd else None


@pytest.mark.slow
async def test_sigterm_drains_live_turns_then_closes_1001(tmp_path):
    drain_s = 3.0
    proc, port, lines = _start(tmp_path, drain_s)
    base = f"127.0.0.1:{port}"
    try:
        finishing = await websockets.connect(f"ws://{base}/llm-websocket/slow_call", compression=None)
        stuck = await websockets.connect(f"ws://{base}/llm-websocket/forever_call", compression=None)
        for ws in (finishing, stuck):
            for _ in range(3):  # config, greeting chunk, greeting terminal
                await asyncio.wait_for(ws.recv(), 10)
            await ws.send(json.dumps({"interaction_type": "response_required", "response_id": 1, "transcript": []}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["content"] == "Working on it."
        assert _status(f"http://{base}/ready") == 200

        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while _status(f"http://{base}/ready") != 503:
            assert time.monotonic() < deadline, "readiness never went 503"
            await asyncio.sleep(0.02)
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(f"ws://{base}/llm-websocket/late_call")
        assert refused.value.response.status_code == 503

        frames, code = await _frames_until_close(finishing)
        assert [(f["content"], f["content_complete"]) for f in frames if f["response_type"] == "response"] == [
            (" Done.", False),
            ("", True),
        ]
        assert code == 1001
        frames, code = await _frames_until_close(stuck)
        # Cut at the drain deadline: the open stream is still closed before the socket.
        assert [(f["content"], f["content_complete"]) for f in frames if f["response_type"] == "response"] == [
            ("", True)
        ]
        assert code == 1001
        # uvicorn re-raises the captured SIGTERM after its clean shutdown (exit status 143 in a shell).
        assert await asyncio.to_thread(proc.wait, 15) in (0, -signal.SIGTERM)
        elapsed = time.monotonic() - started
        assert elapsed < drain_s + 8, elapsed
        output = "".join(lines)
        assert '"event":"drain_done"' in output and "Application shutdown complete" in output
        assert "FINISH slow_call shutdown" in output and "FINISH forever_call shutdown" in output
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
