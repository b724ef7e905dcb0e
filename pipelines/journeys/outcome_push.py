"""The optional n8n outcome push: journey rows POSTed to N8N_OUTCOME_WEBHOOK_URL, each outcome once.

Rows come from `sql/marts/journey_outcome_deliveries/pending.sql` (journeys not in the delivered ledger, or
delivered with another outcome — a callback that later yielded an email is sent again, with
`previous_outcome` set),
go out in batches (`{source, batch_id, count, records}`; the batch id is also sent as the
`Idempotency-Key` header) and are written to the ledger only after n8n answers 2xx — so a crash or
a failing webhook loses nothing and a rerun never sends a delivered row again. 429, 5xx and
connection errors are retried with exponential backoff; other answers fail at once.

A `dnc` row never carries the captured email and is marked `follow_up_allowed: false`, so no
workflow can follow up with a person who asked not to be contacted. The webhook URL may hold a
token: it is never logged or put in an error message.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from pipelines.platform.sql import read_sql

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class OutcomePushError(RuntimeError):
    """A batch could not be delivered; nothing of it was recorded as delivered."""


@dataclass(frozen=True, slots=True)
class PushConfig:
    url: str
    batch_size: int = 200
    max_attempts: int = 4
    backoff_seconds: float = 1.0
    timeout_seconds: float = 15.0

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError("n8n outcome batch size must be at least 1")
        if self.max_attempts < 1:
            raise ValueError("n8n outcome max attempts must be at least 1")
        if not self.url.startswith(("http://", "https://")):
            raise ValueError("N8N_OUTCOME_WEBHOOK_URL must be an http(s) URL")


@dataclass(frozen=True, slots=True)
class PushReport:
    delivered: int
    batches: int
    pending_before: int


def batch_id(call_ids: Sequence[str], outcomes: Sequence[str]) -> str:
    """A stable id for a batch: the same rows with the same outcomes give the same id (n8n can
    deduplicate on it); a re-sent row with a changed outcome gives a new one."""
    parts = [f"{c}:{o}" for c, o in zip(call_ids, outcomes, strict=True)]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"journeys-{digest[:20]}"


def _record(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    record = dict(zip(columns, row, strict=True))
    if not record.get("follow_up_allowed", False):
        record["captured_email"] = None
        record["captured_email_is_generic"] = None
    if record.get("objections") is not None:
        record["objections"] = list(record["objections"])
    return record


def post_batch(
    client: httpx.Client, config: PushConfig, payload: dict[str, Any], sleep: Callable[[float], None] = time.sleep
) -> None:
    """POST one batch, retrying 429/5xx/connection errors; raise OutcomePushError when it fails."""
    delay = config.backoff_seconds
    last = "no attempt"
    for attempt in range(1, config.max_attempts + 1):
        try:
            response = client.post(
                config.url,
                json=payload,
                timeout=config.timeout_seconds,
                headers={"Idempotency-Key": payload["batch_id"]},
            )
        except httpx.HTTPError as exc:  # connection refused, timeout, ...
            last = f"{type(exc).__name__}"
        else:
            if 200 <= response.status_code < 300:
                return
            last = f"HTTP {response.status_code}"
            if response.status_code not in RETRYABLE_STATUS:
                raise OutcomePushError(f"n8n outcome webhook refused batch {payload['batch_id']}: {last}")
        if attempt < config.max_attempts:
            sleep(delay)
            delay *= 2
    raise OutcomePushError(
        f"n8n outcome webhook failed for batch {payload['batch_id']} after {config.max_attempts} attempts: {last}"
    )


def push_pending(
    conn: Any, config: PushConfig, client: httpx.Client | None = None, sleep: Callable[[float], None] = time.sleep
) -> PushReport:
    """Deliver every undelivered journey row; record each delivered batch in the ledger."""
    conn.execute(read_sql("marts/journey_outcome_deliveries.sql"))
    cursor = conn.execute(read_sql("marts/journey_outcome_deliveries/pending.sql"))
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    own_client = client is None
    client = client or httpx.Client()
    delivered = batches = 0
    try:
        for start in range(0, len(rows), config.batch_size):
            records = [_record(columns, row) for row in rows[start : start + config.batch_size]]
            call_ids = [r["call_id"] for r in records]
            outcomes = [r["outcome"] for r in records]
            bid = batch_id(call_ids, outcomes)
            payload = {"source": "eve.journeys", "batch_id": bid, "count": len(records), "records": records}
            post_batch(client, config, payload, sleep=sleep)
            conn.execute(
                read_sql("marts/journey_outcome_deliveries/insert.sql"),
                {
                    "call_ids": call_ids,
                    "outcomes": outcomes,
                    "batch_id": bid,
                    "delivered_at": datetime.now(UTC).replace(tzinfo=None),
                },
            )
            delivered += len(records)
            batches += 1
    finally:
        if own_client:
            client.close()
    return PushReport(delivered=delivered, batches=batches, pending_before=len(rows))
