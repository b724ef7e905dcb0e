"""Running the brain under uvicorn: the server configuration and a server that drains on SIGTERM.

uvicorn's own shutdown closes every websocket at once (code 1012). :class:`DrainingServer` first
drains the brain (readiness 503, new sockets refused, live turns finish their terminal frame,
sessions close 1001, calls finished) within ``BRAIN_DRAIN_TIMEOUT_S``, and only then lets uvicorn
stop. (GC tuning is the app's own, in its lifespan: ``runtime_tuning.py``.)
The configuration pins what the transport relies on: uvloop + httptools, the websockets
sans-I/O protocol, the frame cap, no proxy-header rewriting (security.py judges X-Forwarded-For
itself), and no permessage-deflate unless asked.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn

from brain_service.runtime import BrainRuntime
from brain_service.settings import BrainSettings


def uvicorn_config(app: Any, settings: BrainSettings, **overrides: Any) -> uvicorn.Config:
    options: dict[str, Any] = dict(
        host=settings.brain_host,
        port=settings.brain_port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",
        ws_max_size=settings.ws_max_frame_bytes,
        ws_per_message_deflate=settings.ws_per_message_deflate,
        proxy_headers=False,
        server_header=False,
        lifespan="on",
        access_log=False,
        log_config=None,
        backlog=4096,
        timeout_graceful_shutdown=5,
    )
    options.update(overrides)
    return uvicorn.Config(app, **options)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, runtime: BrainRuntime) -> None:
        super().__init__(config)
        self.runtime = runtime

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self.runtime.drain()
        await super().shutdown(sockets)

    def bound_port(self) -> int:
        """The first listening port (useful with port 0)."""
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        raise RuntimeError("server is not listening")
