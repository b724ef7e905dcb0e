"""Closing a websocket with a chosen code even when the peer has stopped reading.

The ASGI ``websocket.close`` message waits until the server's transport is writable again, so a
peer that stopped reading (the very case of a write timeout) would keep the session open forever.
When the ordinary close cannot be delivered in time, and the ASGI ``send`` belongs to uvicorn's
websockets-sansio protocol (what ``python -m brain_service`` runs), the close frame is appended to
the transport directly (behind the data already buffered, so a peer that resumes reading sees the
code) and the TCP connection is aborted if it has not flushed within ``ABORT_AFTER_S``.
This is the only place that touches uvicorn internals; with another server the ASGI close is used.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger("brain.session")

ABORT_AFTER_S = 5.0


def _force_close(send: Callable[..., Any], code: int, reason: str) -> bool:
    protocol = getattr(send, "__self__", None)
    if protocol is None:
        return False
    conn = getattr(protocol, "conn", None)
    transport = getattr(protocol, "transport", None)
    queue = getattr(protocol, "queue", None)
    if conn is None or transport is None or queue is None or not hasattr(conn, "send_close"):
        return False
    try:
        if not getattr(protocol, "close_sent", False) and not transport.is_closing():
            conn.send_close(code, reason)
            transport.write(b"".join(conn.data_to_send()))
            protocol.close_sent = True
            queue.put_nowait({"type": "websocket.disconnect", "code": code, "reason": reason})
        loop = asyncio.get_running_loop()
        loop.call_later(ABORT_AFTER_S, transport.abort)
        transport.close()
    except Exception:  # the connection is already gone
        logger.debug("force close failed", exc_info=True)
    return True


async def close_socket(
    send: Callable[..., Any], code: int, reason: str, timeout: float, *, blocked: bool = False
) -> None:
    """Send a close frame with ``code``; never waits longer than ``timeout`` on a stuck peer."""
    if blocked and _force_close(send, code, reason):
        return
    try:
        async with asyncio.timeout(max(timeout, 0.05)):
            await send({"type": "websocket.close", "code": code, "reason": reason})
        return
    except TimeoutError:
        pass
    except Exception:  # already disconnected
        return
    _force_close(send, code, reason)
