"""The brain without a socket: the real app's ASGI entry driven by in-memory ``receive``/``send``.

The session already talks to ``receive``/``send`` callables, so most transport behaviour (turns,
epochs, barge-in, lanes, bad input, reconnects, capacity) is tested here with no server and no
socket: :class:`MemoryBrain` builds the app exactly as ``create_app`` does and
:func:`memory_connect` plays one websocket into it, handing back an object with the client side of
a ``websockets`` connection (``send``, ``recv``, ``close``; a server close raises
``ConnectionClosed``, a refused handshake ``InvalidStatus``). Writes take the ASGI path of the
frame writer; the direct-write path, deadlines and the wire itself stay with the real-socket tests.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedError, ConnectionClosedOK, InvalidStatus
from websockets.frames import Close
from websockets.http11 import Response

from brain_service.app import create_app
from brain_service.conversation_contract import ConversationFactory
from brain_service.settings import BrainSettings
from tests.support.brain import metric_sample

_CLOSED = object()
_ids = itertools.count(1)
_BRAINS: dict[str, MemoryBrain] = {}


class MemoryBrain:
    """One brain app served in memory on the test's own event loop."""

    def __init__(
        self,
        settings: BrainSettings,
        factory: ConversationFactory | None = None,
        *,
        observer: Callable[..., None] | None = None,
    ) -> None:
        self.app = create_app(settings, factory, session_observer=observer)
        self.factory = factory
        self.observed: list[tuple[Any, ...]] = []
        self.name = f"brain{next(_ids)}"
        self.sockets: list[MemorySocket] = []
        _BRAINS[self.name] = self

    @property
    def ws_url(self) -> str:
        return f"memory://{self.name}"

    @property
    def runtime(self) -> Any:
        return self.app.state.brain

    def metric(self, name: str, **labels: str) -> float:
        return metric_sample(self.runtime.metrics.render().decode(), name, **labels)

    async def stop(self) -> None:
        for sock in self.sockets:
            sock.client_gone()
        await self.runtime.drain(timeout=2.0)
        for sock in self.sockets:
            if sock.task is not None and not sock.task.done():
                sock.task.cancel()
        _BRAINS.pop(self.name, None)


class MemorySocket:
    """Both ends of one in-memory websocket: ASGI ``receive``/``send`` for the app, the client API for the test."""

    def __init__(self) -> None:
        self._to_server: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._to_client: asyncio.Queue[Any] = asyncio.Queue()
        self.opened: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.close_frame: Close | None = None
        self.task: asyncio.Task[None] | None = None

    # --- the app's side (ASGI) ----------------------------------------------------------------------

    async def receive(self) -> dict[str, Any]:
        return await self._to_server.get()

    async def send(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "websocket.accept":
            self.opened.set_result(101)
        elif kind == "websocket.http.response.start":
            if not self.opened.done():
                self.opened.set_result(message["status"])
        elif kind == "websocket.send":
            if self.close_frame is not None:
                raise RuntimeError("send after close")
            text = message.get("text")
            if text is not None:
                text.encode()  # as a real server does: text that is not valid UTF-8 raises here
            self._to_client.put_nowait(text if text is not None else message.get("bytes"))
        elif kind == "websocket.close":
            if not self.opened.done():
                self.opened.set_result(403)
            if self.close_frame is None:
                self.close_frame = Close(message.get("code", 1000), message.get("reason", ""))
                self._to_client.put_nowait(_CLOSED)
                self._to_server.put_nowait({"type": "websocket.disconnect", "code": self.close_frame.code})

    # --- the client's side (what a `websockets` connection offers) ------------------------------------

    async def recv(self) -> Any:
        item = await self._to_client.get()
        if item is _CLOSED:
            self._to_client.put_nowait(_CLOSED)
            frame = self.close_frame
            assert frame is not None
            error = ConnectionClosedOK if frame.code in (1000, 1001) else ConnectionClosedError
            raise error(frame, None)
        return item

    async def send_client(self, data: str | bytes) -> None:
        if self.close_frame is not None:
            raise ConnectionClosedError(self.close_frame, None)
        key = "text" if isinstance(data, str) else "bytes"
        self._to_server.put_nowait({"type": "websocket.receive", key: data})

    async def close(self, code: int = 1000) -> None:
        if self.close_frame is None:
            self.close_frame = Close(code, "")
            self._to_server.put_nowait({"type": "websocket.disconnect", "code": code})
            self._to_client.put_nowait(_CLOSED)

    def client_gone(self) -> None:
        if self.close_frame is None:
            self.close_frame = Close(1006, "")
            self._to_server.put_nowait({"type": "websocket.disconnect", "code": 1006})
            self._to_client.put_nowait(_CLOSED)


class MemoryConnection:
    """The client end handed to tests: ``send``/``recv``/``close`` like ``websockets``."""

    def __init__(self, sock: MemorySocket) -> None:
        self._sock = sock

    async def send(self, data: str | bytes) -> None:
        await self._sock.send_client(data)

    async def recv(self) -> Any:
        return await self._sock.recv()

    async def close(self) -> None:
        await self._sock.close()


def is_memory_url(url: str) -> bool:
    return url.startswith("memory://")


async def memory_connect(url: str, *, client: tuple[str, int] = ("127.0.0.1", 40000)) -> MemoryConnection:
    """Open ``memory://<brain>/<path>?<query>`` into that brain's app; InvalidStatus when refused."""
    rest = url.removeprefix("memory://")
    name, _, target = rest.partition("/")
    path, _, query = ("/" + target).partition("?")
    brain = _BRAINS[name]
    sock = MemorySocket()
    brain.sockets.append(sock)
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(b"host", b"memory")],
        "client": client,
        "server": ("memory", 0),
        "subprotocols": [],
        "extensions": {"websocket.http.response": {}},
    }
    sock._to_server.put_nowait({"type": "websocket.connect"})
    sock.task = asyncio.get_running_loop().create_task(brain.app(scope, sock.receive, sock.send))
    done, _ = await asyncio.wait({sock.opened, sock.task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
    status = sock.opened.result() if sock.opened.done() else None
    if status is None:
        raise RuntimeError("the in-memory handshake did not complete")
    if status != 101:
        raise InvalidStatus(Response(status, "", Headers()))
    return MemoryConnection(sock)
