"""Writers of the synthetic world: the Retell landing zone (JSONL per UTC day) and JSON lines.

Landing contract (ingested by the call sync, group `calls`):
``$DATA_DIR/landing/retell_calls/synthetic/<yyyy-mm-dd>/calls.jsonl`` — one get-call object per
line, compact JSON with sorted keys, lines ordered by (start_timestamp, call_id), the folder date
being the call's UTC start date. Each file is written to a temporary name and renamed into place
(readers never see half a file); a file whose bytes would not change is left untouched (mtime and
all), and day folders of an earlier generation that this one does not have are removed, so
regenerating is idempotent.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from contracts.layout import DataLayout

CALLS_FILE_NAME = "calls.jsonl"
_DAY_DIR_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def synthetic_landing_dir(data_dir: Path | str) -> Path:
    """``$DATA_DIR/landing/retell_calls/synthetic``."""
    return DataLayout(Path(data_dir)).synthetic_calls


def call_line(call: dict) -> str:
    """One landing line: the call as compact JSON with sorted keys (no newline)."""
    return _encode(call)


def utc_day(epoch_ms: int) -> str:
    return dt.datetime.fromtimestamp(epoch_ms / 1000, dt.UTC).date().isoformat()


@dataclass
class LandingReport:
    """What a landing write did, for the asset's metadata."""

    root: Path
    files: dict[str, dict] = field(default_factory=dict)  # day -> {path, calls, bytes, written}
    removed_days: list[str] = field(default_factory=list)

    @property
    def files_written(self) -> int:
        return sum(1 for f in self.files.values() if f["written"])

    @property
    def files_unchanged(self) -> int:
        return sum(1 for f in self.files.values() if not f["written"])

    @property
    def calls(self) -> int:
        return sum(f["calls"] for f in self.files.values())

    @property
    def bytes(self) -> int:
        return sum(f["bytes"] for f in self.files.values())


class DayFile:
    """One day's calls.jsonl being written to a temporary file next to its final place."""

    def __init__(self, root: Path, day: str):
        self.day = day
        self.path = root / day / CALLS_FILE_NAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{CALLS_FILE_NAME}.", suffix=".tmp", dir=self.path.parent)
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20)
        self.calls = 0
        self.bytes = 0

    def add(self, line: str) -> None:
        data = line + "\n"
        self.handle.write(data)
        encoded_length = len(data.encode("utf-8")) if not data.isascii() else len(data)
        self.bytes += encoded_length
        self.calls += 1

    def commit(self) -> dict:
        """Replace the day's file atomically, unless its bytes would not change."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        unchanged = (
            self.path.is_file()
            and self.path.stat().st_size == self.bytes
            and filecmp.cmp(self.tmp, self.path, shallow=False)
        )
        if unchanged:
            os.unlink(self.tmp)
        else:
            os.replace(self.tmp, self.path)
        return {"path": str(self.path), "calls": self.calls, "bytes": self.bytes, "written": not unchanged}

    def abort(self) -> None:
        try:
            self.handle.close()
        finally:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass


def write_landing_lines(day_lines: Iterable[tuple[str, str]], data_dir: Path | str) -> LandingReport:
    """Write ``(utc_day, line)`` pairs — sorted by call start, so days arrive in order — as the
    synthetic landing zone under ``data_dir``; remove day folders this generation does not have."""
    root = synthetic_landing_dir(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    report = LandingReport(root=root)
    current: DayFile | None = None
    try:
        for day, line in day_lines:
            if current is None or day != current.day:
                if current is not None:
                    report.files[current.day] = current.commit()
                if day in report.files or (current is not None and day < current.day):
                    raise ValueError(f"calls must be sorted by start time; day {day} came back out of order")
                current = DayFile(root, day)
            current.add(line)
        if current is not None:
            report.files[current.day] = current.commit()
            current = None
    finally:
        if current is not None:
            current.abort()
    report.removed_days = remove_stale_days(root, set(report.files))
    return report


def remove_stale_days(root: Path, keep: set[str]) -> list[str]:
    """Delete day folders under ``root`` that are not in ``keep`` (an earlier generation's days)."""
    removed = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and _DAY_DIR_RE.match(entry.name) and entry.name not in keep:
            shutil.rmtree(entry)
            removed.append(entry.name)
    return removed


def write_landing(calls: Iterable[dict], data_dir: Path | str) -> LandingReport:
    """Write get-call dicts as the synthetic landing zone (sorted by start_timestamp, call_id)."""
    ordered = sorted(calls, key=lambda call: (call["start_timestamp"], call["call_id"]))
    return write_landing_lines(((utc_day(c["start_timestamp"]), call_line(c)) for c in ordered), data_dir)
