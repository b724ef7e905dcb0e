"""Who may see ``/ops``: the ``BRAIN_OPS_TOKEN`` check, the session cookie and the login throttle.

* A request is let in when it carries the token in ``Authorization: Bearer <token>`` or
  ``X-Ops-Token: <token>``, or the session cookie the login form sets. Never in the URL: a query
  string ends up in access logs and browser history.
* The cookie does not hold the token: it holds ``HMAC-SHA256(token, purpose)``, so a stolen cookie
  never reveals the token, and changing the token signs every browser out. ``HttpOnly``,
  ``SameSite=Strict``, ``Secure``, scoped to ``/ops``.
* Every comparison is constant-time (``hmac.compare_digest``) on bytes; an oversized presented value
  is refused before any comparison.
* Failed logins are counted per client address in a fixed one-minute window; above
  :data:`MAX_FAILURES_PER_MINUTE` the login answers 429 until the window passes. The table is bounded.
"""

from __future__ import annotations

import hashlib
import hmac
import time

COOKIE_NAME = "eve_ops"
COOKIE_PATH = "/ops"
MAX_PRESENTED_BYTES = 512
MAX_FAILURES_PER_MINUTE = 10
_MAX_TRACKED_CLIENTS = 4096
_COOKIE_PURPOSE = b"eve-ops-session-v1"


def _bounded(value: str | None) -> bytes | None:
    if value is None:
        return None
    raw = value.encode("utf-8", "surrogateescape")
    if not raw or len(raw) > MAX_PRESENTED_BYTES:
        return None
    return raw


class OpsAuth:
    """Token and cookie checks for one configured ``BRAIN_OPS_TOKEN``."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("OpsAuth needs a non-empty token (an unset BRAIN_OPS_TOKEN turns /ops off)")
        self._token = token.encode("utf-8")
        self._cookie = hmac.new(self._token, _COOKIE_PURPOSE, hashlib.sha256).hexdigest().encode("ascii")
        self._failures: dict[str, tuple[float, int]] = {}

    def token_ok(self, presented: str | None) -> bool:
        raw = _bounded(presented)
        return raw is not None and hmac.compare_digest(raw, self._token)

    def cookie_value(self) -> str:
        return self._cookie.decode("ascii")

    def cookie_ok(self, presented: str | None) -> bool:
        raw = _bounded(presented)
        return raw is not None and hmac.compare_digest(raw, self._cookie)

    def request_ok(self, *, authorization: str | None, ops_token: str | None, cookie: str | None) -> bool:
        """True when any one of the three credentials is right (each checked in constant time)."""
        bearer = None
        if authorization is not None:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer":
                bearer = value.strip()
        results = (self.token_ok(bearer), self.token_ok(ops_token), self.cookie_ok(cookie))
        return any(results)

    # --- login throttle -------------------------------------------------------------------------

    def throttled(self, client: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        window = self._failures.get(client)
        return window is not None and now - window[0] < 60.0 and window[1] >= MAX_FAILURES_PER_MINUTE

    def record_failure(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        started, count = self._failures.get(client, (now, 0))
        if now - started >= 60.0:
            started, count = now, 0
        if client not in self._failures and len(self._failures) >= _MAX_TRACKED_CLIENTS:
            self._failures = {k: v for k, v in self._failures.items() if now - v[0] < 60.0}
            if len(self._failures) >= _MAX_TRACKED_CLIENTS:
                self._failures.clear()
        self._failures[client] = (started, count + 1)
