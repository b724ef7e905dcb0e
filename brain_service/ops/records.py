"""Recent call outcomes from the brain's own call records (``$DATA_DIR/landing/brain_calls/<day>/``).

Only today's and yesterday's UTC day folders are looked at; a folder is listed again when its mtime
changes (or after ``LISTING_TTL_S``). Each record file is parsed once (kept by path, size and mtime) and reduced to a few numbers and labels: outcome, close reason, prompt
version, duration, first-response latency, agent turn count. Transcript text, e-mail addresses,
names and numbers never leave this module. A file that is not a JSON object is counted as
unreadable and skipped. Runs in a worker thread: nothing here touches the event loop.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from contracts.layout import DataLayout, utc_day

RECENT_ROWS = 15
MAX_FILES_PER_DAY = 20_000
MAX_RECORD_BYTES = 8 * 1024 * 1024
LISTING_TTL_S = 10.0


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """What /ops shows of one finished call (no text, no contact data)."""

    call_id: str
    ended_at: str | None
    outcome: str
    close_reason: str | None
    prompt_version: str | None
    duration_s: float | None
    first_response_ms: float | None
    agent_turns: int
    synthetic: bool


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    day: str
    counts: dict[str, int]
    recent: tuple[RecordSummary, ...]
    files_seen: int
    unreadable: int
    truncated: bool


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _label(value: object, limit: int = 80) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def summarise_record(data: dict[str, Any], fallback_id: str) -> RecordSummary:
    """Reduce one call record to what the page may show."""
    started, ended = _parse_time(data.get("started_at")), _parse_time(data.get("ended_at"))
    duration = (ended - started).total_seconds() if started and ended and ended >= started else None
    first_ms: float | None = None
    latencies = data.get("latencies")
    if isinstance(latencies, list):
        for entry in latencies:
            value = entry.get("first_chunk_ms") if isinstance(entry, dict) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                first_ms = float(value)
                break
    turns = data.get("turns")
    agent_turns = (
        sum(1 for t in turns if isinstance(t, dict) and t.get("role") == "agent") if isinstance(turns, list) else 0
    )
    return RecordSummary(
        call_id=_label(data.get("call_id"), 128) or fallback_id,
        ended_at=_label(data.get("ended_at"), 40),
        outcome=_label(data.get("outcome"), 40) or "unknown",
        close_reason=_label(data.get("close_reason"), 40),
        prompt_version=_label(data.get("prompt_version"), 200),
        duration_s=duration,
        first_response_ms=first_ms,
        agent_turns=agent_turns,
        synthetic=data.get("synthetic") is True,
    )


class RecordReader:
    """Cached reader of the newest call records; safe to call from one worker thread at a time."""

    def __init__(self, data_dir: Path) -> None:
        self.layout = DataLayout(Path(data_dir))
        self._cache: dict[str, tuple[tuple[int, int], RecordSummary | None]] = {}
        self._listings: dict[str, tuple[int, float, list[tuple[int, str, tuple[int, int]]]]] = {}
        self._lock = threading.Lock()

    def _load(self, path: str, stamp: tuple[int, int]) -> RecordSummary | None:
        cached = self._cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        summary: RecordSummary | None = None
        if stamp[1] <= MAX_RECORD_BYTES:
            try:
                with open(path, "rb") as handle:
                    data = json.loads(handle.read())
                if isinstance(data, dict):
                    summary = summarise_record(data, Path(path).stem)
            except (OSError, ValueError):
                summary = None
        self._cache[path] = (stamp, summary)
        return summary

    def _day_files(self, day: str) -> list[tuple[int, str, tuple[int, int]]]:
        """(mtime, path, stamp) of a day's records, newest first; re-listed only when the folder changed."""
        folder = self.layout.brain_calls / day
        try:
            folder_stamp = folder.stat().st_mtime_ns  # a record written or replaced changes it
        except OSError:
            return []
        listed = self._listings.get(day)
        # a folder's mtime has coarse ticks: a listing is trusted for LISTING_TTL_S at most
        if listed is not None and listed[0] == folder_stamp and time.monotonic() - listed[1] < LISTING_TTL_S:
            return listed[2]
        found: list[tuple[int, str, tuple[int, int]]] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not entry.name.endswith(".json") or entry.name.startswith("."):
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.is_file(follow_symlinks=False):
                        found.append((st.st_mtime_ns, entry.path, (st.st_mtime_ns, st.st_size)))
        except OSError:
            return []
        found.sort(reverse=True)
        if day not in self._listings and len(self._listings) >= 2:
            del self._listings[min(self._listings)]
        self._listings[day] = (folder_stamp, time.monotonic(), found)
        return found

    def summary(self, now: datetime | None = None) -> OutcomeSummary:
        now = now or datetime.now(tz=UTC)
        today = utc_day(now.timestamp())
        yesterday = utc_day((now - timedelta(days=1)).timestamp())
        with self._lock:
            today_files = self._day_files(today)
            truncated = len(today_files) > MAX_FILES_PER_DAY
            today_files = today_files[:MAX_FILES_PER_DAY]
            counts: Counter[str] = Counter()
            unreadable = 0
            recent: list[RecordSummary] = []
            for _, path, stamp in today_files:
                summary = self._load(path, stamp)
                if summary is None:
                    unreadable += 1
                    continue
                counts[summary.outcome] += 1
                if len(recent) < RECENT_ROWS:
                    recent.append(summary)
            if len(recent) < RECENT_ROWS:
                for _, path, stamp in self._day_files(yesterday)[: RECENT_ROWS * 4]:
                    summary = self._load(path, stamp)
                    if summary is not None:
                        recent.append(summary)
                        if len(recent) >= RECENT_ROWS:
                            break
            live_paths = {path for _, path, _ in today_files}
            if len(self._cache) > 2 * MAX_FILES_PER_DAY:
                self._cache = {k: v for k, v in self._cache.items() if k in live_paths}
        return OutcomeSummary(
            day=today,
            counts=dict(counts.most_common()),
            recent=tuple(recent),
            files_seen=len(today_files),
            unreadable=unreadable,
            truncated=truncated,
        )
