"""Retell webhooks: `POST /webhooks/retell` verifies, then lands each event as a file.

Retell posts ``{"event": ..., "call": {...}}`` signed with ``x-retell-signature:
v=<unix ms>,d=<hex HMAC-SHA256(api_key, raw_body + v)>`` (`retell-protocol.md` §2.2, §2.4). This
route checks the signature over the *raw* body with retell-sdk's own verifier (`retell.lib.verify`:
5-minute window, constant-time compare), answers 204 at once and writes the event atomically
(temp file + `os.replace`) to::

    $DATA_DIR/landing/retell_webhooks/<yyyy-mm-dd>/<call_id>.<event>.<digest>.json

(the day is the call's UTC start day, else today; the digest is of the body). A re-delivery has
the same name and is not written twice; the pipelines' landing sensor loads the files into
raw.retell_calls. Answers: 204 landed (or already landed) · 400 not UTF-8 / not JSON / no
``event`` or ``call.call_id`` · 401 missing, malformed, wrong or stale signature · 413 body too
large · 503 RETELL_API_KEY not configured (nothing can be verified, so nothing is accepted).
Nothing is written unless the answer is 204. The key is never logged.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from retell.lib import verify as retell_verify

from brain_service.settings import BrainSettings, get_settings
from contracts.atomic import atomic_write_bytes
from contracts.layout import DataLayout

log = logging.getLogger(__name__)

router = APIRouter()

WEBHOOK_PATH = "/webhooks/retell"
SIGNATURE_HEADER = "x-retell-signature"
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,199}")
_SAFE_EVENT = re.compile(r"[a-z][a-z0-9_]{0,63}")


def _settings(request: Request) -> BrainSettings:
    settings = getattr(request.app.state, "settings", None)
    return settings if isinstance(settings, BrainSettings) else get_settings()


def _error(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def webhook_dir(data_dir: Path) -> Path:
    return DataLayout(data_dir).retell_webhooks


def event_path(data_dir: Path, payload: dict[str, Any], body: bytes) -> Path:
    """Where an event lands: the same body always maps to the same path."""
    call = payload["call"]
    start_ms = call.get("start_timestamp")
    if isinstance(start_ms, (int, float)) and not isinstance(start_ms, bool) and 0 < start_ms < 4e12:
        day = datetime.fromtimestamp(start_ms / 1000, tz=UTC)
    else:
        day = datetime.now(UTC)
    digest = hashlib.sha256(body).hexdigest()[:16]
    name = f"{call['call_id']}.{payload['event']}.{digest}.json"
    return webhook_dir(data_dir) / day.strftime("%Y-%m-%d") / name


def _write_atomically(path: Path, body: bytes) -> bool:
    """Write `body` to `path` via a temp file; False when an identical delivery already landed."""
    return atomic_write_bytes(path, body, skip_if_exists=True)


def _validate(text: str) -> dict[str, Any] | str:
    """The parsed event, or the reason it is malformed."""
    try:
        payload = json.loads(text)
    except ValueError:
        return "body is not valid JSON"
    if not isinstance(payload, dict):
        return "body is not a JSON object"
    event = payload.get("event")
    if not isinstance(event, str) or not _SAFE_EVENT.fullmatch(event):
        return "missing or invalid `event`"
    call = payload.get("call")
    if not isinstance(call, dict):
        return "missing `call` object"
    call_id = call.get("call_id")
    if not isinstance(call_id, str) or not _SAFE_ID.fullmatch(call_id):
        return "missing or invalid `call.call_id`"
    return payload


@router.post(WEBHOOK_PATH, status_code=204, response_class=Response)
async def retell_webhook(request: Request) -> Response:
    settings = _settings(request)
    key = settings.retell_api_key.get_secret_value() if settings.retell_api_key else ""
    if not key:
        return _error(503, "webhook verification is not configured (RETELL_API_KEY unset)")
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return _error(401, f"missing {SIGNATURE_HEADER}")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.retell_webhook_max_body_bytes:
        return _error(413, "body too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > settings.retell_webhook_max_body_bytes:
            return _error(413, "body too large")
    raw = bytes(body)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error(400, "body is not UTF-8")
    if not retell_verify(text, api_key=key, signature=signature):
        return _error(401, "invalid or stale signature")
    payload = _validate(text)
    if isinstance(payload, str):
        return _error(400, payload)
    path = event_path(settings.data_dir, payload, raw)
    written = await asyncio.to_thread(_write_atomically, path, raw)
    log.info(
        "retell webhook %s for %s %s",
        payload["event"],
        payload["call"]["call_id"],
        "landed" if written else "duplicate",
    )
    return Response(status_code=204)
