"""The Retell websocket endpoint: path matching, handshake gates, accept, then the session.

It is a pure ASGI middleware in front of the FastAPI app, so the session talks to the server's own
``receive``/``send`` (no per-frame wrappers) and can refuse a handshake with a real HTTP status
before accepting: 403 for the security gates, 503 when at capacity or draining, 400 for a call id
that is not a safe file name. Paths served (a trailing slash is ignored)::

    /llm-websocket/{call_id}            /ws/{call_id}
    /llm-websocket/{token}/{call_id}    /ws/{token}/{call_id}   (secret path-segment form)

Anything else goes on to the FastAPI app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brain_service import security
from brain_service.logs import HANDSHAKE_REFUSED, get_logger, log_event
from brain_service.transport.session import Session

if TYPE_CHECKING:
    from brain_service.runtime import BrainRuntime

logger = get_logger("handshake")

ROUTE_PREFIXES = ("llm-websocket", "ws")
_STATUS = {security.REJECT_TOKEN: 403, security.REJECT_ALLOWLIST: 403, security.REJECT_CALL_ID: 400}


def match_route(path: str) -> tuple[str | None, str] | None:
    """``(path_secret, call_id)`` for a Retell socket path, else None."""
    parts = path.strip("/").split("/")
    if parts[0] not in ROUTE_PREFIXES or not 2 <= len(parts) <= 3 or not all(parts[1:]):
        return None
    if len(parts) == 2:
        return None, parts[1]
    return parts[1], parts[2]


class RetellSocketEndpoint:
    """ASGI middleware serving the Retell websocket paths; everything else passes through."""

    def __init__(self, app: Callable[..., Any], runtime: BrainRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        route = match_route(scope["path"])
        if route is None:
            await self.app(scope, receive, send)
            return
        path_secret, call_id = route
        runtime = self.runtime
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        headers = scope.get("headers") or []
        forwarded = [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]
        client = scope.get("client")
        peer = client[0] if client else None
        reason = runtime.gate.check(
            peer=peer,
            forwarded_for=forwarded,
            query_string=scope.get("query_string", b""),
            path_secret=path_secret,
            call_id=call_id,
        )
        status = _STATUS.get(reason or "", 403)
        if reason is None:
            reason = runtime.registry.admission(call_id)
            status = 503
        if reason is not None:
            HANDSHAKE_REFUSED.set(True)  # the server's own lines about this connection are dropped
            runtime.metrics.handshake_rejections.labels(reason).inc()
            log_event(logger, logging.WARNING, "handshake_rejected", reason=reason, status=status, peer=peer)
            await _deny(scope, send, status, reason)
            return
        registry = runtime.registry
        try:  # admit → build the session with its call → bind, in one step
            call, resumed = registry.open_call(call_id)
            session = Session(
                call=call,
                settings=runtime.settings,
                metrics=runtime.metrics,
                receive=receive,
                send=send,
                path="/" + scope["path"].strip("/").split("/")[0],
                on_end=registry.session_ended,
                observer=runtime.observer,
            )
            registry.bind(session, resumed)
        except Exception:
            logger.exception("could not start call %s", call_id)
            HANDSHAKE_REFUSED.set(True)
            runtime.metrics.handshake_rejections.labels("internal_error").inc()
            await _deny(scope, send, 500, "internal_error")
            return
        try:
            await send({"type": "websocket.accept"})
        except Exception:
            registry.session_ended(session, "client_gone")
            return
        await session.run(resumed)


async def _deny(scope: dict[str, Any], send: Callable[..., Any], status: int, reason: str) -> None:
    """Refuse before accept: an HTTP response when the server supports it, else a plain close (403)."""
    try:
        if "websocket.http.response" in (scope.get("extensions") or {}):
            body = reason.encode()
            await send(
                {
                    "type": "websocket.http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": 1008})
    except Exception:  # the client already left
        pass
