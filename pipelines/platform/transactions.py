"""One warehouse transaction, rerun whole when a concurrent writer won a conflict on the same table.

On DuckLake, writers in different processes commit independently: two transactions that replace
or delete from the same table conflict at commit ("Transaction conflict - attempting to drop table
… but another transaction has dropped it already"); the later one is rolled back with nothing of
it visible. DuckLake itself retries a commit that only lost the race for the next snapshot id
(`ducklake_max_retry_count`); a real conflict on the same table needs the *work* redone on the new
snapshot, which only the caller can do. `in_transaction(conn, body)` runs ``body()`` between
BEGIN and COMMIT and, on such a conflict, rolls back and reruns ``body`` — bounded attempts,
jittered exponential backoff, one log line per retry. Users: the model-asset factory, the
synthetic world, the call-data loaders.

Only for a body that is the asset's whole warehouse write and idempotent (it rebuilds its tables
from its inputs): nothing of a failed attempt was committed, so a rerun is as if the first never
ran. Never wrap side effects (n8n pushes, dialing, exports to PostgreSQL) in it. The embedded file
has one writer process, so there the loop simply runs once (a conflict between two cursors of one
process is retried the same way).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

T = TypeVar("T")
LOG = logging.getLogger("eve.warehouse")
CONFLICT_MARK = "Transaction conflict"
ATTEMPTS = 6
FIRST_BACKOFF_S = 0.05
MAX_BACKOFF_S = 2.0


def is_write_conflict(exc: BaseException) -> bool:
    """A commit that lost to a concurrent writer (safe to redo), as DuckDB/DuckLake report it."""
    return isinstance(exc, duckdb.TransactionException) and CONFLICT_MARK.lower() in str(exc).lower()


def backoff_seconds(attempt: int, first_s: float = FIRST_BACKOFF_S, rng: random.Random | None = None) -> float:
    """Wait before attempt ``attempt + 1``: exponential, capped, jittered (two losers do not retry in step)."""
    ceiling = min(MAX_BACKOFF_S, first_s * 2 ** (attempt - 1))
    return (rng or random).uniform(ceiling / 2, ceiling)


def in_transaction(
    conn: Any,
    body: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    backoff_s: float = FIRST_BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
    label: str = "a warehouse transaction",
    log: logging.Logger = LOG,
) -> T:
    """``body()`` between BEGIN and COMMIT; on a write conflict rolled back and run again whole (at
    most ``attempts`` times, jittered doubling pause, one warning each), any other error rolled back
    and raised."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    for attempt in range(1, attempts + 1):
        conn.execute("BEGIN TRANSACTION")
        try:
            result = body()
            conn.execute("COMMIT")
            return result
        except BaseException as exc:
            _rollback(conn)
            if not is_write_conflict(exc) or attempt == attempts:
                raise
            wait = backoff_seconds(attempt, backoff_s)
            log.warning(
                "warehouse: %s lost a write conflict to a concurrent writer (attempt %d of %d); "
                "running it again whole in %.2f s: %s",
                label,
                attempt,
                attempts,
                wait,
                str(exc).splitlines()[0][:200],
            )
        sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _rollback(conn: Any) -> None:
    """Roll back what is left of the transaction (a failed COMMIT already ended it: nothing to do)."""
    try:
        conn.execute("ROLLBACK")
    except duckdb.Error:
        pass
