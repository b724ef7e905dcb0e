"""Benchmark of the Retell call sync against the fake Retell API, plus landing → raw → staging.

The fake server (tests/fakes/fake_retell.py) runs in its own process on a loopback port, so the
sync's client and the server do not share a GIL. Prints calls/s of the sync and the seconds of
the DuckDB load and staging build for the same calls. Examples:

    .venv/bin/python bench/sync.py --calls 10000 --concurrency 16 --stage   # sync + load + staging
    .venv/bin/python bench/sync.py --calls 100000 --no-sync                  # load + staging only
    .venv/bin/python bench/sync.py --calls 100000 --no-sync --lake           # the same on a scratch DuckLake
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.scratch_lake import scratch_lake  # noqa: E402
from pipelines.landing.files import RETELL_JSONL, scan  # noqa: E402
from pipelines.landing.retell import ensure_tables, load_retell_files  # noqa: E402
from pipelines.landing.staging import build_staging_tables, phone_params  # noqa: E402
from pipelines.platform.settings import PipelineSettings  # noqa: E402
from pipelines.platform.warehouse import open_warehouse  # noqa: E402
from pipelines.retell.config import SyncConfig  # noqa: E402
from pipelines.retell.sync import sync_calls  # noqa: E402
from tests.fakes.retell_call_factory import make_call  # noqa: E402


def start_fake(calls: int, fail_every: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.fake_retell",
            "--calls",
            str(calls),
            "--fail-every",
            str(fail_every),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit("fake Retell server did not start")
    return proc, base_url


def load_and_stage(data: Path) -> dict:
    """Load every landing JSONL under `data` into a fresh warehouse (the file `wh.duckdb`, or the
    scratch lake of `--lake`) and build staging; seconds."""
    out: dict = {}
    phone_params()  # the NANP pattern is built once per process (~1-2 s); not part of a load
    with open_warehouse(PipelineSettings(data_dir=data, warehouse_path=data / "wh.duckdb")) as conn:
        t = time.perf_counter()
        ensure_tables(conn)
        counts = load_retell_files(
            conn, scan(data / "landing", (RETELL_JSONL,)), datetime.now(UTC).replace(tzinfo=None)
        )
        out["load_raw_seconds"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        build_staging_tables(conn)
        out["staging_seconds"] = round(time.perf_counter() - t, 2)
        out["raw_rows"] = counts.loaded
        out["staging_calls"] = conn.execute("SELECT count(*) FROM staging.calls").fetchone()[0]
        out["transcript_lines"] = conn.execute("SELECT count(*) FROM staging.transcript_lines").fetchone()[0]
    return out


def run_sync(args: argparse.Namespace, data: Path) -> dict:
    proc, base_url = start_fake(args.calls, args.fail_every)
    try:
        config = SyncConfig(
            api_key="key_test_fake",
            base_url=base_url,
            landing_dir=data / "landing" / "retell_calls" / "api",
            state_file=data / "state" / "retell_sync.json",
            lookback_ms=10**13,
            pending_max_age_ms=10**13,
            concurrency=args.concurrency,
            sdk_max_retries=2,
            backoff_s=0.05,
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        report = sync_calls(config)
        sync_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        # calls per client CPU-second: what one dedicated core would sustain (the machine is shared)
        return {
            "fetched": report.fetched,
            "sync_seconds": round(sync_s, 2),
            "calls_per_second": round(report.fetched / sync_s, 1),
            "client_cpu_seconds": round(cpu_s, 2),
            "calls_per_cpu_second": round(report.fetched / cpu_s, 1),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_landing(calls: int, data: Path) -> float:
    day = data / "landing" / "retell_calls" / "synthetic" / "2026-01-01"
    day.mkdir(parents=True)
    with open(day / "calls.jsonl", "w", encoding="utf-8") as fh:
        for i in range(calls):
            fh.write(json.dumps(make_call(i), sort_keys=True) + "\n")
    return round((day / "calls.jsonl").stat().st_size / 1e6, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description="Retell sync benchmark against the fake API")
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--fail-every", type=int, default=0, help="inject a 429/500 every n-th get-call")
    parser.add_argument("--stage", action="store_true", help="also load raw.retell_calls and build staging")
    parser.add_argument("--lake", action="store_true", help="load into a scratch DuckLake instead of a DuckDB file")
    parser.add_argument(
        "--no-sync",
        action="store_true",
        help="skip the API: write the calls as one landing JSONL file, time load + staging",
    )
    args = parser.parse_args()
    out: dict = {"calls": args.calls, "warehouse": "ducklake" if args.lake else "embedded"}
    with tempfile.TemporaryDirectory() as tmp, scratch_lake(enabled=args.lake):
        data = Path(tmp)
        if args.no_sync:
            out["landing_mb"] = write_landing(args.calls, data)
        else:
            out["concurrency"] = args.concurrency
            out.update(run_sync(args, data))
        if args.stage or args.no_sync:
            out.update(load_and_stage(data))
    out["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
