"""Fetch lead records from an HTTP JSON source (GET; same document shapes as JSON files).

Errors never pass silently: a failed request, a non-2xx status or a body that is not JSON comes
back as `HttpFetch.error` and the asset records it as a rejected source. The URL kept in the
warehouse has its query string and credentials removed (tokens often live there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from pipelines.leads.records import records_from_document


@dataclass
class HttpFetch:
    url: str
    records: list[Any] = field(default_factory=list)
    error: str | None = None


def redact_url(url: str) -> str:
    """The URL without user-info, query or fragment (safe to store and log)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def fetch_lead_records(url: str, *, timeout: float, transport: httpx.BaseTransport | None = None) -> HttpFetch:
    safe = redact_url(url)
    try:
        with httpx.Client(timeout=timeout, transport=transport, follow_redirects=True) as client:
            response = client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        return HttpFetch(url=safe, error=f"HTTP request failed: {type(exc).__name__}")
    if response.status_code // 100 != 2:
        return HttpFetch(url=safe, error=f"HTTP status {response.status_code}")
    try:
        document = response.json()
    except ValueError:
        return HttpFetch(url=safe, error="response is not JSON")
    records = records_from_document(document)
    if not records:
        return HttpFetch(url=safe, error="response holds no records")
    return HttpFetch(url=safe, records=records)
