"""`make leads` timed end to end: the command itself as a subprocess, from start to the printed queue.

    .venv/bin/python bench/make_leads.py                     # 1,000,000 rows, embedded DuckDB file
    .venv/bin/python bench/make_leads.py --backend ducklake  # the same on DuckLake (PostgreSQL 127.0.0.1:5432)
    .venv/bin/python bench/make_leads.py --backend ducklake-s3  # DuckLake, data in a bucket of moto on loopback
    .venv/bin/python bench/make_leads.py --rows 100000 --repeat 3

Generates the same deterministic CSV as `bench/leads.py` (bench/out/), then runs
`make leads INPUT=<csv>` on a fresh warehouse under bench/out/ and reports the wall time, the CPU
seconds of the whole process tree (user + system, from the children's rusage), the peak RSS of the
largest process in it (make's python: DuckDB runs inside it), the machine's load average before and
after (other work on the same cores inflates wall time, not CPU seconds) and the counts the command
printed. Everything `make leads` does is inside the figure: interpreter and Dagster start-up, the
assets, the queue CSV export and the serving publish.

DuckLake: a PostgreSQL database `eve_bench_leads_<pid>` is created for the run (as the `postgres`
user on 127.0.0.1:5432, no password) and dropped afterwards; data goes under the run's folder, or
with `ducklake-s3` into a fresh bucket of an S3 server on loopback (moto's `ThreadedMotoServer`, a dev
dependency, in this process: its CPU is not in the tree's figure but shares the cores).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.leads import benchmark_csv  # noqa: E402  (bench/ is run as a script)

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
COUNTS_RE = re.compile(
    r"lead factory: (?P<loaded>\d+) records loaded, (?P<rejected>\d+) rejected -> (?P<scored>\d+) leads scored, "
    r"(?P<qualified>\d+) qualified"
)
QUEUE_RE = re.compile(r"call queue: (?P<queued>\d+) leads")


def admin_sql(sql: str) -> None:
    """Run one statement as PostgreSQL's admin (create / drop the run's lake database)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def s3_server() -> tuple[Any, str]:
    """A moto S3 server on a free loopback port (requests unauthenticated) and its host:port."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # an access-log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"{host}:{port}"


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    import boto3

    boto3.client(
        "s3", endpoint_url=f"http://{endpoint}", aws_access_key_id="bench", aws_secret_access_key="bench"
    ).create_bucket(Bucket=bucket)
    return {
        "WAREHOUSE_DATA_PATH": f"s3://{bucket}/lake",
        "WAREHOUSE_S3_ACCESS_KEY_ID": "bench",
        "WAREHOUSE_S3_SECRET_ACCESS_KEY": "bench",
        "WAREHOUSE_S3_ENDPOINT": endpoint,
        "WAREHOUSE_S3_URL_STYLE": "path",
        "WAREHOUSE_S3_USE_SSL": "false",
    }


def run_once(csv_path: Path, backend: str, out_dir: Path, endpoint: str = "") -> dict:
    work = Path(tempfile.mkdtemp(prefix="make_leads_", dir=out_dir))
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAREHOUSE_")}
    env["DATA_DIR"] = str(work / "data")
    env["WAREHOUSE_PATH"] = str(work / "data" / "warehouse.duckdb")
    database = None
    if backend.startswith("ducklake"):
        database = f"eve_bench_leads_{os.getpid()}"
        admin_sql(f'DROP DATABASE IF EXISTS "{database}"')
        admin_sql(f'CREATE DATABASE "{database}"')
        env["WAREHOUSE_URL"] = f"ducklake:postgres:host=127.0.0.1 port=5432 user=postgres dbname={database}"
        env["WAREHOUSE_DATA_PATH"] = str(work / "lake")
        if backend == "ducklake-s3":
            env.update(s3_env(endpoint, f"bench-{work.name.replace('_', '-').lower()}"))
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        done = subprocess.run(
            ["make", "--no-print-directory", "leads", f"INPUT={csv_path}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"make leads failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        counts = COUNTS_RE.search(done.stdout)
        queue = QUEUE_RE.search(done.stdout)
        return {
            "backend": backend,
            "wall_seconds": round(wall, 2),
            "cpu_seconds": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
            # ru_maxrss of RUSAGE_CHILDREN: the largest descendant's peak (KiB on Linux)
            "peak_rss_mib": round(after.ru_maxrss / 1024, 1),
            "load_avg_1m_before": round(load_before, 2),
            "load_avg_1m_after": round(os.getloadavg()[0], 2),
            "records_loaded": int(counts["loaded"]) if counts else None,
            "records_rejected": int(counts["rejected"]) if counts else None,
            "leads_scored": int(counts["scored"]) if counts else None,
            "qualified": int(counts["qualified"]) if counts else None,
            "queued": int(queue["queued"]) if queue else None,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if database:
            admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("embedded", "ducklake", "ducklake-s3"), default="embedded")
    parser.add_argument("--repeat", type=int, default=1, help="runs in a row (each on a fresh warehouse)")
    args = parser.parse_args()

    out_dir = ROOT / "bench" / "out"
    csv_path = benchmark_csv(args.rows)
    subprocess.run(["make", "--no-print-directory", "install"], cwd=ROOT, check=True)  # not part of the figure
    server, endpoint = s3_server() if args.backend == "ducklake-s3" else (None, "")
    try:
        runs = [run_once(csv_path, args.backend, out_dir, endpoint) for _ in range(args.repeat)]
    finally:
        if server is not None:
            server.stop()
    for run in runs:
        print(json.dumps({"rows": args.rows, **run}))
    target = 10 if args.backend == "embedded" else 20
    best = min(runs, key=lambda r: r["wall_seconds"])
    met = best["wall_seconds"] <= target and max(r["peak_rss_mib"] for r in runs) <= 1536
    print(f"target (<= {target} s, <= 1536 MiB at 1M rows, {args.backend}): {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
