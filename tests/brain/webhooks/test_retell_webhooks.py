"""`POST /webhooks/retell` on the real brain app (uvicorn on a loopback port, httpx client).

Signatures are made exactly as Retell makes them (retell-sdk's signer: HMAC-SHA256 of raw body +
ms timestamp); the route must land good events once, atomically, and refuse everything else
without writing a byte.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from brain_service.settings import BrainSettings
from tests.support.brain import start_brain

API_KEY = "key_webhook_test_123"


def sign(body: bytes, key: str = API_KEY, ts_ms: int | None = None) -> str:
    ts_ms = int(time.time() * 1000) if ts_ms is None else ts_ms
    digest = hmac.new(key.encode(), body + str(ts_ms).encode(), hashlib.sha256).hexdigest()
    return f"v={ts_ms},d={digest}"


def event(call_id: str = "call_abc123", name: str = "call_analyzed", **extra) -> bytes:
    payload = {
        "event": name,
        "call": {
            "call_id": call_id,
            "call_status": "ended",
            "start_timestamp": 1767261600000,
            "transcript": "Agent: Hola, ¿qué tal?",
            "call_analysis": {"user_sentiment": "Positive"},
            **extra,
        },
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def _brain(tmp_path: Path, key: str | None):
    settings = BrainSettings(
        data_dir=tmp_path, retell_api_key=SecretStr(key) if key else None, brain_host="127.0.0.1", brain_port=0
    )
    return start_brain(settings)


@pytest.fixture
def brain(tmp_path):
    running = _brain(tmp_path, API_KEY)
    yield running
    running.stop()


def landed(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "landing" / "retell_webhooks").rglob("*") if p.is_file())


def post(url: str, body: bytes, signature: str | None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["x-retell-signature"] = signature
    return httpx.post(url, content=body, headers=headers, timeout=10)


def test_signed_event_lands_once_with_raw_body(brain, tmp_path):
    body = event()
    response = post(brain.http_url + "/webhooks/retell", body, sign(body))
    assert response.status_code == 204
    files = landed(tmp_path)
    assert len(files) == 1
    assert files[0].read_bytes() == body  # exactly the raw body (non-ASCII kept as sent)
    assert files[0].parent.name == "2026-01-01"
    assert files[0].name.startswith("call_abc123.call_analyzed.")
    # A duplicate delivery (Retell retries) and a replay inside the window: harmless, no new file.
    assert post(brain.http_url + "/webhooks/retell", body, sign(body)).status_code == 204
    assert (
        post(brain.http_url + "/webhooks/retell", body, sign(body, ts_ms=int(time.time() * 1000) - 60_000)).status_code
        == 204
    )
    assert landed(tmp_path) == files
    # Another event of the same call is its own file.
    other = event(name="call_ended")
    assert post(brain.http_url + "/webhooks/retell", other, sign(other)).status_code == 204
    assert len(landed(tmp_path)) == 2


@pytest.mark.parametrize("case", ["missing", "tampered", "wrong_key", "stale", "future", "garbage", "uppercase"])
def test_bad_signatures_are_401_and_write_nothing(brain, tmp_path, case):
    body = event()
    now = int(time.time() * 1000)
    signature = {
        "missing": None,
        "tampered": sign(body),
        "wrong_key": sign(body, key="another_key"),
        "stale": sign(body, ts_ms=now - 6 * 60_000),
        "future": sign(body, ts_ms=now + 6 * 60_000),
        "garbage": "v=abc,d=xyz",
        "uppercase": sign(body).upper().replace("V=", "v=").replace(",D=", ",d="),
    }[case]
    sent = body.replace(b"Positive", b"Negative") if case == "tampered" else body
    response = post(brain.http_url + "/webhooks/retell", sent, signature)
    assert response.status_code == 401, response.text
    assert landed(tmp_path) == []


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"call": {"call_id": "c1"}}).encode(), "event"),
        (json.dumps({"event": "call_ended"}).encode(), "call"),
        (json.dumps({"event": "call_ended", "call": {"call_id": 42}}).encode(), "call_id"),
        (json.dumps({"event": "call_ended", "call": {"call_id": "../../etc/passwd"}}).encode(), "call_id"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_signed_but_malformed_is_400_and_writes_nothing(brain, tmp_path, body, reason):
    # Sign the raw bytes the way a sender would (latin-1 keeps the non-UTF-8 bytes as they are).
    ts = int(time.time() * 1000)
    digest = hmac.new(API_KEY.encode(), body + str(ts).encode(), hashlib.sha256).hexdigest()
    response = post(brain.http_url + "/webhooks/retell", body, f"v={ts},d={digest}")
    assert response.status_code in (400, 401)
    if not body.startswith(b"\xff"):
        assert response.status_code == 400
        assert reason in response.json()["detail"]
    assert landed(tmp_path) == []


def test_without_api_key_the_route_refuses_with_503(tmp_path):
    running = _brain(tmp_path, None)
    try:
        body = event()
        response = post(running.http_url + "/webhooks/retell", body, sign(body))
        assert response.status_code == 503
        assert "RETELL_API_KEY" in response.json()["detail"]
        assert landed(tmp_path) == []
    finally:
        running.stop()


def test_oversized_body_is_413(tmp_path):
    settings = BrainSettings(
        data_dir=tmp_path,
        retell_api_key=SecretStr(API_KEY),
        brain_host="127.0.0.1",
        brain_port=0,
        retell_webhook_max_body_bytes=2000,
    )
    running = start_brain(settings)
    try:
        body = event(transcript="x" * 5000)
        assert post(running.http_url + "/webhooks/retell", body, sign(body)).status_code == 413
        assert landed(tmp_path) == []
    finally:
        running.stop()


def test_concurrent_duplicate_deliveries_leave_one_complete_file(brain, tmp_path):
    body = event(transcript="y" * 20_000)
    signature = sign(body)

    def deliver(_: int) -> int:
        return post(brain.http_url + "/webhooks/retell", body, signature).status_code

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(deliver, range(16)))
    assert statuses == [204] * 16
    files = landed(tmp_path)
    assert len(files) == 1 and files[0].read_bytes() == body
