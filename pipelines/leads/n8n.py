"""Deliver the call queue to n8n (`N8N_LEAD_WEBHOOK_URL`) in batches, exactly once per lead.

Body of each POST: `{"batch_size": N, "batch_id": "...", "leads": [...]}` (N = configured size;
the original's shape plus a batch id), with an `Idempotency-Key` header equal to the batch id.
Transport errors, 429 and 5xx are retried with exponential backoff; other 4xx fail at once. Every
delivered batch is written to `marts.n8n_lead_deliveries` immediately, and leads already in that
ledger are never sent again, so a rerun (or a rerun after a failure) sends only what is missing.
Synthetic leads are never pushed. The webhook URL is never logged.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from pipelines.platform.sql import read_sql, run_sql_file

RETRYABLE_STATUS = {408, 425, 429, 500, 502, 503, 504}


class DeliveryError(RuntimeError):
    """A batch could not be delivered after all attempts (earlier batches stay delivered)."""


@dataclass
class PushReport:
    pending: int = 0
    delivered_batches: int = 0
    delivered_leads: int = 0
    attempts: int = 0
    batch_ids: list[str] = field(default_factory=list)


def batch_id_for(lead_ids: list[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(lead_ids)).encode()).hexdigest()
    return f"b_{digest[:16]}"


def _post_with_retries(
    client: httpx.Client,
    url: str,
    body: dict,
    batch_id: str,
    *,
    max_attempts: int,
    backoff_seconds: float,
    sleep: Callable[[float], None],
) -> tuple[int, int]:
    last_problem = "no attempt made"
    for attempt in range(1, max(1, max_attempts) + 1):
        try:
            response = client.post(url, json=body, headers={"Idempotency-Key": batch_id})
        except httpx.HTTPError as exc:
            last_problem = f"transport error {type(exc).__name__}"
        else:
            if response.status_code // 100 == 2:
                return response.status_code, attempt
            last_problem = f"HTTP status {response.status_code}"
            if response.status_code not in RETRYABLE_STATUS:
                raise DeliveryError(f"n8n rejected batch {batch_id}: {last_problem} (not retryable)")
        if attempt < max_attempts:
            sleep(backoff_seconds * (2 ** (attempt - 1)))
    raise DeliveryError(f"n8n batch {batch_id} failed after {max_attempts} attempts: {last_problem}")


def push_call_queue(
    conn: Any,
    url: str,
    *,
    batch_size: int = 25,
    max_attempts: int = 4,
    backoff_seconds: float = 1.0,
    timeout: float = 20.0,
    sleep: Callable[[float], None] = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> PushReport:
    """Send every undelivered, non-synthetic call-queue lead; record each delivered batch."""
    batch_size = batch_size if batch_size > 0 else 25
    run_sql_file(conn, "marts/n8n_lead_deliveries.sql")
    cursor = conn.execute(read_sql("marts/n8n_lead_deliveries/pending.sql"))
    columns = [d[0] for d in cursor.description]
    leads = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    report = PushReport(pending=len(leads))
    with httpx.Client(timeout=timeout, transport=transport) as client:
        for start in range(0, len(leads), batch_size):
            batch = leads[start : start + batch_size]
            batch_id = batch_id_for([lead["lead_id"] for lead in batch])
            body = {"batch_size": batch_size, "batch_id": batch_id, "leads": [_jsonable(lead) for lead in batch]}
            status, attempts = _post_with_retries(
                client, url, body, batch_id, max_attempts=max_attempts, backoff_seconds=backoff_seconds, sleep=sleep
            )
            now = datetime.now(UTC).replace(tzinfo=None)
            conn.executemany(
                "INSERT INTO marts.n8n_lead_deliveries VALUES (?, ?, ?, ?, ?, ?)",
                [[batch_id, lead["lead_id"], lead["phone_e164"], status, attempts, now] for lead in batch],
            )
            report.delivered_batches += 1
            report.delivered_leads += len(batch)
            report.attempts += attempts
            report.batch_ids.append(batch_id)
    return report


def _jsonable(lead: dict) -> dict:
    out = {}
    for key, value in lead.items():
        out["phone" if key == "phone_e164" else key] = list(value) if isinstance(value, tuple) else value
    return out
