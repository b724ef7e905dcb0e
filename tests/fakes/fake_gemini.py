"""A local fake of the Gemini API's streaming endpoint, on a real loopback HTTP server.

It answers ``POST /{api_version}/models/{model}:streamGenerateContent?alt=sse`` exactly the way the
Generative Language API does: ``text/event-stream`` with one ``data: {GenerateContentResponse JSON}``
event per chunk (blank-line separated), the last carrying ``finishReason: STOP`` and usage metadata;
errors are an HTTP status with ``{"error": {"code", "message", "status"}}``. google-genai 3.4.0 is
pointed at it with ``HttpOptions(base_url=fake.base_url)``.

Behaviour per request comes from ``fake.scenario`` (a `Scenario`: time to first token, chunks, gap
between chunks, a stall, an error status, a thought part first). The fake records every request
(path, headers without the key's value, JSON body) and notices when the client drops the stream
(`disconnects`, `disconnected` event), which is how tests prove a cancelled turn closed the stream.
``HEAD`` requests (a client warming a spare connection) get an empty 404, as Google's front end
answers them, and only their client ports are kept (`head_ports`); every request records the
client port it came from, so tests can tell which connection carried it.

Usage::

    with FakeGemini() as fake:
        fake.scenario = Scenario(ttft=0.05, chunks=["Sure. ", "What's the email?"])
        ... BrainSettings(gemini_base_url=fake.base_url, gemini_api_key="test", brain_use_llm=True)
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.loopback import LoopbackServer


@dataclass
class Scenario:
    ttft: float = 0.05  # seconds before the first chunk
    chunks: list[str] = field(default_factory=lambda: ["Sure thing. ", "What's the best email for the manager?"])
    gap: float = 0.01  # seconds between chunks
    stall_after: int | None = None  # stall after this many chunks ...
    stall_s: float = 30.0  # ... for this long (the client should give up first)
    status: int = 200  # non-200: an API error body instead of a stream
    thought_first: bool = False  # send a thought part (must never be spoken)


@dataclass
class SeenRequest:
    path: str
    query: str
    headers: dict[str, str]
    body: dict[str, Any]
    started: float
    first_byte_at: float | None = None
    finished: bool = False
    disconnected: bool = False
    client_port: int = 0  # the client's TCP port: which connection carried it


_MARKER_RE = re.compile(r"\[t:([^\]]+)\]")


def _marker(body: dict[str, Any]) -> str | None:
    """The last ``[t:...]`` tag in the newest user content (benchmarks tag each turn with one)."""
    try:
        text = "".join(p.get("text", "") for p in body["contents"][-1]["parts"])
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    found = _MARKER_RE.findall(text)
    return found[-1] if found else None


def _chunk_json(text: str, *, thought: bool = False, final: bool = False, model: str = "gemini-fake") -> bytes:
    part: dict[str, Any] = {"text": text}
    if thought:
        part["thought"] = True
    candidate: dict[str, Any] = {"content": {"parts": [part], "role": "model"}, "index": 0}
    payload: dict[str, Any] = {"candidates": [candidate], "modelVersion": model, "responseId": "fake-response"}
    if final:
        candidate["finishReason"] = "STOP"
        payload["usageMetadata"] = {"promptTokenCount": 100, "candidatesTokenCount": 20, "totalTokenCount": 120}
    return b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\r\n\r\n"


class FakeGemini:
    def __init__(
        self,
        scenario: Scenario | None = None,
        *,
        chooser: Callable[[dict[str, Any]], Scenario] | None = None,
        loop: str = "asyncio",
        keep_bodies: bool = True,
    ) -> None:
        self.scenario = scenario or Scenario()
        self.loop = loop
        self.keep_bodies = keep_bodies
        self.chooser = chooser  # optional: pick a scenario from the request body
        self.requests: list[SeenRequest] = []
        self.head_ports: list[int] = []  # client ports of HEAD requests (connection warm-ups), kept apart
        self.lock = threading.Lock()
        self.disconnected = threading.Event()
        self._server: LoopbackServer | None = None
        self.port = 0

    # --- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        arrived = time.monotonic()  # the model's clock starts when the request arrives, not after our own parsing
        client_port = int((scope.get("client") or ("", 0))[1])
        if scope["method"] == "HEAD":  # a client warming a connection: answered like Google's front end, no body
            with self.lock:
                self.head_ports.append(client_port)
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        if scope["method"] == "GET" and scope["path"] == "/_timings":
            await self._timings(send)
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        if "x-goog-api-key" in headers:
            headers["x-goog-api-key"] = "<present>"
        try:
            payload = json.loads(body or b"{}")
        except json.JSONDecodeError:
            payload = {"_raw": body.decode(errors="replace")}
        seen = SeenRequest(
            scope["path"],
            scope.get("query_string", b"").decode(),
            headers,
            payload if self.keep_bodies else {"marker": _marker(payload)},
            arrived,
            client_port=client_port,
        )
        with self.lock:
            self.requests.append(seen)
        if scope["method"] != "POST" or not scope["path"].endswith(":streamGenerateContent"):
            await self._error(send, 404, "NOT_FOUND", f"unknown path {scope['path']}")
            return
        scenario = self.chooser(payload) if self.chooser else self.scenario
        if scenario.status != 200:
            await asyncio.sleep(scenario.ttft)
            await self._error(
                send, scenario.status, "INTERNAL" if scenario.status >= 500 else "INVALID_ARGUMENT", "fake failure"
            )
            return
        disconnected = asyncio.Event()

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    disconnected.set()
                    return

        watcher = asyncio.create_task(watch())
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")],
                }
            )
            if await self._wait(disconnected, scenario.ttft):
                return self._mark_disconnect(seen)
            chunks = list(scenario.chunks)
            if scenario.thought_first:
                await send(
                    {
                        "type": "http.response.body",
                        "body": _chunk_json("Thinking about the caller.", thought=True),
                        "more_body": True,
                    }
                )
            for index, text in enumerate(chunks):
                if index and await self._wait(disconnected, scenario.gap):
                    return self._mark_disconnect(seen)
                if (
                    scenario.stall_after is not None
                    and index == scenario.stall_after
                    and await self._wait(disconnected, scenario.stall_s)
                ):
                    return self._mark_disconnect(seen)
                if seen.first_byte_at is None:
                    seen.first_byte_at = time.monotonic()
                await send(
                    {
                        "type": "http.response.body",
                        "body": _chunk_json(text, final=index == len(chunks) - 1),
                        "more_body": True,
                    }
                )
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            seen.finished = True
        except OSError:
            self._mark_disconnect(seen)
        finally:
            watcher.cancel()

    async def _timings(self, send: Callable) -> None:
        """GET /_timings: per request marker, received and first-byte times (monotonic, for benchmarks)."""
        with self.lock:
            rows = [
                {
                    "marker": r.body.get("marker") if not self.keep_bodies else _marker(r.body),
                    "received": r.started,
                    "first_byte_at": r.first_byte_at,
                    "disconnected": r.disconnected,
                }
                for r in self.requests
            ]
        body = json.dumps(rows).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    def _mark_disconnect(self, seen: SeenRequest) -> None:
        seen.disconnected = True
        self.disconnected.set()

    @staticmethod
    async def _wait(disconnected: asyncio.Event, seconds: float) -> bool:
        """Sleep ``seconds``; True if the client went away meanwhile."""
        if seconds <= 0:
            return disconnected.is_set()
        try:
            await asyncio.wait_for(disconnected.wait(), seconds)
            return True
        except TimeoutError:
            return False

    @staticmethod
    async def _error(send: Callable, status: int, name: str, message: str) -> None:
        body = json.dumps({"error": {"code": status, "message": message, "status": name}}).encode()
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": body})

    # --- server lifecycle ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, port: int = 0) -> FakeGemini:
        self._server = LoopbackServer(
            self,
            port=port,
            name="fake-gemini",
            lifespan="on",
            backlog=2048,
            timeout_keep_alive=30,
            loop=self.loop,
            http="h11" if self.loop == "asyncio" else "httptools",
        )
        self.port = self._server.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    def __enter__(self) -> FakeGemini:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def reply_chunks(count: int, *, long: bool = False) -> list[str]:
    """A model reply in at most ``count`` chunks; the first chunk is always a whole first sentence."""
    if long:
        return ["Totally fair, thanks. "] + [f"Part {i} of the reply goes here. " for i in range(1, count)]
    words = ["Could", "I", "send", "a", "short", "summary", "to", "the", "manager's", "email?"]
    rest = max(1, count - 1)
    size = -(-len(words) // rest)
    pieces = [" ".join(words[i : i + size]) for i in range(0, len(words), size)]
    return ["Totally fair, thanks. "] + [p + ("" if i == len(pieces) - 1 else " ") for i, p in enumerate(pieces)]


def main(argv: list[str] | None = None) -> int:
    """Serve the fake standalone: ``python tests/fakes/fake_gemini.py --port 8765 --ttft 0.3``."""
    import argparse

    parser = argparse.ArgumentParser(description="fake Gemini streamGenerateContent server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ttft", type=float, default=0.3)
    parser.add_argument("--chunks", type=int, default=5)
    parser.add_argument("--gap", type=float, default=0.03)
    parser.add_argument(
        "--reply",
        choices=("short", "long"),
        default="short",
        help="short: two sentences (what the prompt asks for), the stream ends and its connection is "
        "reused; long: one sentence per chunk, so the brain stops reading after three sentences "
        "and closes the stream (a new connection for the next request)",
    )
    args = parser.parse_args(argv)
    chunks = reply_chunks(args.chunks, long=args.reply == "long")
    fake = FakeGemini(Scenario(ttft=args.ttft, chunks=chunks, gap=args.gap), loop="uvloop", keep_bodies=False)
    fake.start(args.port)
    print(f"READY {fake.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
