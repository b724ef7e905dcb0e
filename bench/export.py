"""Benchmark of the Supabase export: first load and a rerun with 1 % changed, on real PostgreSQL.

Builds a DuckDB warehouse with the marts the export reads (the export tests' fixture generator:
`--leads` leads, `--calls` calls and as many journeys), creates a scratch database on
127.0.0.1:5432 (or `--admin-url`), exports everything, reruns with nothing changed, changes
`--changed` percent of every table in DuckDB and reruns again. The rerun's writes are read from
PostgreSQL's own counters (pg_stat_user_tables), so "only changed rows written" is measured, not
assumed. The scratch database is dropped at the end (`--keep` keeps it).

    .venv/bin/python bench/export.py --leads 1000000 --calls 100000     # make bench-export
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import duckdb  # noqa: E402
import psycopg  # noqa: E402

from pipelines.exports.connection import ExportConfig, connect  # noqa: E402
from pipelines.exports.schema import apply_schema  # noqa: E402
from pipelines.exports.tables import EXPORT_TABLES  # noqa: E402
from pipelines.exports.upsert import TableCounts, export_all  # noqa: E402
from tests.support.exports import write_marts  # noqa: E402

# One changed column per table, on every 1/fraction-th row (deterministic).
CHANGES = {
    "ont_leads": "UPDATE marts.lead_status SET status = 'callback', attempts = attempts + 1 "
    "WHERE hash(lead_id) % 10000 < $bp",
    "ont_calls": "UPDATE staging.calls SET call_status = 'error' WHERE hash(call_id) % 10000 < $bp",
    "ont_call_outcomes": "UPDATE marts.customer_journeys SET outcome = 'email_captured', "
    "captured_email = 'late@clinic.example', follow_up_allowed = true "
    "WHERE hash(call_id) % 10000 < $bp AND outcome <> 'email_captured'",
}


def _writes(pg: psycopg.Connection) -> dict[str, tuple[int, int]]:
    pg.execute("SELECT pg_stat_force_next_flush()")
    rows = pg.execute(
        "SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = ANY(%s)",
        ([t.name for t in EXPORT_TABLES],),
    ).fetchall()
    return {name: (int(ins), int(upd)) for name, ins, upd in rows}


def _run(label: str, duck, pg, batch_size: int) -> tuple[float, list[TableCounts], dict[str, tuple[int, int]]]:
    last = {"t": 0.0}

    def progress(table: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last["t"] > 2:
            last["t"] = now
            print(f"  [{label}] {table}: {done:,}/{total:,}", flush=True)

    before = _writes(pg)
    start = time.perf_counter()
    counts = export_all(duck, pg, batch_size=batch_size, progress=progress)
    seconds = time.perf_counter() - start
    after = _writes(pg)
    delta = {t: (after[t][0] - before.get(t, (0, 0))[0], after[t][1] - before.get(t, (0, 0))[1]) for t in after}
    return seconds, counts, delta


def _report(label: str, seconds: float, counts: list[TableCounts], writes: dict[str, tuple[int, int]]) -> None:
    rows = sum(c.source_rows for c in counts)
    print(f"{label}: {seconds:.1f} s for {rows:,} source rows ({rows / seconds:,.0f} rows/s)")
    for c in counts:
        ins, upd = writes.get(c.table, (0, 0))
        print(
            f"  {c.table:<18} inserted {c.inserted:>9,}  updated {c.updated:>7,}  unchanged {c.unchanged:>9,}"
            f"  | postgres wrote: {ins:,} inserts, {upd:,} updates"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--changed", type=float, default=1.0, help="percent of rows changed before the rerun")
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    db = f"eve_bench_export_{os.getpid()}"
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    url = args.admin_url.rsplit("/", 1)[0] + "/" + db
    try:
        with tempfile.TemporaryDirectory(prefix="eve-bench-export-") as tmp:
            warehouse = Path(tmp) / "warehouse.duckdb"
            t0 = time.perf_counter()
            write_marts(warehouse, leads=args.leads, calls=args.calls)
            print(f"marts: {args.leads:,} leads, {args.calls:,} calls + journeys in {time.perf_counter() - t0:.1f} s")
            with duckdb.connect(str(warehouse)) as duck, connect(ExportConfig(url, batch_size=args.batch_size)) as pg:
                apply_schema(pg)
                results = [("first load", *_run("first", duck, pg, args.batch_size))]
                results.append(("rerun, nothing changed", *_run("same", duck, pg, args.batch_size)))
                bp = int(args.changed * 100)
                for sql in CHANGES.values():
                    duck.execute(sql, {"bp": bp})
                results.append((f"rerun, {args.changed:g} % changed", *_run("changed", duck, pg, args.batch_size)))
        print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")
        for label, seconds, counts, writes in results:
            _report(label, seconds, counts, writes)
    finally:
        if not args.keep:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
