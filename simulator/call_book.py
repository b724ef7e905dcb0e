"""The simulator's calls: admission under the concurrency limit, state, v3 list-calls paging, waits.

Thread-safe: the server's event loop writes, test and demo threads read and wait. Every stored
call is replaced, never mutated, so a reader always sees one consistent version. A call is
*active* from create until it ends (it holds a concurrency slot) and *finished* once its last
webhook was attempted — `wait_for(n)` and `wait_idle()` wait on finished calls and on events, never
on sleeps.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from simulator.call_objects import list_item


class BusyError(Exception):
    """The concurrency limit is reached."""


def _key(sort_ms: int, call_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([sort_ms, call_id]).encode()).decode()


def _unkey(key: str) -> tuple[int, str] | None:
    try:
        sort_ms, call_id = json.loads(base64.urlsafe_b64decode(key.encode()))
        return int(sort_ms), str(call_id)
    except (ValueError, TypeError, binascii.Error):
        return None


def _number_ok(value: Any, flt: dict[str, Any]) -> bool:
    if value is None:
        return False
    op, v = flt["op"], flt["value"]
    if op == "bt":
        return bool(v[0] <= value <= v[1])
    return bool(
        {"eq": value == v, "ne": value != v, "gt": value > v, "ge": value >= v, "lt": value < v, "le": value <= v}[op]
    )


def _string_ok(value: Any, flt: dict[str, Any]) -> bool:
    op, v = flt.get("op"), flt.get("value")
    if op == "pr":
        return value is not None
    if op == "np":
        return value is None
    if op == "in":
        return isinstance(v, list) and value in v
    if op == "nin":
        return isinstance(v, list) and value not in v
    if value is None:
        return op == "ne"
    s = str(value)
    return {
        "eq": s == v,
        "ne": s != v,
        "sw": s.startswith(str(v)),
        "ew": s.endswith(str(v)),
        "co": str(v) in s,
    }.get(str(op), False)


def matches(call: dict[str, Any], criteria: dict[str, Any]) -> bool:
    for name in ("start_timestamp", "end_timestamp", "duration_ms"):
        if name in criteria and not _number_ok(call.get(name), criteria[name]):
            return False
    for name in (
        "call_status",
        "call_type",
        "direction",
        "disconnection_reason",
        "from_number",
        "to_number",
        "call_id",
    ):
        if name in criteria and not _string_ok(call.get(name), criteria[name]):
            return False
    if "agent" in criteria and call.get("agent_id") not in {a["agent_id"] for a in criteria["agent"]}:
        return False
    metadata = call.get("metadata") if isinstance(call.get("metadata"), dict) else {}
    for cond in criteria.get("metadata") or ():
        flt = cond.get("filter") if isinstance(cond.get("filter"), dict) else cond
        if not _string_ok(metadata.get(cond["key"]), flt):
            return False
    return True


class CallBook:
    def __init__(self, concurrency_limit: int) -> None:
        self.concurrency_limit = concurrency_limit
        self._cond = threading.Condition()
        self._calls: dict[str, dict[str, Any]] = {}
        self._sort_ms: dict[str, int] = {}
        self._active: set[str] = set()
        self._finished: list[str] = []
        self._idempotency: dict[str, str] = {}
        self.counters: Counter[str] = Counter()

    # ---- writes (server loop) ---------------------------------------------------------------
    def admit(self, request: dict[str, Any], make: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
        """Store a new call (or return the one an idempotency key already made); BusyError at the limit."""
        with self._cond:
            key = request.get("idempotency_key")
            if key and key in self._idempotency:
                self.counters["idempotent_replays"] += 1
                return self._calls[self._idempotency[key]], False
            if len(self._active) >= self.concurrency_limit:
                self.counters["rejected_concurrency"] += 1
                raise BusyError
            call = make()
            self._calls[call["call_id"]] = call
            self._sort_ms[call["call_id"]] = int(time.time() * 1000)
            self._active.add(call["call_id"])
            self.counters["peak_active"] = max(self.counters["peak_active"], len(self._active))
            if key:
                self._idempotency[key] = call["call_id"]
            self.counters["created"] += 1
            self._cond.notify_all()
            return call, True

    def put(self, call: dict[str, Any]) -> None:
        with self._cond:
            self._calls[call["call_id"]] = call
            if isinstance(call.get("start_timestamp"), int):
                self._sort_ms[call["call_id"]] = call["start_timestamp"]
            self._cond.notify_all()

    def release(self, call_id: str) -> None:
        with self._cond:
            self._active.discard(call_id)
            self._cond.notify_all()

    def finish(self, call_id: str) -> None:
        with self._cond:
            self._active.discard(call_id)
            self._finished.append(call_id)
            self._cond.notify_all()

    def count(self, name: str, amount: int = 1) -> None:
        with self._cond:
            self.counters[name] += amount

    # ---- reads ---------------------------------------------------------------------------------
    @property
    def active(self) -> int:
        with self._cond:
            return len(self._active)

    def get(self, call_id: str) -> dict[str, Any] | None:
        with self._cond:
            return self._calls.get(call_id)

    def all(self) -> list[dict[str, Any]]:
        with self._cond:
            return list(self._calls.values())

    def finished_calls(self) -> list[dict[str, Any]]:
        with self._cond:
            return [self._calls[c] for c in self._finished]

    def page(self, body: dict[str, Any]) -> dict[str, Any]:
        criteria, limit = body["filter_criteria"], body["limit"]
        ascending = body.get("sort_order") == "ascending"
        with self._cond:
            rows = sorted(
                ((self._sort_ms[cid], cid) for cid, c in self._calls.items() if matches(c, criteria)),
                reverse=not ascending,
            )
            start = 0
            if body.get("pagination_key"):
                marker = _unkey(body["pagination_key"])
                if marker is None:
                    raise ValueError("`pagination_key` is not one this server issued.")
                start = next((i for i, r in enumerate(rows) if (r > marker if ascending else r < marker)), len(rows))
            page = rows[start : start + limit]
            has_more = start + limit < len(rows)
            out: dict[str, Any] = {
                "items": [list_item(self._calls[cid]) for _, cid in page],
                "has_more": has_more,
                "pagination_key": _key(*page[-1]) if has_more and page else None,
            }
            if body.get("include_total"):
                out["total"] = len(rows)
            return out

    # ---- waits ---------------------------------------------------------------------------------
    def wait_for(self, n: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._finished) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self._finished)} of {n} calls finished within {timeout}s")
                self._cond.wait(left)
            return [self._calls[c] for c in self._finished]

    def wait_idle(self, timeout: float) -> None:
        """Until every created call has finished (ended and its webhooks attempted)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._finished) < self.counters["created"]:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"{self.counters['created'] - len(self._finished)} calls unfinished after {timeout}s"
                    )
                self._cond.wait(left)
