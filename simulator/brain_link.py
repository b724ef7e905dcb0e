"""Retell's side of one Custom-LLM websocket: connect, read config, keep alive, request replies.

One reader task owns the socket's inbound side (so pings are answered and frames are collected
while the caller "talks"), one pinger sends ``ping_pong`` every `ping_interval_ms` when the brain's
config asked for ``auto_reconnect``. `request(kind, rid, transcript)` sends ``response_required`` /
``reminder_required`` and waits for the reply under that id to complete (``content_complete``) or
end the call. Frames for ids that are no longer awaited are dropped, as Retell drops them.
Tool-call frames are kept in arrival order, tagged with the transcript length at that moment, so
`transcript_with_tool_calls` can weave them in where they happened.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import websockets

CONNECT_ATTEMPTS = 3  # Retell: 3 attempts, 7 s each, 3 s apart (retell-protocol.md §1.2)
CONNECT_TIMEOUT_S = 7.0
CONNECT_GAP_S = 3.0


class LinkError(Exception):
    """The brain could not be reached, broke the protocol, closed or did not answer in time."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason  # a Retell disconnection_reason


@dataclass
class Reply:
    response_id: int
    text: str = ""
    end_call: bool = False
    latency_ms: float | None = None  # request sent → first frame of this reply
    complete: bool = False
    done: asyncio.Event = field(default_factory=asyncio.Event)
    sent_at: float = field(default_factory=time.monotonic)


class BrainLink:
    def __init__(self, ws: Any, ping_interval_ms: int) -> None:
        self.ws = ws
        self.ping_interval_s = ping_interval_ms / 1000
        self.config: dict[str, Any] = {}
        self.config_seen = asyncio.Event()
        self.closed = asyncio.Event()
        self.close_code: int | None = None
        self.tool_events: list[tuple[int, dict[str, Any]]] = []
        self.transcript_len = 0
        self.pongs = 0
        self.pings = 0
        self.bad_frames = 0
        self._pending: dict[int, Reply] = {}
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    async def open(cls, url: str, *, ping_interval_ms: int, gap_s: float = CONNECT_GAP_S) -> BrainLink:
        last = ""
        for attempt in range(CONNECT_ATTEMPTS):
            if attempt:
                await asyncio.sleep(gap_s)
            try:
                ws = await websockets.connect(url, open_timeout=CONNECT_TIMEOUT_S, compression=None, max_size=2**22)
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            link = cls(ws, ping_interval_ms)
            link._tasks.append(asyncio.create_task(link._read()))
            return link
        raise LinkError("error_llm_websocket_open", last)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                try:
                    frame = json.loads(raw)
                except (TypeError, ValueError):
                    self.bad_frames += 1
                    continue
                if isinstance(frame, dict):
                    self._on_frame(frame)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.close_code = self.ws.close_code
            self.closed.set()
            for reply in self._pending.values():
                reply.done.set()

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("response_type", "response")
        if kind == "config":
            self.config = frame.get("config") or {}
            self.config_seen.set()
            if self.config.get("auto_reconnect") and len(self._tasks) == 1:
                self._tasks.append(asyncio.create_task(self._ping()))
        elif kind == "ping_pong":
            self.pongs += 1
        elif kind in ("tool_call_invocation", "tool_call_result"):
            self.tool_events.append((self.transcript_len, frame))
        elif kind in ("response", "agent_interrupt"):
            reply = self._pending.get(frame.get("response_id"))  # type: ignore[arg-type]
            if reply is None or reply.done.is_set():
                return  # stale: Retell only takes content for the newest open request
            if reply.latency_ms is None:
                reply.latency_ms = (time.monotonic() - reply.sent_at) * 1000
            content = frame.get("content")
            if isinstance(content, str):
                reply.text += content
            if frame.get("end_call") is True:
                reply.end_call = True
            if frame.get("content_complete") is True or reply.end_call:
                reply.complete = True
                reply.done.set()
        # other frames (update_agent, metadata) carry nothing the simulated phone call acts on

    async def _ping(self) -> None:
        while not self.closed.is_set():
            await asyncio.sleep(self.ping_interval_s)
            try:
                await self.send({"interaction_type": "ping_pong", "timestamp": int(time.time() * 1000)})
                self.pings += 1
            except websockets.ConnectionClosed:
                return

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(frame))

    async def wait_config(self, timeout: float) -> dict[str, Any]:
        try:
            await asyncio.wait_for(self.config_seen.wait(), timeout)
        except TimeoutError:
            if self.closed.is_set():
                raise LinkError("error_llm_websocket_open", "closed before config") from None
            return {}  # config is optional: defaults apply
        return self.config

    def expect(self, response_id: int) -> Reply:
        """Register interest in `response_id` before the frame that asks for it is sent."""
        for rid in [r for r in self._pending if r < response_id]:
            self._pending.pop(rid).done.set()  # a newer request supersedes every older one
        reply = self._pending[response_id] = Reply(response_id)
        return reply

    async def wait_reply(self, reply: Reply, timeout: float) -> Reply:
        try:
            await asyncio.wait_for(reply.done.wait(), timeout)
        except TimeoutError:
            raise LinkError("error_llm_websocket_runtime", f"no complete reply to {reply.response_id}") from None
        if not reply.complete and self.closed.is_set():
            if self.close_code != 1000:
                raise LinkError("error_llm_websocket_runtime", f"socket closed ({self.close_code})")
            reply.end_call = True  # closing with 1000 is a deliberate hang-up (agent_hangup)
        return reply

    async def request(self, kind: str, response_id: int, transcript: list[dict[str, Any]], timeout: float) -> Reply:
        reply = self.expect(response_id)
        reply.sent_at = time.monotonic()
        await self.send({"interaction_type": kind, "response_id": response_id, "transcript": transcript})
        return await self.wait_reply(reply, timeout)

    async def close(self) -> None:
        for task in self._tasks[1:]:
            task.cancel()
        try:
            await asyncio.wait_for(self.ws.close(code=1000), 3)
        except Exception:
            pass
        if self._tasks:
            try:
                await asyncio.wait_for(self._tasks[0], 3)
            except Exception:
                pass
