"""The ``/ops`` routes: the page, its JSON, log in and log out. Mounted only when ``BRAIN_OPS_TOKEN`` is set.

* ``GET /ops`` — the page (200) when the request is authenticated, else the login form (401).
* ``GET /ops/api/snapshot`` — ``{"snapshot": …, "panels": {id: html}}`` (401 JSON when not signed in).
* ``POST /ops/login`` — form field ``token`` (urlencoded, ≤ 4 KiB): right → 303 to ``/ops`` with the
  session cookie; wrong → 401 form; more than 10 wrong tries a minute from one client → 429.
* ``POST /ops/logout`` — clears the cookie.

Every answer is ``Cache-Control: no-store`` with a strict CSP (scripts and styles only by nonce,
no framing, no outside origins). Nothing here dials, pauses or edits anything. A refused login is
logged with the client address only, never the presented value.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from brain_service.logs import get_logger, log_event
from brain_service.ops.auth import COOKIE_NAME, COOKIE_PATH, OpsAuth
from brain_service.ops.page import login_page, ops_page, panels
from brain_service.ops.snapshot import SnapshotBuilder
from brain_service.runtime import BrainRuntime

logger = get_logger("ops")

MAX_FORM_BYTES = 4096
MIN_TOKEN_CHARS = 16
COOKIE_MAX_AGE_S = 12 * 3600


class _FormTooLarge(Exception):
    pass


def _headers(nonce: str | None = None) -> dict[str, str]:
    sources = f"'nonce-{nonce}'" if nonce else "'none'"
    return {
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Content-Security-Policy": (
            f"default-src 'none'; script-src {sources}; style-src {sources}; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
    }


async def _form_token(request: Request) -> str | None:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_FORM_BYTES):
        raise _FormTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise _FormTooLarge
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        fields = parse_qsl(text, keep_blank_values=True, max_num_fields=8)
    except ValueError:  # more fields than a login form has
        return None
    for key, value in fields:
        if key == "token":
            return value
    return None


def build_ops_router(runtime: BrainRuntime) -> APIRouter | None:
    """The ``/ops`` router, or None when ``BRAIN_OPS_TOKEN`` is unset (then every /ops path is 404)."""
    secret = runtime.settings.brain_ops_token
    token = secret.get_secret_value() if secret is not None else ""
    if not token:
        return None
    if len(token) < MIN_TOKEN_CHARS:  # said without the value: a settings error would echo it
        raise ValueError(f"BRAIN_OPS_TOKEN must be at least {MIN_TOKEN_CHARS} characters (or empty to turn /ops off)")
    auth = OpsAuth(token)
    builder = SnapshotBuilder(
        runtime.registry, runtime.metrics, runtime.settings.data_dir, runtime.settings.brain_max_sessions
    )
    router = APIRouter()
    rendered: list[Any] = [None, b""]  # [snapshot, its JSON body]

    def signed_in(request: Request) -> bool:
        headers = request.headers
        return auth.request_ok(
            authorization=headers.get("authorization"),
            ops_token=headers.get("x-ops-token"),
            cookie=request.cookies.get(COOKIE_NAME),
        )

    def client_of(request: Request) -> str:
        peer = request.client.host if request.client is not None else None
        address = runtime.gate.client_address(peer, request.headers.getlist("x-forwarded-for"))
        return str(address) if address is not None else "unknown"

    def login_form(status: int, message: str | None = None) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(login_page(nonce, message), status_code=status, headers=_headers(nonce))

    @router.get("/ops", response_model=None)
    async def page(request: Request) -> Response:
        if not signed_in(request):
            return login_form(401)
        nonce = secrets.token_urlsafe(16)
        return HTMLResponse(ops_page(await builder.snapshot(), nonce), headers=_headers(nonce))

    @router.get("/ops/api/snapshot", response_model=None)
    async def snapshot(request: Request) -> Response:
        if not signed_in(request):
            headers = {**_headers(), "WWW-Authenticate": 'Bearer realm="eve-ops"'}
            return JSONResponse({"error": "unauthorized"}, status_code=401, headers=headers)
        snap = await builder.snapshot()
        if rendered[0] is not snap:  # one render per snapshot, however many pages poll
            body = json.dumps({"snapshot": snap.as_json(), "panels": panels(snap)}, separators=(",", ":"))
            rendered[:] = [snap, body.encode("utf-8")]
        return Response(rendered[1], media_type="application/json", headers=_headers())

    @router.post("/ops/login", response_model=None)
    async def login(request: Request) -> Response:
        client = client_of(request)
        if auth.throttled(client):
            return login_form(429, "Too many wrong tokens from this address; wait a minute.")
        try:
            presented = await _form_token(request)
        except _FormTooLarge:
            return login_form(413, "That request was too large.")
        if not auth.token_ok(presented):
            auth.record_failure(client)
            log_event(logger, logging.WARNING, "ops_login_refused", client=client)
            return login_form(401, "That token is not right.")
        response = RedirectResponse("/ops", status_code=303, headers=_headers())
        response.set_cookie(
            COOKIE_NAME,
            auth.cookie_value(),
            max_age=COOKIE_MAX_AGE_S,
            path=COOKIE_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )
        log_event(logger, logging.INFO, "ops_login", client=client)
        return response

    @router.post("/ops/logout", response_model=None)
    async def logout() -> Response:
        response = RedirectResponse("/ops", status_code=303, headers=_headers())
        response.delete_cookie(COOKIE_NAME, path=COOKIE_PATH, secure=True, httponly=True, samesite="strict")
        return response

    return router


def include_ops_page(app: FastAPI, runtime: BrainRuntime) -> None:
    """Mount ``/ops`` on ``app`` when ``BRAIN_OPS_TOKEN`` is set; otherwise do nothing (404)."""
    router = build_ops_router(runtime)
    if router is not None:
        app.include_router(router)
