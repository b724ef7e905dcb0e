"""The simulated Retell REST API (the paths and shapes retell-sdk 6.2.13 uses, retell-protocol.md §3).

* ``POST /v2/create-phone-call`` — 201 with the registered call; the call is then played against
  the brain in the background. 429 when `concurrency_limit` calls are ongoing.
* ``POST /v3/list-calls`` — filters, ``sort_order``, ``limit`` (1–1000), ``pagination_key``,
  ``include_total``; summaries without transcripts.
* ``GET /v2/get-call/{call_id}`` — the full call; 404 for an unknown id.
* ``GET /get-concurrency`` — ``concurrency_limit`` and ``current_concurrency``.

Every route wants ``Authorization: Bearer <api key>`` (401 otherwise, compared in constant time).
Errors are ``{"status": "error", "message": ...}`` as Retell sends them.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator import requests as validate
from simulator.call_book import BusyError, CallBook
from simulator.call_objects import registered_call
from simulator.casting import call_id_for
from simulator.dialer import Dialer

MAX_BODY_BYTES = 1_000_000

Handler = Callable[[Request], Awaitable[Response]]


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"status": "error", "message": message}, status_code=status)


class SimulatedRetellApi:
    def __init__(self, *, api_key: str, agent_id: str, run_id: str, book: CallBook, dialer: Dialer) -> None:
        self._key = f"Bearer {api_key}".encode()
        self.agent_id, self.run_id, self.book, self.dialer = agent_id, run_id, book, dialer
        self._sequence = 0

    def app(self, **kwargs: Any) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/create-phone-call", self._guard(self.create_phone_call), methods=["POST"]),
                Route("/v3/list-calls", self._guard(self.list_calls), methods=["POST"]),
                Route("/v2/get-call/{call_id}", self._guard(self.get_call), methods=["GET"]),
                Route("/get-concurrency", self._guard(self.get_concurrency), methods=["GET"]),
            ],
            **kwargs,
        )

    def _guard(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            presented = request.headers.get("authorization", "").encode()
            if not hmac.compare_digest(presented, self._key):
                self.book.count("unauthorized")
                return error(401, "API key is missing or invalid.")
            try:
                return await handler(request)
            except validate.RequestError as exc:
                self.book.count("invalid_requests")
                return JSONResponse(exc.body(), status_code=exc.status)

        return guarded

    async def _json(self, request: Request) -> Any:
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise validate.RequestError("The body is too large.", status=413)
        try:
            return json.loads(raw or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise validate.RequestError("The body is not valid JSON.") from None

    async def create_phone_call(self, request: Request) -> Response:
        body = validate.create_phone_call(await self._json(request))

        def make() -> dict[str, Any]:
            self._sequence += 1
            agent_id = body.get("override_agent_id") or self.agent_id
            return registered_call(call_id_for(self.run_id, self._sequence), agent_id, body)

        try:
            call, created = self.book.admit(body, make)
        except BusyError:
            return error(429, "Concurrency limit reached, please retry later or purchase more concurrency.")
        if created:
            self.dialer.dial(call)
        return JSONResponse(call, status_code=201)

    async def list_calls(self, request: Request) -> Response:
        body = validate.list_calls(await self._json(request))
        try:
            return JSONResponse(self.book.page(body))
        except ValueError as exc:
            raise validate.RequestError(str(exc)) from None

    async def get_call(self, request: Request) -> Response:
        call = self.book.get(request.path_params["call_id"])
        if call is None:
            return error(404, "Call not found.")
        return JSONResponse(call)

    async def get_concurrency(self, request: Request) -> Response:
        limit = self.book.concurrency_limit
        return JSONResponse(
            {
                "concurrency_limit": limit,
                "current_concurrency": self.book.active,
                "base_concurrency": limit,
                "purchased_concurrency": 0,
                "concurrency_purchase_limit": 0,
                "remaining_purchase_limit": 0,
                "concurrency_burst_enabled": False,
                "concurrency_burst_limit": 0,
                "reserved_inbound_concurrency": 0,
            }
        )
