"""/ops authentication against the real brain over HTTP: off when unset, header tokens, the login
form, the cookie, the throttle, and hostile input (oversized, non-ASCII, malformed, in the URL)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from brain_service.app import create_app
from brain_service.ops.auth import COOKIE_NAME, MAX_FAILURES_PER_MINUTE, OpsAuth
from brain_service.settings import BrainSettings
from tests.support.brain import RunningBrain
from tests.support.ops import OPS_TOKEN

OPS_PATHS = ("/ops", "/ops/api/snapshot")


def client(brain: RunningBrain) -> httpx.Client:
    return httpx.Client(base_url=f"http://127.0.0.1:{brain.port}", timeout=10, follow_redirects=False)


def test_page_is_off_without_a_token(brain_with: Callable[..., RunningBrain]) -> None:
    brain = brain_with(brain_ops_token=None)
    with client(brain) as http:
        for path in OPS_PATHS:
            assert http.get(path, headers={"Authorization": f"Bearer {OPS_TOKEN}"}).status_code == 404
        assert http.post("/ops/login", data={"token": OPS_TOKEN}).status_code in (404, 405)
        assert http.get("/health").status_code == 200


def test_empty_token_means_off_and_short_tokens_are_refused_without_echo(tmp_path: Path) -> None:
    off = create_app(BrainSettings(_env_file=None, brain_ops_token="", data_dir=tmp_path))
    assert not [route for route in off.routes if getattr(route, "path", "").startswith("/ops")]
    with pytest.raises(ValueError, match="at least 16") as refused:
        create_app(BrainSettings(_env_file=None, brain_ops_token="short-secret", data_dir=tmp_path))
    assert "short-secret" not in str(refused.value)


def test_no_credentials_get_the_login_form_or_401_json(ops_brain: RunningBrain) -> None:
    with client(ops_brain) as http:
        page = http.get("/ops")
        assert page.status_code == 401
        assert 'name="token"' in page.text and "live calls" not in page.text
        api = http.get("/ops/api/snapshot")
        assert api.status_code == 401 and api.json() == {"error": "unauthorized"}
        assert api.headers["www-authenticate"].startswith("Bearer")
        for response in (page, api):
            assert response.headers["cache-control"] == "no-store"
            assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": f"Basic {OPS_TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": f"Bearer {OPS_TOKEN}x"},
        {"Authorization": f"Bearer {OPS_TOKEN[:-1]}"},
        {"X-Ops-Token": ""},
        {"X-Ops-Token": OPS_TOKEN.upper()},
        {"X-Ops-Token": "é" * 40},
        {"X-Ops-Token": "A" * 20_000},
        {"Cookie": f"{COOKIE_NAME}={OPS_TOKEN}"},  # the cookie never holds the token itself
        {"Cookie": f"{COOKIE_NAME}=" + "0" * 64},
    ],
)
def test_wrong_credentials_are_refused(ops_brain: RunningBrain, headers: dict[str, str]) -> None:
    with client(ops_brain) as http:
        encoded = {k: v.encode("utf-8") for k, v in headers.items()}
        assert http.get("/ops/api/snapshot", headers=encoded).status_code == 401
        assert http.get("/ops", headers=encoded).status_code == 401


def test_the_token_in_the_url_is_not_accepted(ops_brain: RunningBrain) -> None:
    with client(ops_brain) as http:
        assert http.get("/ops", params={"token": OPS_TOKEN}).status_code == 401
        assert http.get("/ops/api/snapshot", params={"token": OPS_TOKEN}).status_code == 401


def test_right_header_tokens_open_the_page_and_the_json(ops_brain: RunningBrain) -> None:
    with client(ops_brain) as http:
        for headers in ({"Authorization": f"Bearer {OPS_TOKEN}"}, {"X-Ops-Token": OPS_TOKEN}):
            page = http.get("/ops", headers=headers)
            assert page.status_code == 200 and 'id="panel-live"' in page.text
            body = http.get("/ops/api/snapshot", headers=headers).json()
            assert set(body) == {"snapshot", "panels"}
            assert body["snapshot"]["live_count"] == 0
            assert body["snapshot"]["stop_switch"]["set"] is False


def test_login_form_sets_a_strict_cookie_that_is_not_the_token(ops_brain: RunningBrain) -> None:
    with client(ops_brain) as http:
        wrong = http.post("/ops/login", data={"token": "not-the-token-at-all"})
        assert wrong.status_code == 401 and "not right" in wrong.text and "set-cookie" not in wrong.headers
        right = http.post("/ops/login", data={"token": OPS_TOKEN})
        assert right.status_code == 303 and right.headers["location"] == "/ops"
        cookie = right.headers["set-cookie"]
        for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/ops"):
            assert flag.lower() in cookie.lower()
        assert OPS_TOKEN not in cookie
        value = cookie.split(";")[0].split("=", 1)[1]
        signed_in = {"Cookie": f"{COOKIE_NAME}={value}"}
        assert http.get("/ops", headers=signed_in).status_code == 200
        assert http.get("/ops/api/snapshot", headers=signed_in).status_code == 200
        out = http.post("/ops/logout")
        assert out.status_code == 303 and f"{COOKIE_NAME}=" in out.headers["set-cookie"]


def test_a_new_token_signs_every_browser_out() -> None:
    old, new = OpsAuth("first-token-0123456789"), OpsAuth("second-token-0123456789")
    assert not new.cookie_ok(old.cookie_value())
    assert old.cookie_ok(old.cookie_value())


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"token=" + b"x" * 5000, "application/x-www-form-urlencoded", 413),
        (b"\xff\xfe\x00token", "application/x-www-form-urlencoded", 401),
        (b"", "application/x-www-form-urlencoded", 401),
        (b"token", "application/x-www-form-urlencoded", 401),
        (b"%%%%=&&&token=%zz", "application/x-www-form-urlencoded", 401),
        (b'{"token": "' + OPS_TOKEN.encode() + b'"}', "application/json", 401),
        (b"&".join(b"a%d=1" % i for i in range(500)) + b"&token=" + OPS_TOKEN.encode(), "text/plain", 401),
    ],
)
def test_malformed_login_bodies(ops_brain: RunningBrain, body: bytes, content_type: str, status: int) -> None:
    with client(ops_brain) as http:
        response = http.post("/ops/login", content=body, headers={"Content-Type": content_type})
        assert response.status_code == status
        assert "set-cookie" not in response.headers


def test_many_fields_before_the_token_do_not_log_in(ops_brain: RunningBrain) -> None:
    body = "&".join(f"f{i}=1" for i in range(20)) + f"&token={OPS_TOKEN}"
    with client(ops_brain) as http:
        response = http.post("/ops/login", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 401


def test_wrong_logins_are_throttled_and_never_logged(ops_brain: RunningBrain, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    guesses = [f"guess-number-{i:04d}-abcdef" for i in range(MAX_FAILURES_PER_MINUTE)]
    with client(ops_brain) as http:
        for guess in guesses:
            assert http.post("/ops/login", data={"token": guess}).status_code == 401
        throttled = http.post("/ops/login", data={"token": OPS_TOKEN})
        assert throttled.status_code == 429 and "set-cookie" not in throttled.headers
        # header access is not a guessing channel for the form throttle, and still works
        assert http.get("/ops", headers={"X-Ops-Token": OPS_TOKEN}).status_code == 200
    text = caplog.text
    assert "ops_login_refused" in text
    assert OPS_TOKEN not in text and not any(guess in text for guess in guesses)


def test_huge_headers_are_refused_and_the_brain_keeps_serving(ops_brain: RunningBrain) -> None:
    request = (
        b"GET /ops/api/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + b"Authorization: Bearer "
        + b"A" * 1_000_000
        + b"\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", ops_brain.port), timeout=10) as sock:
        try:
            sock.sendall(request)
            answer = sock.recv(200)
        except (ConnectionResetError, BrokenPipeError):
            answer = b""
    assert not answer.startswith(b"HTTP/1.1 200")
    many = {f"X-Junk-{i}": "v" * 100 for i in range(300)}
    with client(ops_brain) as http:
        assert http.get("/ops/api/snapshot", headers=many).status_code in (400, 401, 431)
        assert http.get("/ops/api/snapshot", headers={"X-Ops-Token": OPS_TOKEN}).status_code == 200
