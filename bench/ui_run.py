"""Benchmark: the `journeys_and_revenue_ops` job launched the way the Dagster UI launches it vs in process.

1. A fresh DATA_DIR and DAGSTER_HOME (the repository's dagster.yaml copied in, as `make run` does);
   `python -m pipelines.commands.report` fills the warehouse (synthetic world → calls → journeys → revenue ops).
2. In process: the job's selection materialized with `dg.materialize` on that instance, REPEAT times
   (what the `make run` bootstrap and `make report` do).
3. UI: `dagster dev -w workspace.yaml` (webserver + daemon) on 127.0.0.1, and the job launched through
   the webserver's GraphQL `launchPipelineExecution` mutation — the "Materialize all" button — REPEAT
   times; each is timed from the mutation to the run's terminal status, and the next one starts only
   when the instance is quiet again (the serving-copy publish the sensor triggers has finished).

    .venv/bin/python bench/ui_run.py --repeat 3 [--backend embedded|ducklake [--parallel-steps]] [--json out.json]

`--backend ducklake` runs the same on a DuckLake: a fresh catalog database on the PostgreSQL at
`--pg` (default 127.0.0.1:5432, user postgres; dropped at the end) and Parquet under the benchmark's
folder; the instance gets the lake's `duckdb_write` limit (pipelines/platform/pools.py) as `make run`
does. `--parallel-steps` sets WAREHOUSE_PARALLEL_STEPS=true (the lake's parallel-steps executor). The report prints how many steps of the UI run overlapped (max steps in flight at once).

Prints every timing and a summary line (medians and their ratio). Loopback only.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
JOB = "journeys_and_revenue_ops"
LOCATION = "pipelines"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
BUSY = ["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"]

LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"
LAUNCH = """mutation($p: ExecutionParams!) { launchPipelineExecution(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on PythonError { message }
  ... on InvalidSubsetError { message } ... on RunConfigValidationInvalid { errors { message } } } }"""
RUN = "query($id: ID!) { runOrError(runId: $id) { ... on Run { status startTime endTime } } }"
STEPS = """query($id: ID!) { runOrError(runId: $id) { ... on Run {
  stepStats { stepKey status startTime endTime } } } }"""
BUSY_RUNS = "query($s: [RunStatus!]) { runsOrError(filter: {statuses: $s}) { ... on Runs { results { runId } } } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(port: int, query: str, variables: dict | None = None, timeout: float = 15.0) -> dict:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        payload = json.loads(response.read())
    if "errors" in payload:
        raise RuntimeError(f"GraphQL error: {payload['errors']}")
    return payload["data"]


class DagsterDev:
    """`dagster dev -w workspace.yaml` (webserver + daemon) on 127.0.0.1:<port>, in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None):
        self.env, self.log_path, self.port = env, log_path, port or free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> DagsterDev:
        dagster = str(Path(sys.executable).with_name("dagster"))
        cmd = [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(self.port)]
        self._log = open(self.log_path, "wb")  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self.wait_loaded(deadline_s=180)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def wait_loaded(self, deadline_s: float) -> None:
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"dagster dev exited ({self.proc.returncode}); see {self.log_path}")
            try:
                entries = graphql(self.port, LOCATIONS, timeout=5)["workspaceOrError"]["locationEntries"]
                if any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries):
                    return
            except (OSError, RuntimeError, KeyError, TypeError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"code location {LOCATION!r} not loaded within {deadline_s} s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()


def launch(port: int, job: str = JOB) -> str:
    """Launch `job` exactly as the UI's "Materialize all" does (launchPipelineExecution); the run id."""
    selector = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__", "jobName": job}
    result = graphql(port, LAUNCH, {"p": {"selector": selector, "runConfigData": {}}})["launchPipelineExecution"]
    if result["__typename"] != "LaunchRunSuccess":
        raise RuntimeError(f"launch refused: {result}")
    return result["run"]["runId"]


def wait_run(port: int, run_id: str, deadline_s: float) -> dict:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        run = graphql(port, RUN, {"id": run_id})["runOrError"]
        if run.get("status") in TERMINAL:
            return run
        time.sleep(0.1)
    raise TimeoutError(f"run {run_id} not finished within {deadline_s} s")


def wait_quiet(port: int, deadline_s: float) -> None:
    """Until no run is queued or in flight (e.g. the serving publish triggered by the last run)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if not graphql(port, BUSY_RUNS, {"s": BUSY})["runsOrError"]["results"]:
            return
        time.sleep(0.2)
    raise TimeoutError(f"runs still in flight after {deadline_s} s")


def max_overlap(port: int, run_id: str) -> int:
    """The most steps of the run in flight at the same moment (1 = strictly one after another)."""
    stats = graphql(port, STEPS, {"id": run_id})["runOrError"]["stepStats"]
    edges = sorted(
        [(s["startTime"], 1) for s in stats if s["startTime"]] + [(s["endTime"], -1) for s in stats if s["endTime"]]
    )
    live = peak = 0
    for _, delta in edges:
        live += delta
        peak = max(peak, live)
    return peak


def create_lake_database(pg: str) -> str:
    import uuid

    import psycopg

    name = f"eve_bench_ui_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"postgresql://postgres@{pg}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_lake_database(pg: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"postgresql://postgres@{pg}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(
    base: Path, lake_database: str | None = None, pg: str = "127.0.0.1:5432", parallel_steps: bool = False
) -> dict[str, str]:
    """A fresh DATA_DIR and DAGSTER_HOME (with the repository's dagster.yaml) for this benchmark."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_", "DATA_DIR", "WAREHOUSE_", "SERVING_"))}
    env["DATA_DIR"] = str(base / "data")
    env["DAGSTER_HOME"] = str(base / "dagster_home")
    env["PYTHONPATH"] = str(ROOT)
    if lake_database:
        host, port = pg.split(":")
        env["WAREHOUSE_URL"] = f"ducklake:postgres:host={host} port={port} user=postgres dbname={lake_database}"
        env["WAREHOUSE_DATA_PATH"] = str(base / "lake")
        env["WAREHOUSE_PARALLEL_STEPS"] = "true" if parallel_steps else "false"
    from pipelines.commands.launcher import prepare_dagster_home

    prepare_dagster_home(env)
    subprocess.run(  # the backend's duckdb_write limit, as `make run` sets it
        [sys.executable, "-m", "pipelines.commands.pools"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return env


def fill_warehouse(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipelines.commands.report"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def in_process_seconds(env: dict[str, str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (this process, user + system) of each in-process run."""
    os.environ.update(env)
    logging.getLogger("dagster").setLevel(logging.WARNING)
    import dagster as dg

    from assets.journeys.automation import JOURNEYS_AND_REVENUE_OPS
    from pipelines.definitions import defs
    from pipelines.platform.resources import build_resources
    from pipelines.platform.settings import PipelineSettings

    times, cpu = [], []
    with dg.DagsterInstance.get() as instance:
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = dg.materialize(
                [*defs.assets, *(defs.asset_checks or [])],
                selection=JOURNEYS_AND_REVENUE_OPS,
                resources=build_resources(PipelineSettings()),
                instance=instance,
                raise_on_error=False,
            )
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            if not result.success:
                raise RuntimeError("in-process run failed")
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--backend", choices=("embedded", "ducklake"), default="embedded")
    parser.add_argument("--parallel-steps", action="store_true", help="DuckLake: WAREHOUSE_PARALLEL_STEPS=true")
    parser.add_argument("--pg", default="127.0.0.1:5432", help="PostgreSQL host:port for --backend ducklake")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="eve-bench-ui-"))
    lake_database = create_lake_database(args.pg) if args.backend == "ducklake" else None
    try:
        return run(args, base, bench_env(base, lake_database, args.pg, args.parallel_steps))
    finally:
        if lake_database:
            from pipelines.platform.warehouse import forget_lakes

            forget_lakes()
            drop_lake_database(args.pg, lake_database)


def run(args: argparse.Namespace, base: Path, env: dict[str, str]) -> int:
    print(f"[ui_run] backend {args.backend}; DATA_DIR={env['DATA_DIR']} DAGSTER_HOME={env['DAGSTER_HOME']}", flush=True)
    print(f"[ui_run] filling the warehouse (make report): {fill_warehouse(env):.1f} s", flush=True)
    inproc, inproc_cpu = in_process_seconds(env, args.repeat)
    for i, (t, cpu) in enumerate(zip(inproc, inproc_cpu, strict=True), 1):
        print(f"[ui_run] in-process #{i}: {t:.2f} s (CPU {cpu:.2f} s)", flush=True)
    ui: list[float] = []
    overlaps: list[int] = []
    log_path = base / "dagster_dev.log"
    started = time.perf_counter()
    with DagsterDev(env, log_path) as dev:
        print(f"[ui_run] dagster dev up on 127.0.0.1:{dev.port} in {time.perf_counter() - started:.1f} s", flush=True)
        for i in range(1, args.repeat + 1):
            wait_quiet(dev.port, 300)
            t0 = time.perf_counter()
            run_id = launch(dev.port)
            run = wait_run(dev.port, run_id, 600)
            elapsed = time.perf_counter() - t0
            if run["status"] != "SUCCESS":
                print(f"[ui_run] UI run {run_id} ended {run['status']}; log: {log_path}", file=sys.stderr)
                return 1
            ui.append(elapsed)
            overlaps.append(max_overlap(dev.port, run_id))
            worker = (run["endTime"] or 0) - (run["startTime"] or 0)
            print(
                f"[ui_run] UI #{i}: {elapsed:.2f} s (run worker {worker:.2f} s, "
                f"max steps at once {overlaps[-1]}, run {run_id})",
                flush=True,
            )
        wait_quiet(dev.port, 300)
    med_in, med_ui = statistics.median(inproc), statistics.median(ui)
    load = os.getloadavg()[0]
    summary = {"backend": args.backend, "in_process_s": inproc, "ui_s": ui, "median_in_process_s": med_in}
    summary |= {"median_ui_s": med_ui, "ratio": med_ui / med_in, "load_avg_1m": load}
    summary |= {"max_steps_at_once": overlaps, "in_process_cpu_s": inproc_cpu}
    print(
        f"[ui_run] done ({args.backend}): in-process median {med_in:.2f} s, UI-launched median {med_ui:.2f} s, "
        f"ratio {med_ui / med_in:.1f}x, max steps at once {max(overlaps)}, in-process CPU {statistics.median(inproc_cpu):.1f} s "
        f"(load average {load:.1f}); files under {base}"
    )
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
