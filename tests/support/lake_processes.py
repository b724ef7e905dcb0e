"""Writer and reader processes on one DuckLake, for the concurrency and crash tests.

    python -m tests.support.lake_processes writer --name a --clinics 40 --rounds 3 --control DIR [--party b --party r]
    python -m tests.support.lake_processes writer --name k --clinics 60 --control DIR --pause-at-commit
    python -m tests.support.lake_processes reader --name r --control DIR

The warehouse comes from the environment (`WAREHOUSE_URL`, … as the `warehouse_backend` fixture
sets it). Coordination is by files in ``--control`` (the test waits on them against deadlines):

* ``<name>.ready`` — the process is up (Dagster imported, lake attached); a writer then waits for
  every ``--party``'s ready file, so all of them are running before the first write;
* writer: materializes the real `synthetic_world` asset (clinics + lead records, one transaction)
  ``--rounds`` times, then writes ``<name>.done`` (JSON: successes and the conflicts it retried);
* ``--pause-at-commit``: the writer's connection stops just before the transaction's COMMIT — every
  statement of the asset has run, its Parquet files are written, nothing is committed — writes
  ``<name>.at_commit`` and waits for ``<name>.go`` (the crash test kills it there instead);
* reader: until ``stop`` appears, reads both tables in one read-only transaction (one snapshot) over
  and over and writes every distinct observation with its count to ``<name>.done``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

DEADLINE_S = 120.0
TABLES = ("raw.synthetic_clinics", "raw.synthetic_leads")


def wait_file(path: Path, deadline_s: float = DEADLINE_S) -> None:
    deadline = time.monotonic() + deadline_s
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {deadline_s} s")
        time.sleep(0.01)


def write_json(path: Path, payload: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload))
    tmp.rename(path)  # the test never reads half a file


class _PauseAtCommit:
    """The real connection; only COMMIT first signals ``at_commit`` and waits for ``go``."""

    def __init__(self, conn: Any, at_commit: Path, go: Path):
        self._conn, self._at_commit, self._go = conn, at_commit, go

    def execute(self, query: str, *args: Any, **kwargs: Any) -> Any:
        if query.strip().upper() == "COMMIT":
            self._at_commit.write_text("inside the transaction, before COMMIT\n")
            wait_file(self._go, deadline_s=600)
        return self._conn.execute(query, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def _warehouse(control: Path, name: str, pause: bool) -> Any:
    from pipelines.platform.resources import build_resources
    from pipelines.platform.settings import PipelineSettings

    resources = build_resources(PipelineSettings())
    if not pause:
        return resources
    real = resources["warehouse"]
    base = type(real)

    class PausingWarehouse(base):  # type: ignore[misc, valid-type]
        @contextmanager
        def get_connection(self) -> Iterator[Any]:
            with super().get_connection() as conn:
                yield _PauseAtCommit(conn, control / f"{name}.at_commit", control / f"{name}.go")

    fields = ("database", "lake_url", "lake_data_path", "lake_metadata_schema")
    return {**resources, "warehouse": PausingWarehouse(**{f: getattr(real, f) for f in fields})}


class _Conflicts(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "write conflict" in record.getMessage():
            self.count += 1


def writer(args: argparse.Namespace) -> int:
    import dagster as dg

    from assets.synthetic.assets import SYNTHETIC_CLINICS, SYNTHETIC_LEADS, synthetic_world

    control = Path(args.control)
    conflicts = _Conflicts()
    logging.getLogger("eve.warehouse").addHandler(conflicts)
    logging.getLogger("dagster").setLevel(logging.WARNING)
    resources = _warehouse(control, args.name, args.pause_at_commit)
    (control / f"{args.name}.ready").write_text("up\n")
    for party in args.party:
        wait_file(control / f"{party}.ready")
    successes = 0
    for _ in range(args.rounds):
        result = dg.materialize(
            [synthetic_world],
            selection=[SYNTHETIC_CLINICS, SYNTHETIC_LEADS],
            resources=resources,
            run_config={"ops": {"synthetic_world": {"config": {"n_clinics": args.clinics}}}},
            raise_on_error=False,
        )
        successes += int(result.success)
    write_json(control / f"{args.name}.done", {"successes": successes, "conflicts_retried": conflicts.count})
    return 0 if successes == args.rounds else 1


def read_once(conn: Any) -> tuple[int | None, ...]:
    """Both tables' row counts in one snapshot (None: the table does not exist yet)."""
    conn.execute("BEGIN TRANSACTION")
    try:
        present = {
            f"{schema}.{name}"
            for schema, name in conn.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
            ).fetchall()
        }
        counts = tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] if t in present else None for t in TABLES
        )
    finally:
        conn.execute("ROLLBACK")
    return counts


def reader(args: argparse.Namespace) -> int:
    from pipelines.platform.settings import PipelineSettings
    from pipelines.platform.warehouse import open_warehouse

    control = Path(args.control)
    seen: Counter[tuple[int | None, ...]] = Counter()
    errors: list[str] = []
    with open_warehouse(PipelineSettings(), read_only=True) as conn:
        read_once(conn)
        (control / f"{args.name}.ready").write_text("up\n")
        deadline = time.monotonic() + 600
        while not (control / "stop").exists() and time.monotonic() < deadline:
            try:
                seen[read_once(conn)] += 1
            except Exception as exc:  # a read that fails is a finding, reported to the test
                errors.append(f"{type(exc).__name__}: {exc}")
        seen[read_once(conn)] += 1
    write_json(
        control / f"{args.name}.done",
        {"seen": [[list(k), v] for k, v in seen.items()], "errors": errors[:20], "reads": sum(seen.values())},
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=("writer", "reader"))
    parser.add_argument("--name", required=True)
    parser.add_argument("--control", required=True)
    parser.add_argument("--clinics", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--party", action="append", default=[])
    parser.add_argument("--pause-at-commit", action="store_true")
    args = parser.parse_args(argv)
    return writer(args) if args.role == "writer" else reader(args)


if __name__ == "__main__":
    sys.exit(main())
