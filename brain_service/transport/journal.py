"""The per-call journal: what a live call has decided so far, on disk, so a crash loses nothing.

One append-only JSON-lines file per call under ``$DATA_DIR/brain/journal/<instance>/`` (path from
``contracts.layout``; ``BRAIN_JOURNAL_INSTANCE`` names the instance when several share a DATA_DIR). Lines are written as the call goes, one small line per state change that
matters (the conversation's delta: outcome, email, do-not-call, callback window, tool events,
caller lines; the transport's turn records; reconnects). Each append is one ``write`` of one line
(``O_APPEND``), opened and closed per append so a thousand calls hold no file descriptors; no
fsync unless ``BRAIN_JOURNAL_FSYNC`` (a written line survives kill -9 and an OOM kill; only a host
crash needs the fsync). When the call record is written the journal is removed.

Line kinds (``k``): ``open`` (call_id, created_at), ``conv`` (the conversation's delta, opaque
here), ``turn`` (a transport turn record), ``reconnect``. A reader skips a line that is not a JSON
object with a known ``k`` (a torn last line after kill -9, garbage) with one WARNING per file and
keeps every other line.

Ownership: a brain holds an exclusive ``flock`` on its instance folder's ``.owner.lock`` while it
runs. A second brain with the same instance name on the same DATA_DIR cannot take it and runs
without journals (WARNING) rather than finalise the live calls of the first as interrupted.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brain_service.logs import get_logger, log_event
from contracts.layout import DataLayout

logger = get_logger("journal")

KINDS = frozenset({"open", "conv", "turn", "reconnect"})
MAX_LINE_CHARS = 256 * 1024  # a longer line is split by delta key, an oversized part not written (WARNING)


class CallJournal:
    """Appends lines to one call's journal file (never raises: a failed write is a WARNING)."""

    __slots__ = ("call_id", "path", "fsync", "_opened", "_failed")

    def __init__(self, call_id: str, path: Path, *, fsync: bool = False, existing: bool = False) -> None:
        self.call_id = call_id
        self.path = path
        self.fsync = fsync
        self._opened = existing
        self._failed = False

    def append(self, kind: str, body: dict[str, Any]) -> None:
        self.append_many([(kind, body)])

    def append_many(self, entries: list[tuple[str, dict[str, Any]]]) -> None:
        """Append one line per ``(kind, body)`` in a single write."""
        lines = []
        if not self._opened:
            self._opened = True
            lines.append(_line({"k": "open", "call_id": self.call_id}))
        for kind, body in entries:
            line = _line({"k": kind, **body})
            if len(line) <= MAX_LINE_CHARS:
                lines.append(line)
                continue
            delta = body.get("d")
            if kind == "conv" and isinstance(delta, dict) and len(delta) > 1:
                # each key of a delta restores on its own: split, so only an oversized part is lost
                parts = [_line({"k": kind, "d": {key: value}}) for key, value in delta.items()]
            else:
                parts = [line]
            for part in parts:
                if len(part) <= MAX_LINE_CHARS:
                    lines.append(part)
                else:
                    log_event(logger, logging.WARNING, "journal_line_too_long", call_id=self.call_id, chars=len(part))
        if lines:
            self._write("".join(lines))

    def _write(self, text: str) -> None:
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except FileNotFoundError:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            except OSError as exc:
                self._warn(exc)
                return
        except OSError as exc:
            self._warn(exc)
            return
        try:
            os.write(fd, text.encode("ascii"))
            if self.fsync:
                os.fsync(fd)
        except OSError as exc:
            self._warn(exc)
        finally:
            os.close(fd)

    def _warn(self, exc: OSError) -> None:
        if not self._failed:  # once per call: a full disk must not flood the log
            self._failed = True
            log_event(logger, logging.WARNING, "journal_write_failed", call_id=self.call_id, error=str(exc))

    def remove(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            log_event(logger, logging.WARNING, "journal_remove_failed", call_id=self.call_id, error=str(exc))


def _line(entry: dict[str, Any]) -> str:
    # ASCII with escapes: a lone surrogate or any byte sequence round-trips, and encoding never fails
    return json.dumps(entry, ensure_ascii=True, separators=(",", ":"), default=str) + "\n"


@dataclass
class JournalContents:
    """One journal file read back: its entries in order, and what was skipped."""

    path: Path
    call_id: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0
    torn_tail: bool = False


def read_journal(path: Path) -> JournalContents | None:
    """The usable lines of ``path`` (None when it cannot be read at all; WARNING either way)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        log_event(logger, logging.WARNING, "journal_unreadable", path=str(path), error=str(exc))
        return None
    contents = JournalContents(path, call_id_from_name(path))
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        contents.torn_tail = True  # the last write did not finish (kill -9 mid-line): that line is dropped
    for index, chunk in enumerate(lines):
        if contents.torn_tail and index == len(lines) - 1:
            contents.skipped += 1
            continue
        try:
            entry = json.loads(chunk.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            contents.skipped += 1
            continue
        if not isinstance(entry, dict) or entry.get("k") not in KINDS:
            contents.skipped += 1
            continue
        if entry["k"] == "open" and isinstance(entry.get("call_id"), str) and entry["call_id"]:
            contents.call_id = entry["call_id"]
        contents.entries.append(entry)
    if contents.skipped:
        log_event(
            logger,
            logging.WARNING,
            "journal_lines_skipped",
            path=str(path),
            skipped=contents.skipped,
            kept=len(contents.entries),
            torn_last_line=contents.torn_tail,
        )
    return contents


def call_id_from_name(path: Path) -> str:
    """The call id part of ``<call_id>.<started_ms>.jsonl`` (used when the open line was lost)."""
    stem = path.name[: -len(".jsonl")] if path.name.endswith(".jsonl") else path.name
    head, _, tail = stem.rpartition(".")
    return head if head and tail.isdigit() else stem


class JournalDirectory:
    """The journal folder of one brain instance under a DATA_DIR, and this process's claim on it."""

    def __init__(self, data_dir: Path, instance: str = "main", *, fsync: bool = False) -> None:
        self.layout = DataLayout(Path(data_dir))
        self.instance = instance
        self.folder = self.layout.brain_journal(instance)
        self.fsync = fsync
        self._lock_fd: int | None = None

    @property
    def owned(self) -> bool:
        return self._lock_fd is not None

    def claim(self) -> bool:
        """Take the owner lock (False, with a WARNING, when another live brain holds it)."""
        if self._lock_fd is not None:
            return True
        folder = self.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.layout.brain_journal_lock(self.instance), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            log_event(logger, logging.WARNING, "journal_disabled", reason="not writable", error=str(exc))
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            log_event(
                logger,
                logging.WARNING,
                "journal_disabled",
                reason="another brain process owns this journal folder (give each instance its own "
                "BRAIN_JOURNAL_INSTANCE)",
                folder=str(folder),
            )
            return False
        self._lock_fd = fd
        return True

    def release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    def new_journal(self, call_id: str, started_at_epoch: float) -> CallJournal:
        path = self.layout.brain_call_journal(self.instance, call_id, started_at_epoch)
        return CallJournal(call_id, path, fsync=self.fsync)

    def orphans(self) -> list[JournalContents]:
        """Every journal left on disk (by a process that died before finishing its calls)."""
        found = []
        for path in sorted(self.folder.glob("*.jsonl")):
            contents = read_journal(path)
            if contents is not None:
                found.append(contents)
        return found
