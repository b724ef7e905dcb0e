"""Structured log lines for the brain: one JSON object per line on the ``brain`` loggers.

Call sites pass an event name and flat fields; nothing here ever receives transcript text or
secrets (the session logs ids, counts, codes and reasons only at INFO).
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"brain.{name}")


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Emit ``{"event": …, **fields}`` as one line (skipped cheaply when the level is off)."""
    if logger.isEnabledFor(level):
        fields["event"] = event
        logger.log(level, _encode(fields))


# Set by the websocket endpoint while it refuses a handshake: the server's own lines about that
# connection (its path and query, "connection rejected", and uvicorn's spurious "ASGI callable
# returned without completing handshake" after an HTTP refusal) are dropped; the endpoint's one
# ``handshake_rejected`` line says what happened and why. The endpoint runs in the server's
# connection task, so the flag is seen by the server's log calls for that connection only.
HANDSHAKE_REFUSED: ContextVar[bool] = ContextVar("brain_handshake_refused", default=False)

_QUERY_SECRET = re.compile(r"([?&](?:token|access_token|api_key|key)=)[^&\s\"']*", re.IGNORECASE)
_PATH_SECRET = re.compile(r"(/(?:llm-websocket|ws)/)[^/\s\"'?]+(/[^/\s\"'?]+)")


def redact(text: str) -> str:
    """``text`` without websocket secrets: ``?token=…`` values and the ``/llm-websocket/<token>/<id>`` segment."""
    if "/" not in text and "=" not in text:
        return text
    return _PATH_SECRET.sub(r"\1[redacted]\2", _QUERY_SECRET.sub(r"\1[redacted]", text))


class _ServerLogHygiene(logging.Filter):
    """On uvicorn's loggers: no secret in any line, no per-connection noise, no refused-handshake chatter.

    uvicorn logs every websocket open/accept/close and every refusal with the full path and query;
    the session and the endpoint already log one line each, without secrets. An invalid UTF-8
    frame is counted by the session as bad input (the server closes it with 1007); uvicorn's
    traceback for it is dropped.
    """

    _NOISE = ("connection open", "connection closed", "[accepted]", "Invalid UTF-8 sequence received from client")
    _REFUSAL = ('"WebSocket ', "connection rejected", "without completing handshake")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(noise in message for noise in self._NOISE):
            return False
        if HANDSHAKE_REFUSED.get() and any(part in message for part in self._REFUSAL):
            return False
        if redact(message) != message:  # formatters (uvicorn's access log) read the args: redact each
            if isinstance(record.args, tuple) and record.args:
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            else:
                record.msg, record.args = redact(message), None
        return True


_HYGIENE = _ServerLogHygiene()


def install_server_log_hygiene() -> None:
    """Attach the filter to uvicorn's loggers (idempotent); the app does it, whatever server runs it."""
    for name in ("uvicorn.error", "uvicorn.access", "uvicorn"):
        log = logging.getLogger(name)
        if _HYGIENE not in log.filters:
            log.addFilter(_HYGIENE)


def configure_logging(level: str = "INFO") -> None:
    """Plain one-line records to stderr for ``python -m brain_service``."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    install_server_log_hygiene()
