"""`make run`: the brain and the Dagster UI side by side, on the embedded defaults.

1. `DAGSTER_HOME` defaults to `./.dagster_home` (created, `dagster.yaml` copied in), so run
   history, sensor cursors and pool limits survive restarts. The `duckdb_write` pool limit is set
   for the backend on every start: 1 on the embedded file, high on DuckLake (pipelines/platform/pools.py).
2. The brain starts at once (`python -m brain_service`).
3. On first start (no `$DAGSTER_HOME/.eve_bootstrapped`), the whole offline graph — the
   synthetic world (unless SYNTHETIC_BOOTSTRAP=false), the lead factory, call data from the
   landing zone, journeys and revenue ops with its report — is materialized into the persistent
   instance and the serving copy is published, so the UI shows a populated lineage graph without
   any account. Assets tagged as side effects (`eve/side_effect`: n8n deliveries, the Retell API
   sync, dialing, exports) are left to the operator. A failure here is reported, never fatal.
4. The first start copies the example campaign (disabled) to `$DATA_DIR/campaigns/`.
5. `dagster dev -w workspace.yaml` starts on DAGSTER_HOST:DAGSTER_PORT (default 127.0.0.1:3000).

SIGINT/SIGTERM are forwarded to both children (each in its own process group); when either child
exits, the other is stopped and the launcher exits with the first non-zero status.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from pipelines.commands.materialize import materialize_and_publish
from pipelines.platform.catalog import CALLS, JOURNEYS, LEADS, REVENUE_OPS, SYNTHETIC
from pipelines.platform.conventions import side_effect_free
from pipelines.platform.pools import apply_warehouse_pool_limit
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import describe_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP_MARKER = ".eve_bootstrapped"
BOOTSTRAP_GROUPS = (SYNTHETIC, LEADS, CALLS, JOURNEYS, REVENUE_OPS)
STOP_GRACE_SECONDS = 20.0


def prepare_dagster_home(environ: dict[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    home = Path(environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    source = PROJECT_ROOT / "dagster.yaml"
    target = home / "dagster.yaml"
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)
    environ["DAGSTER_HOME"] = str(home)
    return home


def bootstrap_groups(settings: PipelineSettings) -> tuple[str, ...]:
    """Groups materialized on first start; SYNTHETIC_BOOTSTRAP=false leaves the synthetic world out."""
    if settings.synthetic_bootstrap:
        return BOOTSTRAP_GROUPS
    return tuple(g for g in BOOTSTRAP_GROUPS if g != SYNTHETIC)


def bootstrap_selection(settings: PipelineSettings) -> dg.AssetSelection:
    """Every asset of the bootstrap groups except the side effects (n8n pushes, the Retell API sync)."""
    return side_effect_free(dg.AssetSelection.groups(*bootstrap_groups(settings)))


def bootstrap(home: Path, settings: PipelineSettings, log=print) -> bool:
    marker = home / BOOTSTRAP_MARKER
    if marker.exists():
        return True
    log(
        f"[launcher] first start: materializing groups {', '.join(bootstrap_groups(settings))} "
        f"(side effects left out) into {describe_warehouse(settings)}"
    )
    try:
        with dg.DagsterInstance.get() as instance:
            outcome = materialize_and_publish(
                settings,
                bootstrap_selection(settings),
                instance=instance,
                tags={"eve/bootstrap": "true"},
                progress=sys.stdout,  # the first start takes a while: show each step
            )
        if not outcome.success:
            log("[launcher] bootstrap run failed; see the run in the UI. Continuing without it.")
            return False
    except Exception as exc:  # never block the product from starting
        log(f"[launcher] bootstrap failed: {type(exc).__name__}: {exc}")
        return False
    marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()) + "\n")
    where = f"serving copy at {settings.serving_file}" if settings.lake is None else "analysts read the lake live"
    log(f"[launcher] bootstrap done; {where}")
    return True


def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, start_new_session=True)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass


def _stop_all(procs: list[subprocess.Popen], sig: int = signal.SIGTERM) -> None:
    for proc in procs:
        _signal_group(proc, sig)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def main() -> int:
    settings = PipelineSettings()
    home = prepare_dagster_home()
    with dg.DagsterInstance.get() as instance:  # duckdb_write: 1 on the file, LAKE_POOL_LIMIT on DuckLake
        pool_limit = apply_warehouse_pool_limit(instance, settings)
    from pipelines.campaigns.config import install_example

    if (copied := install_example(settings.campaigns_dir)) is not None:
        print(f"campaigns: example copied (disabled) to {copied}", flush=True)
    env = dict(os.environ)
    python = sys.executable
    dagster_bin = str(Path(python).with_name("dagster"))
    procs: list[subprocess.Popen] = []
    stopping = {"signal": None}

    def forward(signum, _frame):
        stopping["signal"] = signum
        for proc in procs:
            _signal_group(proc, signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)

    procs.append(_start([python, "-m", "brain_service"], env))
    print(f"[launcher] brain starting (pid {procs[0].pid}); DAGSTER_HOME={home}", flush=True)
    print(f"[launcher] warehouse pool duckdb_write: limit {pool_limit}", flush=True)
    if not bootstrap(home, settings, log=lambda m: print(m, flush=True)) and stopping["signal"] is None:
        print("[launcher] the UI still starts; materialize from there", flush=True)
    if stopping["signal"] is None:
        procs.append(
            _start(
                [
                    dagster_bin,
                    "dev",
                    "-w",
                    "workspace.yaml",
                    "-h",
                    settings.dagster_host,
                    "-p",
                    str(settings.dagster_port),
                ],
                env,
            )
        )
        print(f"[launcher] Dagster UI on http://{settings.dagster_host}:{settings.dagster_port}", flush=True)
    status = 0
    try:
        while True:
            finished = [p for p in procs if p.poll() is not None]
            if finished or stopping["signal"] is not None:
                status = next((p.returncode for p in finished if p.returncode), 0)
                break
            time.sleep(0.5)
    finally:
        _stop_all(procs)
    return 0 if stopping["signal"] is not None else status


if __name__ == "__main__":
    sys.exit(main())
