"""What each caller (user) line says, in the shared vocabulary, computed once per distinct text.

Text recognition lives only in `vocabulary/`: this module applies `find_email`, `is_dnc_request`,
`objections_in` and `is_close_request` to the DISTINCT user texts of `staging.transcript_lines`
that `marts.line_signal_cache` has not seen yet (call transcripts repeat lines, and every run
after the first only meets the new calls' texts), and hands the answers to DuckDB as a pandas
frame; SQL joins them back to the lines set-based (`sql/marts/line_signals.sql`). The cache is keyed
by `vocabulary_version()`, a hash of the vocabulary sources, so a vocabulary change reclassifies
everything. Agent lines are never classified, so nothing the agent itself says ("I'll leave a
voicemail", "info@ works too") can become a caller's signal.
"""

from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vocabulary.close_requests import is_close_request
from vocabulary.emails import find_email
from vocabulary.intents import is_dnc_request
from vocabulary.objections import objections_in

PARALLEL_THRESHOLD = 60_000  # distinct texts; below this a process pool costs more than it saves

SIGNAL_COLUMNS = (
    "text",
    "has_signal",
    "email",
    "email_is_generic",
    "email_spoken",
    "is_dnc",
    "is_close_request",
    "objections",
)
_VOCABULARY_MODULES = ("vocabulary.emails", "vocabulary.intents", "vocabulary.objections", "vocabulary.close_requests")


def vocabulary_version() -> str:
    """A hash of the vocabulary sources this module applies: cached answers are valid only for it."""
    digest = hashlib.sha256()
    for name in _VOCABULARY_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class LineSignals:
    """The vocabulary's reading of one caller line (``objections`` comma-joined, may be empty)."""

    email: str | None
    email_is_generic: bool | None
    email_spoken: bool | None
    is_dnc: bool
    is_close_request: bool
    objections: str

    @property
    def any(self) -> bool:
        return bool(self.email or self.is_dnc or self.is_close_request or self.objections)


def read_line(text: str) -> LineSignals:
    """Classify one caller line with the shared vocabulary."""
    match = find_email(text)
    return LineSignals(
        email=match.address if match else None,
        email_is_generic=match.is_generic if match else None,
        email_spoken=match.spoken if match else None,
        is_dnc=is_dnc_request(text),
        is_close_request=is_close_request(text),
        objections=",".join(o.value for o in objections_in(text)),
    )


def _signal_rows(texts: list[str | None]) -> list[tuple]:
    rows = []
    for text in texts:
        if not text:
            continue
        sig = read_line(text)
        rows.append(
            (
                text,
                sig.any,
                sig.email,
                sig.email_is_generic,
                sig.email_spoken,
                sig.is_dnc,
                sig.is_close_request,
                sig.objections,
            )
        )
    return rows


def _workers_for(n_texts: int, workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    if n_texts < PARALLEL_THRESHOLD:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def signals_frame(texts: Iterable[str | None], workers: int | None = None) -> pd.DataFrame:
    """One row per (non-empty) text with its signals; ``has_signal`` is False when it has none.

    Large sets (``PARALLEL_THRESHOLD`` distinct texts and more) are classified by a pool of spawned
    worker processes (``workers``; default: the CPU count, at most 4) — the regexes are CPU-bound.
    """
    texts = list(texts)
    n_workers = _workers_for(len(texts), workers)
    if n_workers == 1:
        rows = _signal_rows(texts)
    else:
        size = -(-len(texts) // (n_workers * 4))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        ctx = multiprocessing.get_context("spawn")  # never fork a process holding DuckDB/Dagster threads
        try:
            with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
                rows = [row for part in pool.map(_signal_rows, chunks) for row in part]
        except (BrokenProcessPool, RuntimeError, OSError):
            # e.g. a __main__ script without the `if __name__ == "__main__"` guard: stay in process
            rows = _signal_rows(texts)
    frame = pd.DataFrame.from_records(rows, columns=list(SIGNAL_COLUMNS))
    # Explicit dtypes so an empty or all-None column still loads into DuckDB with the right type.
    return frame.astype(
        {
            "text": "object",
            "has_signal": "bool",
            "email": "object",
            "email_is_generic": "boolean",
            "email_spoken": "boolean",
            "is_dnc": "bool",
            "is_close_request": "bool",
            "objections": "object",
        }
    )
