"""A fake Retell REST API: a real HTTP server on a loopback port that `retell-sdk` talks to.

Implements what the call sync uses (`retell-protocol.md` §3.3, §3.4):

* ``POST /v3/list-calls`` — `filter_criteria.start_timestamp` (number ge/gt/le/lt or range bt),
  `sort_order` (ascending | descending, default descending), `limit` (default 50, max 1000) and an
  opaque `pagination_key`; answers ``{"items", "has_more", "pagination_key"}`` with list *summaries*
  (no transcripts).
* ``GET /v2/get-call/{call_id}`` — the full call object, 404 for an unknown id.
* ``POST /v2/create-phone-call`` — records a `registered` call carrying the request's metadata and
  dynamic variables (`created` keeps every request); an `idempotency_key` seen before returns the
  same call; `concurrency_limit` answers 429 while that many calls are registered/ongoing.
  `create_received` is set when a request arrives; `hold_before_record` / `hold_after_record`
  (threading events) park the handler before/after the call exists, so a test can kill the client
  at either point (`discard_held` drops a request parked before: it never reached Retell). list-calls also filters by `metadata` keys (string eq) and `call_status`.
* ``Authorization: Bearer <api_key>`` is required (401 otherwise).

Faults for tests: `fail_next("get"|"list", [429, 500, ...])` answers the next requests with those
statuses (429 carries ``retry-after-ms``), `fail_every` fails every n-th get-call, `fail_after`
answers 500 to every get-call after n successes (a hard outage), `list_delay_s` slows every page.
The call set is a plain dict (`calls`) that tests mutate (new calls, analysis arriving later).
Counters (`get_counts`, `list_requests`) let tests check what the client really fetched.

Usage: ``with FakeRetell(calls) as fake: Retell(api_key=fake.api_key, base_url=fake.base_url)``.
Run ``python tests/fakes/fake_retell.py --calls 10000`` to serve a synthetic set standalone
(prints the base URL), used by ``bench/sync.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import bisect
import collections
import json
import threading
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.loopback import LoopbackServer
from tests.fakes.retell_call_factory import list_item, make_call


def _encode_key(start_ms: int, call_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([start_ms, call_id]).encode()).decode()


def _decode_key(key: str) -> tuple[int, str]:
    start_ms, call_id = json.loads(base64.urlsafe_b64decode(key.encode()))
    return int(start_ms), str(call_id)


def _passes(value: int | None, flt: dict[str, Any] | None) -> bool:
    if not flt:
        return True
    if value is None:
        return False
    op, v = flt.get("op"), flt.get("value")
    if op == "in":
        return value in v
    if op == "bt":
        lo, hi = v
        return lo <= value <= hi
    return {"eq": value == v, "ne": value != v, "gt": value > v, "ge": value >= v, "lt": value < v, "le": value <= v}[
        op
    ]


class FakeRetell:
    """The fake server. Thread-safe enough for tests: the event loop runs in one thread."""

    def __init__(
        self,
        calls: dict[str, dict[str, Any]] | None = None,
        *,
        api_key: str = "key_test_fake",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.calls: dict[str, dict[str, Any]] = dict(calls or {})
        self.api_key = api_key
        self.host, self.port = host, port
        self.get_counts: collections.Counter[str] = collections.Counter()
        self.list_requests: list[dict[str, Any]] = []
        self.list_attempts = 0  # every list-calls POST, refused ones included
        self.faults: dict[str, collections.deque[int]] = {"get": collections.deque(), "list": collections.deque()}
        self.fail_every: int = 0
        self.fail_after: int | None = None
        self.list_delay_s: float = 0.0
        self.get_delay_s: float = 0.0
        self.errors_sent: collections.Counter[int] = collections.Counter()
        self.created: list[dict[str, Any]] = []
        self.concurrency_limit: int | None = None
        self.create_received = threading.Event()
        self.hold_before_record: threading.Event | None = None
        self.hold_after_record: threading.Event | None = None
        self.discard_held = False  # a held request released with this set never reached "Retell"
        self.create_recorded = threading.Event()
        self._idempotent: dict[str, str] = {}
        self.faults["create"] = collections.deque()
        self._get_seen = 0
        self._bodies: dict[str, tuple[dict[str, Any], bytes]] = {}  # encoded get-call bodies
        self._get_ok = 0
        self._server: LoopbackServer | None = None
        self.app = Starlette(
            routes=[
                Route("/v3/list-calls", self._list_calls, methods=["POST"]),
                Route("/v2/get-call/{call_id}", self._get_call, methods=["GET"]),
                Route("/v2/create-phone-call", self._create_phone_call, methods=["POST"]),
            ]
        )

    # ---- fault injection -------------------------------------------------------------------
    def fail_next(self, kind: str, statuses: list[int]) -> None:
        self.faults[kind].extend(statuses)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def total_get_requests(self) -> int:
        return self._get_seen

    # ---- handlers --------------------------------------------------------------------------
    def _auth_error(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return JSONResponse({"error_message": "Unauthorized"}, status_code=401)
        return None

    def _fault(self, status: int) -> Response:
        self.errors_sent[status] += 1
        headers = {"retry-after-ms": "5"} if status == 429 else {}
        return JSONResponse({"error_message": f"injected {status}"}, status_code=status, headers=headers)

    async def _list_calls(self, request: Request) -> Response:
        self.list_attempts += 1
        if (denied := self._auth_error(request)) is not None:
            return denied
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return JSONResponse({"error_message": "bad json"}, status_code=400)
        self.list_requests.append(body)
        if self.list_delay_s:
            await asyncio.sleep(self.list_delay_s)
        if self.faults["list"]:
            return self._fault(self.faults["list"].popleft())
        criteria = body.get("filter_criteria") or {}
        ts_filter = criteria.get("start_timestamp")
        limit = max(1, min(int(body.get("limit") or 50), 1000))
        ascending = body.get("sort_order") == "ascending"
        meta_filters = criteria.get("metadata") or []
        status_filter = criteria.get("call_status")

        def wanted(c: dict[str, Any]) -> bool:
            meta = c.get("metadata") or {}
            return (
                _passes(c.get("start_timestamp"), ts_filter)
                and all(_passes(meta.get(f.get("key")), f) for f in meta_filters)
                and (not status_filter or _passes(c.get("call_status"), status_filter))
            )

        rows = sorted(
            ((c.get("start_timestamp") or 0, cid) for cid, c in self.calls.items() if wanted(c)),
            reverse=not ascending,
        )
        start = 0
        if body.get("pagination_key"):
            marker = _decode_key(body["pagination_key"])
            if ascending:
                start = bisect.bisect_right(rows, marker)
            else:
                start = next((i for i, r in enumerate(rows) if r < marker), len(rows))
        page = rows[start : start + limit]
        has_more = start + limit < len(rows)
        return JSONResponse(
            {
                "items": [list_item(self.calls[cid]) for _, cid in page],
                "has_more": has_more,
                "pagination_key": _encode_key(*page[-1]) if has_more and page else None,
            }
        )

    async def _get_call(self, request: Request) -> Response:
        if (denied := self._auth_error(request)) is not None:
            return denied
        call_id = request.path_params["call_id"]
        self._get_seen += 1
        if self.get_delay_s:
            await asyncio.sleep(self.get_delay_s)
        if self.faults["get"]:
            return self._fault(self.faults["get"].popleft())
        if self.fail_every and self._get_seen % self.fail_every == 0:
            return self._fault(500 if self._get_seen % (2 * self.fail_every) else 429)
        if self.fail_after is not None and self._get_ok >= self.fail_after:
            return self._fault(500)
        call = self.calls.get(call_id)
        if call is None:
            return JSONResponse({"error_message": "Call not found"}, status_code=404)
        self._get_ok += 1
        self.get_counts[call_id] += 1
        cached = self._bodies.get(call_id)
        if cached is None or cached[0] is not call:  # tests replace call objects; re-encode then
            cached = self._bodies[call_id] = (call, json.dumps(call).encode())
        return Response(cached[1], media_type="application/json")

    def live_calls(self) -> int:
        return sum(1 for c in self.calls.values() if c.get("call_status") in ("registered", "ongoing"))

    async def _create_phone_call(self, request: Request) -> Response:
        if (denied := self._auth_error(request)) is not None:
            return denied
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            return JSONResponse({"error_message": "bad json"}, status_code=400)
        self.create_received.set()
        if self.faults["create"]:
            return self._fault(self.faults["create"].popleft())
        if not body.get("from_number") or not body.get("to_number"):
            return JSONResponse({"error_message": "from_number and to_number are required"}, status_code=400)
        key = body.get("idempotency_key")
        if key and key in self._idempotent:
            return JSONResponse(self.calls[self._idempotent[key]], status_code=201)
        if self.concurrency_limit is not None and self.live_calls() >= self.concurrency_limit:
            return self._fault(429)
        if self.hold_before_record is not None:
            await asyncio.to_thread(self.hold_before_record.wait)
            if self.discard_held:
                return JSONResponse({"error_message": "client went away"}, status_code=499)
        call_id = f"call_{len(self.created):06d}_{abs(hash(json.dumps(body, sort_keys=True))) % 10**8:08d}"
        call = {
            "call_id": call_id,
            "call_type": "phone_call",
            "call_status": "registered",
            "direction": "outbound",
            "agent_id": body.get("override_agent_id") or "agent_default",
            "agent_version": 1,
            "from_number": body["from_number"],
            "to_number": body["to_number"],
            "start_timestamp": int(time.time() * 1000),
            "metadata": body.get("metadata") or {},
            "retell_llm_dynamic_variables": body.get("retell_llm_dynamic_variables") or {},
        }
        self.calls[call_id] = call
        self.created.append(body)
        if key:
            self._idempotent[key] = call_id
        self.create_recorded.set()
        if self.hold_after_record is not None:
            await asyncio.to_thread(self.hold_after_record.wait)
        return JSONResponse(call, status_code=201)

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self, timeout_s: float = 10.0) -> FakeRetell:
        self._server = LoopbackServer(
            self.app, host=self.host, port=self.port, name="fake-retell", access_log=False, lifespan="off"
        )
        self.port = self._server.start(timeout_s)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    def __enter__(self) -> FakeRetell:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def synthetic_call_set(n: int, *, pending_every: int = 0) -> dict[str, dict[str, Any]]:
    """n calls from `retell_call_factory`; every `pending_every`-th one still awaits its analysis."""
    return {
        c["call_id"]: c
        for c in (make_call(i, analysis_pending=bool(pending_every) and i % pending_every == 0) for i in range(n))
    }


def main() -> None:  # standalone server for bench/sync.py
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fail-every", type=int, default=0)
    args = parser.parse_args()
    fake = FakeRetell(synthetic_call_set(args.calls), port=args.port)
    fake.fail_every = args.fail_every
    fake.start()
    print(fake.base_url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
