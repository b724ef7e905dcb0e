"""Running the brain under uvicorn: the server configuration and a server that drains on SIGTERM.

uvicorn's own shutdown closes every websocket at once (code 1012). :class:`DrainingServer` first
drains the brain (readiness 503, new sockets refused, live turns finish their terminal frame,
sessions close 1001, calls finished) within ``BRAIN_DRAIN_TIMEOUT_S``, and only then lets uvicorn
stop. In the service process it also freezes the import-time heap out of the garbage collector.
The configuration pins what the transport relies on: uvloop + httptools, the websockets
sans-I/O protocol, the frame cap, no proxy-header rewriting (security.py judges X-Forwarded-For
itself), and no permessage-deflate unless asked.
"""

from __future__ import annotations

import gc
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
    def __init__(self, config: uvicorn.Config, runtime: BrainRuntime, *, freeze_gc: bool = False) -> None:
        super().__init__(config)
        self.runtime = runtime
        self.freeze_gc = freeze_gc

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.freeze_gc:
            # Everything imported and warmed so far (FastAPI, pydantic, google-genai and the
            # validators its warm-up built in the lifespan: ~350k objects) lives for the whole
            # process; freezing it keeps every later full GC pass from rescanning it (measured: a
            # gen-2 pass over it paused the loop for ~0.6-0.9 s under load).
            gc.collect()
            gc.freeze()
            # Middle passes scan everything still alive that survived a young pass: with model turns
            # in flight that is ~10k objects, a ~5 ms pause, and at CPython's default (every 10 young
            # passes) one came every ~0.8 s at 300 calls, inside ~1 % of first tokens. Every 100
            # young passes (~8 s) instead: A/B at 300 calls, p99 overhead 9.1-13.2 -> 5.9-9.0 ms.
            # Full passes scan every long-lived object (≈200 per live call, more as conversations
            # grow); at 1000 calls each stalled the loop 0.27-0.48 s, so they are 10x rarer too.
            # Objects that die young are freed by reference counting and never wait for a pass.
            settings = self.runtime.settings
            gc.set_threshold(
                gc.get_threshold()[0],
                settings.brain_gc_middle_collection_every,
                settings.brain_gc_full_collection_every,
            )

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self.runtime.drain()
        await super().shutdown(sockets)

    def bound_port(self) -> int:
        """The first listening port (useful with port 0)."""
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                return int(sock.getsockname()[1])
        raise RuntimeError("server is not listening")
