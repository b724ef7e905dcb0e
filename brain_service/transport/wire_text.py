"""Text from the wire, sanitised once at the edge (used by :func:`protocol.parse_inbound`).

* ``NaN`` / ``Infinity`` / ``-Infinity``: Python's ``json`` accepts them, JSON does not; they are
  read as ``null`` (:func:`null_non_finite`, the decoder's ``parse_constant``).
* Lone surrogates: a ``"\\ud800"`` escape decodes to a ``str`` that can never be encoded as UTF-8
  again (the greeting, the call record...); they become U+FFFD (:func:`scrub_surrogates`). Valid
  escaped pairs (emoji) are already joined by the decoder and left alone.

Both are counted by the session as bad input; the frame is still used.
"""

from __future__ import annotations

import re
from typing import Any

non_finite_seen: list[str] = []  # the serving loop is single-threaded: parse_inbound clears and reads it

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def null_non_finite(token: str) -> None:
    """``parse_constant`` for the inbound decoder: NaN / Infinity are read as null (and noted)."""
    non_finite_seen.append(token)
    return None


def may_hold_lone_surrogates(text: str) -> bool:
    """Cheap test on the raw frame: only a ``\\uD8xx``-``\\uDFxx`` escape can produce one."""
    return _SURROGATE_ESCAPE.search(text) is not None


def scrub_surrogates(value: Any, found: list[int] | None = None) -> Any:
    """``value`` with every lone surrogate in its strings (keys included) replaced by U+FFFD;
    ``found`` (when given) gets one entry per string that was repaired."""
    if isinstance(value, str):
        repaired, n = _SURROGATE.subn("\ufffd", value)
        if n and found is not None:
            found.append(n)
        return repaired
    if isinstance(value, dict):
        return {scrub_surrogates(k, found): scrub_surrogates(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_surrogates(v, found) for v in value]
    return value
