"""Retell requests through `retell-sdk` (`AsyncRetell`), with retries on top of the SDK's own.

The SDK already retries 408/409/429/≥500 and connection errors `sdk_max_retries` times, honouring
`retry-after(-ms)`. On top, each request gets `retry_attempts` attempts with exponential backoff
(+ jitter, capped at 30 s), so a longer outage or a burst of 429s slows the sync down instead of
failing it. Responses are taken raw (`with_raw_response`), so the call JSON is kept exactly as
Retell sent it (the SDK's models would drop nothing, but parsing 1000-item pages is wasted work).
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from retell import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncRetell,
    DefaultAsyncHttpxClient,
)

from pipelines.retell.config import SyncConfig

T = TypeVar("T")
_RETRYABLE_STATUS = {408, 409, 429}
_MAX_BACKOFF_S = 30.0


class RetellSyncError(RuntimeError):
    """A Retell request failed for good (non-retryable status or retries exhausted)."""


def make_client(config: SyncConfig, *, connections: int | None = None) -> AsyncRetell:
    size = connections or config.concurrency
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    return AsyncRetell(
        api_key=config.api_key,
        base_url=config.base_url,
        max_retries=config.sdk_max_retries,
        timeout=httpx.Timeout(config.timeout_s, connect=min(5.0, config.timeout_s)),
        http_client=DefaultAsyncHttpxClient(limits=limits),
    )


def is_retryable(exc: BaseException) -> bool:
    if isinstance(exc, (APIConnectionError, APITimeoutError)):
        return True
    if isinstance(exc, APIStatusError):
        return exc.status_code in _RETRYABLE_STATUS or exc.status_code >= 500
    return False


async def with_retries(config: SyncConfig, what: str, request: Callable[[], Awaitable[T]]) -> T:
    """Run `request` with our retry policy; raise `RetellSyncError` when it fails for good."""
    delay = config.backoff_s
    for attempt in range(1, config.retry_attempts + 1):
        try:
            return await request()
        except Exception as exc:  # noqa: BLE001 - classified below
            if not is_retryable(exc):
                raise RetellSyncError(f"{what}: {_describe(exc)}") from exc
            if attempt == config.retry_attempts:
                raise RetellSyncError(f"{what}: gave up after {attempt} attempts: {_describe(exc)}") from exc
            await asyncio.sleep(min(_MAX_BACKOFF_S, delay) * (0.5 + random.random()))
            delay *= 2
    raise AssertionError("unreachable")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, APIStatusError):
        return f"HTTP {exc.status_code}"
    return type(exc).__name__


async def list_page(
    client: AsyncRetell, config: SyncConfig, *, lower_ms: int, pagination_key: str | None
) -> dict[str, Any]:
    """One v3 list-calls page, ascending by start time, `start_timestamp >= lower_ms`."""
    kwargs: dict[str, Any] = {
        "filter_criteria": {"start_timestamp": {"type": "number", "op": "ge", "value": lower_ms}},
        "sort_order": "ascending",
        "limit": config.page_size,
    }
    if pagination_key:
        kwargs["pagination_key"] = pagination_key

    async def request() -> dict[str, Any]:
        raw = await client.call.with_raw_response.list(**kwargs)
        return json.loads(await raw.read())

    page = await with_retries(config, "list-calls", request)
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise RetellSyncError("list-calls: unexpected response shape (no `items` list)")
    return page


async def get_call(client: AsyncRetell, config: SyncConfig, call_id: str) -> tuple[dict[str, Any], bytes] | None:
    """The full call object and its body as received, or None when Retell no longer has it (404)."""

    async def request() -> tuple[dict[str, Any], bytes] | None:
        try:
            raw = await client.call.with_raw_response.retrieve(call_id)
        except APIStatusError as exc:
            if exc.status_code == 404:
                return None
            raise
        body = await raw.read()
        return json.loads(body), body

    fetched = await with_retries(config, f"get-call {call_id}", request)
    if fetched is not None and (not isinstance(fetched[0], dict) or fetched[0].get("call_id") != call_id):
        raise RetellSyncError(f"get-call {call_id}: response is not that call")
    return fetched
