"""The attempt ledger (`raw.call_attempts`): its own DuckDB file, appended under an exclusive lock.

The dispatcher never opens the warehouse (so it never waits on a long asset and a long asset never
waits on it): attempts live in `$DATA_DIR/state/call_attempts.duckdb`, and the `raw.call_attempts`
asset copies them into the warehouse for the dial queue and the reports. Every read-check-append
happens while holding `fcntl.flock` on a lock file next to it, so two dispatchers (threads or
processes) never both take the last slot of a daily cap. Connections are opened per step and closed
at once; the lock is held for milliseconds.

Each dispatcher also holds an *owner* lock for its lifetime; a `planned` attempt whose owner lock
is free belongs to a dispatcher that died (kill -9) and is reconciled by the next one.
"""

from __future__ import annotations

import fcntl
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipelines.platform.sql import read_sql, run_sql_file

COUNTED = ("planned", "dispatched", "unknown")
_COLUMNS = (
    "attempt_id",
    "campaign",
    "lead_id",
    "phone_e164",
    "local_day",
    "planned_at",
    "status",
    "reason",
    "call_id",
    "error",
    "prompt_version",
    "dry_run",
    "owner",
    "recorded_at",
)


def _naive_utc(ts: datetime) -> datetime:
    return ts.astimezone(UTC).replace(tzinfo=None) if ts.tzinfo else ts


@dataclass(frozen=True)
class Attempt:
    attempt_id: str
    campaign: str
    lead_id: str
    phone_e164: str | None
    local_day: date | None
    planned_at: datetime
    status: str
    reason: str | None = None
    call_id: str | None = None
    error: str | None = None
    prompt_version: str | None = None
    dry_run: bool = False
    owner: str | None = None

    def moved(self, status: str, **changes: Any) -> Attempt:
        return replace(self, status=status, **changes)


@dataclass(frozen=True)
class Usage:
    cap_used: int
    lead_attempts: int
    last_attempt_at: datetime | None
    last_minute: int


def new_attempt_id() -> str:
    return "att_" + uuid.uuid4().hex


class Ledger:
    """The ledger file and its locks under `state_dir`."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.path = state_dir / "call_attempts.duckdb"
        self.lock_path = state_dir / "call_attempts.lock"
        self.owners_dir = state_dir / "dispatchers"

    @contextmanager
    def locked(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """An open connection to the ledger, held under the exclusive ledger lock."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                conn = duckdb.connect(str(self.path))
                try:
                    run_sql_file(conn, "raw/call_attempts.sql")
                    yield conn
                finally:
                    conn.close()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def append(conn: duckdb.DuckDBPyConnection, *attempts: Attempt) -> None:
        now = datetime.now(UTC).replace(tzinfo=None)
        next_seq = int(conn.execute(read_sql("raw/call_attempts/next_seq.sql")).fetchone()[0])
        rows = []
        for offset, a in enumerate(attempts):
            row = asdict(a)
            row["planned_at"] = _naive_utc(a.planned_at)
            row["recorded_at"] = now
            rows.append([next_seq + offset, *(row[c] for c in _COLUMNS)])
        conn.executemany(
            f"INSERT INTO raw.call_attempts (seq, {', '.join(_COLUMNS)}) VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})",
            rows,
        )

    @staticmethod
    def usage(conn: duckdb.DuckDBPyConnection, campaign: str, lead_id: str, day: date, since: datetime) -> Usage:
        params = {"campaign": campaign, "lead_id": lead_id, "local_day": day, "since_minute": _naive_utc(since)}
        row = conn.execute(read_sql("raw/call_attempts/usage.sql"), params).fetchone()
        return Usage(int(row[0]), int(row[1]), row[2], int(row[3]))

    @staticmethod
    def current(conn: duckdb.DuckDBPyConnection, where: str = "true", params: list | None = None) -> list[Attempt]:
        """Current state of attempts matching a fixed SQL predicate (our own code only; values bound)."""
        cols = ", ".join(c for c in _COLUMNS if c != "recorded_at")
        rows = conn.execute(f"SELECT {cols} FROM raw.call_attempts_current WHERE {where} ORDER BY seq", params or [])
        return [Attempt(*r) for r in rows.fetchall()]

    def read_all(self) -> list[Attempt]:
        with self.locked() as conn:
            return self.current(conn)

    # ---- owners ---------------------------------------------------------------------------
    def claim_owner(self) -> tuple[str, Any]:
        """A fresh owner id and its held lock handle (released when the process dies)."""
        self.owners_dir.mkdir(parents=True, exist_ok=True)
        owner = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        handle = open(self.owners_dir / f"{owner}.lock", "a+")  # noqa: SIM115 - held for the dispatcher's life
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return owner, handle

    def owner_alive(self, owner: str | None) -> bool:
        if not owner:
            return False
        path = self.owners_dir / f"{owner}.lock"
        if not path.exists():
            return False
        with open(path, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
        return False

    def release_owner(self, owner: str, handle: Any) -> None:
        handle.close()
        (self.owners_dir / f"{owner}.lock").unlink(missing_ok=True)
