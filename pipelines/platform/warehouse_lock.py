"""One command at a time on the warehouse, and a clear word when another one holds it.

DuckDB lets one process write a database file. Two `make leads` (or `make leads` while `make money`
runs) used to collide inside a run: dagster-duckdb retries the lock for ~100 s in silence and then
fails with a long traceback. Commands now take the warehouse first:

    with hold_warehouse(settings.warehouse_file, purpose="make leads", wait_seconds=600):
        ...  # materialize, copy, publish

* Between our own commands an advisory lock (`fcntl.flock` on `<warehouse>.lock`, released by the
  kernel when the holder dies — kill -9 included) decides; the lock file names its holder (pid,
  command, since when), so the waiting side prints `waiting for the warehouse (held by …)` at once.
* Any other process holding the DuckDB file itself (a Dagster UI run, an analyst's shell on the
  live file) is found by opening the file once, without retries; DuckDB names that process.

``wait_seconds=0`` fails fast with the same message; a positive value waits that long at most.

On DuckLake (`WAREHOUSE_URL` set) there is no file to hold: many writers commit at once.
`hold_configured_warehouse(settings, …)` takes the file lock on the embedded backend only, and on
the lake checks once that the lake can be attached, so a catalog that is down is one clear line
(`WarehouseUnavailable`) before any run starts.
"""

from __future__ import annotations

import fcntl
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.platform.warehouse import open_warehouse

_POLL_SECONDS = 0.1
_DUCKDB_HOLDER_RE = re.compile(r"Conflicting lock is held in (?P<holder>.+?)(?:\.\s|\.?$)", re.MULTILINE)


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse and we could not (or were told not to) wait."""


def lock_file(warehouse_file: Path) -> Path:
    return Path(warehouse_file).with_name(Path(warehouse_file).name + ".lock")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process"


def duckdb_holder(warehouse_file: Path) -> str | None:
    """Who holds the DuckDB file's own lock (DuckDB's words), or None when it can be opened now."""
    if not Path(warehouse_file).exists():
        return None
    try:
        duckdb.connect(str(warehouse_file)).close()
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" not in text.lower():
            raise
        match = _DUCKDB_HOLDER_RE.search(text)
        return match["holder"].strip() if match else text.splitlines()[0]
    return None


def _wait(
    what: Callable[[], str | None], *, warehouse_file: Path, wait_seconds: float, say: Callable[[str], None]
) -> None:
    """Poll ``what()`` (the holder, or None when free) until free or the deadline."""
    holder = what()
    if holder is None:
        return
    if wait_seconds <= 0:
        raise WarehouseBusy(f"the warehouse {warehouse_file} is busy (held by {holder}); run again when it is done")
    say(f"waiting for the warehouse (held by {holder}) — up to {wait_seconds:g} s")
    deadline = time.monotonic() + wait_seconds
    while holder is not None:
        if time.monotonic() >= deadline:
            raise WarehouseBusy(
                f"gave up waiting {wait_seconds:g} s for the warehouse {warehouse_file} (held by {holder})"
            )
        time.sleep(_POLL_SECONDS)
        now_holder = what()
        if now_holder is not None and now_holder != holder:
            say(f"waiting for the warehouse (now held by {now_holder})")
        holder = now_holder
    say("warehouse free: starting")


@contextmanager
def hold_warehouse(
    warehouse_file: Path, *, purpose: str, wait_seconds: float, say: Callable[[str], None] = _say
) -> Iterator[None]:
    """Hold the warehouse for the block (see the module docstring); raises WarehouseBusy."""
    warehouse_file = Path(warehouse_file)
    warehouse_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file(warehouse_file), os.O_RDWR | os.O_CREAT, 0o644)
    try:

        def flock_holder() -> str | None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return _read_holder(fd)
            return None

        _wait(flock_holder, warehouse_file=warehouse_file, wait_seconds=wait_seconds, say=say)
        try:
            since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} ({purpose}) since {since}\n".encode(), 0)
            _wait(
                lambda: duckdb_holder(warehouse_file),
                warehouse_file=warehouse_file,
                wait_seconds=wait_seconds,
                say=say,
            )
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def hold_configured_warehouse(
    settings: Any, *, purpose: str, wait_seconds: float, say: Callable[[str], None] = _say
) -> Iterator[None]:
    """`hold_warehouse` on the embedded file; on the lake, no lock, only an attach check.

    Raises WarehouseBusy (embedded) or WarehouseUnavailable (lake catalog unreachable)."""
    if settings.lake is None:
        with hold_warehouse(settings.warehouse_file, purpose=purpose, wait_seconds=wait_seconds, say=say):
            yield
        return
    open_warehouse(settings).close()
    yield


def failure_reason(error) -> str:
    """One line for a failed step (a Dagster SerializableErrorInfo chain): the DuckDB lock holder
    when the warehouse was busy, else the first line of the innermost message."""
    messages: list[str] = []
    while error is not None:
        messages.append(str(getattr(error, "message", "") or "").strip())
        error = getattr(error, "cause", None) or getattr(error, "context", None)
    for message in messages:
        match = _DUCKDB_HOLDER_RE.search(message)
        if match:
            return f"the warehouse is busy (held by {match['holder'].strip()})"
    meaningful = [m for m in messages if m]
    return meaningful[-1].splitlines()[0] if meaningful else "unknown error"
