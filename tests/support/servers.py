"""Start a uvicorn server on a loopback port in a background thread and wait until it listens."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import uvicorn


def run_in_thread(
    server: uvicorn.Server, *, name: str, sockets: list[socket.socket] | None = None, timeout_s: float = 20.0
) -> threading.Thread:
    """Run ``server`` in a daemon thread; returns once it listens (RuntimeError at the deadline)."""
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not server.started:  # polled against a deadline: uvicorn exposes no start event
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return thread


async def serve_until_started(server: uvicorn.Server, timeout_s: float = 30.0) -> asyncio.Task[None]:
    """Serve ``server`` on the running loop; returns the serving task once it listens."""
    serving = asyncio.get_running_loop().create_task(server.serve())
    deadline = time.monotonic() + timeout_s
    while not server.started:  # polled against a deadline: uvicorn exposes no start event
        if serving.done() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        await asyncio.sleep(0.01)
    return serving


def stop(server: uvicorn.Server, thread: threading.Thread, timeout_s: float = 15.0) -> None:
    server.should_exit = True
    thread.join(timeout=timeout_s)
