"""Fixtures for the brain transport tests: the real app served in memory (`memory_brain_factory`, no
socket: most tests) or on an ephemeral loopback port (`brain_factory`: the tests that prove the wire
— direct writes, write deadlines, the frame cap, handshakes, HTTP), one Retell-like client for both
(`connect`), and scripted conversations.

The scripted conversations are stand-ins for the conversation half on purpose: the transport's
properties (epochs, barge-in, deadlines, reconnects) are tested with turns whose timing and size
the test controls. The real server runs in a background thread with its own event loop (uvloop, the
same uvicorn configuration as ``python -m brain_service``); the shared harness is `tests/support/`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
import threading
import time
from collections.abc import AsyncIterator, Callable
from types import SimpleNamespace
from typing import Any

import pytest
import websockets

from brain_service.conversation_contract import SpeechChunk, ToolEvent, TurnOutput, TurnRequest, Utterance
from brain_service.settings import BrainSettings
from tests.support.brain import RunningBrain, start_brain
from tests.support.memory_brain import MemoryBrain, is_memory_url, memory_connect
from tests.support.waiting import wait_for, wait_for_sync

# --- scripted conversations ------------------------------------------------------------------

Script = Callable[[str, TurnRequest], list[tuple[float, TurnOutput]]]


def default_script(call_id: str, request: TurnRequest) -> list[tuple[float, TurnOutput]]:
    if request.kind == "begin":
        return [(0.0, SpeechChunk("Hello there.")), (0.0, SpeechChunk("This is the test agent."))]
    if request.kind == "reminder":
        return [(0.0, SpeechChunk("Are you still there?"))]
    return [(0.0, SpeechChunk(f"Reply {request.response_id}."))]


class ScriptedConversation:
    def __init__(self, factory: ScriptedFactory, call_id: str) -> None:
        self.factory = factory
        self.call_id = call_id

    def _log(self, *event: Any) -> None:
        with self.factory.lock:
            self.factory.events.append((self.call_id, *event))

    def on_call_details(self, call: dict[str, Any]) -> None:
        self._log("call_details", call)

    def on_transcript(self, transcript: tuple[Utterance, ...]) -> None:
        self._log("transcript", transcript)

    async def respond(self, request: TurnRequest) -> AsyncIterator[TurnOutput]:
        self._log("respond", request)
        try:
            for delay, output in self.factory.script(self.call_id, request):
                if delay:
                    await asyncio.sleep(delay)
                if isinstance(output, Exception):
                    raise output
                yield output
        finally:
            self._log("closed", request.response_id)

    def on_turn_finished(self, response_id: int, *, cancelled: bool, spoken: str) -> None:
        self._log("turn_finished", response_id, cancelled, spoken)

    def finish(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> None:
        self._log("finish", close_reason, reconnects, turns)
        if self.factory.finish_raises:
            raise RuntimeError("finish failed on purpose")


class ScriptedFactory:
    def __init__(self, script: Script = default_script, *, finish_raises: bool = False) -> None:
        self.script = script
        self.finish_raises = finish_raises
        self.events: list[tuple[Any, ...]] = []
        self.lock = threading.Lock()
        self.created: list[str] = []

    def new_call(self, call_id: str) -> ScriptedConversation:
        with self.lock:
            self.created.append(call_id)
        return ScriptedConversation(self, call_id)

    def of(self, call_id: str, kind: str) -> list[tuple[Any, ...]]:
        with self.lock:
            return [e[2:] for e in self.events if e[0] == call_id and e[1] == kind]


# --- the server --------------------------------------------------------------------------------


def _start_brain(
    factory: Any = None, *, uvicorn_overrides: dict[str, Any] | None = None, **settings_overrides: Any
) -> RunningBrain:
    """The brain on a scripted conversation, every read and write observed (``brain.observed``)."""
    settings_overrides.setdefault("brain_begin_wait_call_details_ms", 0)
    settings = BrainSettings(_env_file=None, brain_host="127.0.0.1", brain_port=0, **settings_overrides)
    factory = factory if factory is not None else ScriptedFactory()
    observed: list[tuple[Any, ...]] = []

    def observer(event: str, call_id: str, **data: Any) -> None:
        observed.append((time.monotonic(), event, call_id, data))

    brain = start_brain(settings, factory, observer=observer, uvicorn_overrides=uvicorn_overrides)
    brain.observed = observed
    return brain


@pytest.fixture
def brain_factory():
    """``brain_factory(factory=None, **settings)`` starts a brain; all are stopped after the test."""
    started: list[RunningBrain] = []

    def make(factory: Any = None, **kwargs: Any) -> RunningBrain:
        brain = _start_brain(factory, **kwargs)
        started.append(brain)
        return brain

    yield make
    for brain in started:
        brain.stop()


@pytest.fixture
async def memory_brain_factory():
    """``memory_brain_factory(factory=None, **settings)``: the same brain served in memory (no socket)."""
    started: list[MemoryBrain] = []

    def make(factory: Any = None, **settings_overrides: Any) -> MemoryBrain:
        settings_overrides.setdefault("brain_begin_wait_call_details_ms", 0)
        settings = BrainSettings(_env_file=None, brain_host="127.0.0.1", brain_port=0, **settings_overrides)
        factory = factory if factory is not None else ScriptedFactory()
        observed: list[tuple[Any, ...]] = []

        def observer(event: str, call_id: str, **data: Any) -> None:
            observed.append((time.monotonic(), event, call_id, data))

        brain = MemoryBrain(settings, factory, observer=observer)
        brain.observed = observed
        started.append(brain)
        return brain

    yield make
    for brain in started:
        await brain.stop()


# --- the client ----------------------------------------------------------------------------------


class RetellClient:
    """A Retell-shaped websocket client with strict JSON helpers."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.received: list[dict[str, Any]] = []

    async def send(self, payload: dict[str, Any] | str) -> None:
        await self.ws.send(payload if isinstance(payload, str) else json.dumps(payload))

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        assert isinstance(raw, str), "the brain must only send text frames"
        frame = json.loads(raw)
        self.received.append(frame)
        return frame

    async def recv_until(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Frames up to and including the first matching one."""
        frames = []
        deadline = time.monotonic() + timeout
        while True:
            frame = await self.recv(max(0.01, deadline - time.monotonic()))
            frames.append(frame)
            if predicate(frame):
                return frames

    async def ping(self, timestamp: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        await self.send({"interaction_type": "ping_pong", "timestamp": timestamp})
        return await self.recv_until(
            lambda f: f.get("response_type") == "ping_pong" and f.get("timestamp") == timestamp, timeout
        )

    async def request(self, response_id: int, text: str = "hello", kind: str = "response_required") -> None:
        await self.send(
            {"interaction_type": kind, "response_id": response_id, "transcript": [{"role": "user", "content": text}]}
        )

    async def read_turn(self, response_id: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Frames up to the terminal of ``response_id``."""
        return await self.recv_until(
            lambda f: (
                f.get("response_type") == "response"
                and f["response_id"] == response_id
                and f["content_complete"] is True
            ),
            timeout,
        )

    async def start(self, call_details: bool = True) -> list[dict[str, Any]]:
        """Read config, send call_details, read the begin stream."""
        config = await self.recv()
        assert config["response_type"] == "config"
        if call_details:
            await self.send(
                {"interaction_type": "call_details", "call": {"call_id": "x", "metadata": {"lead_id": "L1"}}}
            )
        return [config] + await self.read_turn(0)

    async def close(self) -> None:
        await self.ws.close()


@pytest.fixture
async def connect():
    """``await connect(url)`` → RetellClient; closed after the test."""
    clients: list[RetellClient] = []

    async def make(url: str, **kwargs: Any) -> RetellClient:
        if is_memory_url(url):
            client = RetellClient(await memory_connect(url))
            clients.append(client)
            return client
        kwargs.setdefault("compression", None)
        kwargs.setdefault("open_timeout", 10)
        ws = await websockets.connect(url, **kwargs)
        client = RetellClient(ws)
        clients.append(client)
        return client

    yield make
    for client in clients:
        try:
            await asyncio.wait_for(client.ws.close(), 2)
        except Exception:
            pass


class RawWsClient:
    """A blocking websocket client on a plain socket: it can stop reading (tiny receive buffer)."""

    def __init__(
        self, port: int, path: str, *, rcvbuf: int | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            data = self.sock.recv(4096)
            if not data:
                break
            self.buffer += data
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        self.status = int(head.split(b" ", 2)[1]) if head else 0
        self.body = self.buffer

    def send_text(self, text: str) -> None:
        self.send_frame(0x1, text.encode())

    def send_frame(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if n < 4096 else _mask_fast(payload, mask)
        self.sock.sendall(header + mask + masked)

    def read_all_frames(self, timeout: float = 10) -> list[tuple[int, bytes]]:
        """Read until the peer closes the connection; returns (opcode, payload) pairs."""
        self.sock.settimeout(timeout)
        data = self.buffer
        while True:
            try:
                chunk = self.sock.recv(1 << 20)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            data += chunk
        frames = []
        while len(data) >= 2:
            opcode, length, offset = data[0] & 0x0F, data[1] & 0x7F, 2
            if length == 126:
                length, offset = struct.unpack("!H", data[2:4])[0], 4
            elif length == 127:
                length, offset = struct.unpack("!Q", data[2:10])[0], 10
            if len(data) < offset + length:
                break
            frames.append((opcode, data[offset : offset + length]))
            data = data[offset + length :]
        return frames

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _mask_fast(payload: bytes, mask: bytes) -> bytes:
    n = len(payload)
    key = int.from_bytes((mask * (n // 4 + 1))[:n], "big")
    return (int.from_bytes(payload, "big") ^ key).to_bytes(n, "big")


@pytest.fixture
def tx():
    """Helpers for test modules (conftest modules are not imported directly)."""
    return SimpleNamespace(
        wait_for=wait_for,
        wait_for_sync=wait_for_sync,
        ScriptedFactory=ScriptedFactory,
        SpeechChunk=SpeechChunk,
        ToolEvent=ToolEvent,
        RawWsClient=RawWsClient,
    )
