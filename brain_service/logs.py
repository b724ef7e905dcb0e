"""Structured log lines for the brain: one JSON object per line on the ``brain`` loggers.

Call sites pass an event name and flat fields; nothing here ever receives transcript text or
secrets (the session logs ids, counts, codes and reasons only at INFO).
"""

from __future__ import annotations

import json
import logging
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(f"brain.{name}")


def log_event(logger: logging.Logger, level: int, event: str, **fields: Any) -> None:
    """Emit ``{"event": …, **fields}`` as one line (skipped cheaply when the level is off)."""
    if logger.isEnabledFor(level):
        fields["event"] = event
        logger.log(level, _encode(fields))


class _DropPerConnectionNoise(logging.Filter):
    """uvicorn logs every websocket open/close; the session already logs one line each."""

    _NOISE = ("connection open", "connection closed", "[accepted]")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self._NOISE)


def configure_logging(level: str = "INFO") -> None:
    """Plain one-line records to stderr for ``python -m brain_service``."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("uvicorn.error").addFilter(_DropPerConnectionNoise())
