"""Serve an ASGI app with real uvicorn on a loopback port from a background thread (test fakes)."""

from __future__ import annotations

import socket
import threading
from typing import Any

import uvicorn

from tests.support.servers import run_in_thread


class LoopbackServer:
    """A uvicorn server bound to ``host:port`` (0 = ephemeral); ``port`` is the bound one after start."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0, name: str = "fake", **config: Any) -> None:
        self.app, self.host, self.port, self.name = app, host, port, name
        self.config = {"log_level": "warning", **config}
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout_s: float = 10.0) -> int:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(self.app, **self.config))
        self._thread = run_in_thread(self._server, name=self.name, sockets=[sock], timeout_s=timeout_s)
        return self.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
