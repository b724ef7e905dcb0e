"""A Retell-shaped caller for the brain, over the real websocket (`websockets` client).

Used by the conversation tests and by `bench/eval.py` (the brain itself: `tests.support.brain`).
`RetellCall` plays Retell's side of one call: reads `config`, sends `call_details`, reads the
begin message, then `say(text)` appends the caller's line to the cumulative transcript and sends
`response_required` with the next `response_id`, `remind()` sends `reminder_required`,
`barge(text_a, text_b)` supersedes a request before its reply finished. Every frame is kept and
checked: a frame for a response_id older than one already received counts as **stale**, a completed
reply with no words and no `end_call` counts as **dead air**.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets


@dataclass
class Reply:
    response_id: int
    text: str
    end_call: bool
    frames: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    latency_ms: float


@dataclass
class RetellCall:
    ws: Any
    call_id: str
    transcript: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1
    latest_requested: int = 0
    newest_seen: int = 0
    stale_frames: int = 0
    dead_air: int = 0
    replies: list[Reply] = field(default_factory=list)
    all_frames: list[dict[str, Any]] = field(default_factory=list)
    ended: bool = False

    @classmethod
    async def open(
        cls,
        ws_base: str,
        call_id: str,
        call: dict[str, Any] | None = None,
        timeout: float = 5.0,
        *,
        expect_begin: bool = True,
    ) -> RetellCall:
        ws = await websockets.connect(f"{ws_base}/{call_id}", compression=None, open_timeout=10, max_size=2**22)
        self = cls(ws, call_id)
        config = await self._recv(timeout)
        if config.get("response_type") != "config":
            raise AssertionError(f"first frame must be config, got {config}")
        details = {
            "call_id": call_id,
            "call_type": "phone_call",
            "direction": "outbound",
            "from_number": "+15550001111",
            "to_number": "+15550002222",
            "metadata": {},
        }
        details.update(call or {})
        await self.ws.send(json.dumps({"interaction_type": "call_details", "call": details}))
        if expect_begin:  # a reconnect of a call that was already greeted gets no second begin
            await self._read_reply(0, timeout)
        return self

    async def _recv(self, timeout: float) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.ws.recv(), timeout)
        frame = json.loads(raw)
        self.all_frames.append(frame)
        if frame.get("response_type") == "ping_pong":
            return frame
        rid = frame.get("response_id")
        if frame.get("response_type") == "response" and isinstance(rid, int):
            # the server writes a newer id only after reading the newer request, and frames stay in
            # order on the socket: an older id after a newer one is a stale frame, for certain
            if rid < self.newest_seen:
                self.stale_frames += 1
            self.newest_seen = max(self.newest_seen, rid)
        return frame

    async def _read_reply(self, response_id: int, timeout: float, started: float | None = None) -> Reply:
        started = started or time.monotonic()
        frames: list[dict[str, Any]] = []
        tools: list[dict[str, Any]] = []
        first_at: float | None = None
        deadline = time.monotonic() + timeout
        while True:
            frame = await self._recv(max(0.01, deadline - time.monotonic()))
            kind = frame.get("response_type")
            if kind in ("tool_call_invocation", "tool_call_result"):
                tools.append(frame)
                continue
            if kind != "response" or frame.get("response_id") != response_id:
                continue
            frames.append(frame)
            if first_at is None:
                first_at = time.monotonic()
            if frame.get("content_complete") is True:
                break
        text = "".join(f.get("content", "") for f in frames)
        end_call = any(f.get("end_call") is True for f in frames)
        reply = Reply(response_id, text, end_call, frames, tools, ((first_at or time.monotonic()) - started) * 1000)
        if not text.strip() and not end_call:
            self.dead_air += 1
        if text:
            self.transcript.append({"role": "agent", "content": text})
        self.replies.append(reply)
        if end_call:
            self.ended = True
        return reply

    async def say(self, text: str, timeout: float = 5.0) -> Reply:
        self.transcript.append({"role": "user", "content": text})
        return await self._request("response_required", timeout)

    async def remind(self, timeout: float = 5.0) -> Reply:
        return await self._request("reminder_required", timeout)

    async def _request(self, kind: str, timeout: float) -> Reply:
        rid = self.next_id
        self.next_id += 1
        self.latest_requested = rid
        started = time.monotonic()
        await self.ws.send(json.dumps({"interaction_type": kind, "response_id": rid, "transcript": self.transcript}))
        return await self._read_reply(rid, timeout, started)

    async def barge(self, first: str, second: str, timeout: float = 5.0) -> Reply:
        """Send a request, supersede it at once with a longer line; return the reply to the second."""
        self.transcript.append({"role": "user", "content": first})
        rid = self.next_id
        self.next_id += 2
        self.latest_requested = rid
        await self.ws.send(
            json.dumps({"interaction_type": "response_required", "response_id": rid, "transcript": self.transcript})
        )
        self.transcript[-1] = {"role": "user", "content": second}
        self.latest_requested = rid + 1
        started = time.monotonic()
        await self.ws.send(
            json.dumps({"interaction_type": "response_required", "response_id": rid + 1, "transcript": self.transcript})
        )
        return await self._read_reply(rid + 1, timeout, started)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.ws.close(), 3)
        except Exception:
            pass
