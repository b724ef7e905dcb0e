"""One warehouse transaction, retried when DuckLake refuses its commit because of a write conflict.

On the embedded file one writer process holds the warehouse, so a transaction never meets another.
On DuckLake several writers commit at once: appends from two transactions both commit, but two
transactions that delete from (or update, or merge into) the same table conflict and the later
COMMIT fails ("Transaction conflict - attempting to delete from table … but another transaction
has deleted from it"). The failed transaction is rolled back whole (temp tables included), so a
body that is idempotent by design — the call-data loaders merge by key — simply runs again in a
fresh transaction that sees the other writer's commit. Any other error rolls back and is raised.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import duckdb

T = TypeVar("T")
CONFLICT_MARK = "Transaction conflict"
ATTEMPTS = 6
FIRST_BACKOFF_S = 0.05


def is_write_conflict(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.TransactionException) and CONFLICT_MARK in str(exc)


def _rollback(conn: Any) -> None:
    try:
        conn.execute("ROLLBACK")
    except duckdb.TransactionException:
        pass  # a failed COMMIT already ended the transaction


def in_transaction(
    conn: Any,
    body: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    backoff_s: float = FIRST_BACKOFF_S,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``body()`` between BEGIN and COMMIT; on a DuckLake write conflict run it again (at most
    ``attempts`` times, doubling the pause), else roll back and raise."""
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
        sleep(backoff_s * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises
