"""Signed Retell webhooks: ``{"event", "call"}`` POSTed with ``x-retell-signature``.

Signature (retell-protocol.md §2.2): ``v=<unix ms>,d=<lowercase hex HMAC-SHA256(api_key, body + v)>``
over the exact bytes sent. The timestamp is the real wall clock (receivers reject anything older
than five minutes), never the simulated campaign clock. Delivery follows Retell's rules: a timeout
per attempt, non-2xx or a connection error retried (1 + 3 attempts by default), events of one call
sent in order. Every outcome is counted so a test or a benchmark can see what was lost.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-retell-signature"


def sign(body: str, api_key: str, now_ms: int | None = None) -> str:
    stamp = str(int(time.time() * 1000) if now_ms is None else now_ms)
    digest = hmac.new(api_key.encode(), (body + stamp).encode(), hashlib.sha256).hexdigest()
    return f"v={stamp},d={digest}"


def event_body(event: str, call: dict[str, Any]) -> str:
    return json.dumps({"event": event, "call": call}, ensure_ascii=False, separators=(",", ":"))


@dataclass
class WebhookCounters:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


class WebhookSender:
    def __init__(self, url: str, api_key: str, *, timeout_s: float, attempts: int) -> None:
        self.url = url
        self._key = api_key
        self.attempts = attempts
        self.counters = WebhookCounters()
        self._client = httpx.AsyncClient(timeout=timeout_s) if url else None

    async def send(self, event: str, call: dict[str, Any]) -> bool:
        """Deliver one event; True when the receiver answered 2xx."""
        if self._client is None:
            return True
        body = event_body(event, call)
        for attempt in range(self.attempts):
            if attempt:
                self.counters.retried += 1
                await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
            headers = {"content-type": "application/json", SIGNATURE_HEADER: sign(body, self._key)}
            try:
                response = await self._client.post(self.url, content=body.encode(), headers=headers)
            except httpx.HTTPError as exc:
                log.debug("webhook %s for %s: %s", event, call.get("call_id"), exc)
                continue
            self.counters.statuses[response.status_code] = self.counters.statuses.get(response.status_code, 0) + 1
            if 200 <= response.status_code < 300:
                self.counters.delivered += 1
                return True
        self.counters.failed += 1
        log.warning("webhook %s for %s not delivered after %d attempts", event, call.get("call_id"), self.attempts)
        return False

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
