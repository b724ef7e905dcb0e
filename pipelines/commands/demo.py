"""`make demo`: a whole campaign day, offline and without any key, end to end.

    python -m pipelines.commands.demo [--leads 40] [--concurrency 8] [--time-scale 1000] [--seed 7] [--fresh]

Steps (each prints a line): demo leads → the lead factory (real Dagster materialization) → the
`demo` campaign file (enabled, live) → the dial queue for the simulated day → the brain
(`python -m brain_service`, a child process on a free loopback port) and the simulated Retell
(`simulator.RetellSimulator`, its clock starting at 09:00 lead-local of a past day, SIM_TIME_SCALE
times faster) → the campaigns dispatcher dials through retell-sdk until the day's window closes or
nobody is left → every call ends, its webhooks land → call sync against the simulator + journeys
+ revenue ops + the report (real Dagster materialization) → a summary whose figures are read
from the warehouse. A second run plays the next day: numbers that asked not to be called are on
the suppression list and are not dialled again (the summary says so).

Everything lives in DATA_DIR (make demo: `data/demo`); WAREHOUSE_PATH/SERVING_PATH are ignored so
the demo never writes another warehouse. On DuckLake (`WAREHOUSE_URL` set) the demo keeps to a lake
of its own in the same catalog database: a catalog schema `<WAREHOUSE_METADATA_SCHEMA or eve>_demo_<random>`
named once per demo DATA_DIR (kept in `$DATA_DIR/demo/lake_catalog_schema`) and Parquet data under
`$DATA_DIR/lake`; `--fresh` starts a new one (the old schema's few catalog tables stay in PostgreSQL). Exit 0 when the run completed, 1 when a step failed, 2
when every past day has been played in this DATA_DIR.
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import dagster as dg
from pydantic import SecretStr

from pipelines.campaigns.config import CampaignFileError, load_campaign_file
from pipelines.campaigns.dispatch import Dispatcher
from pipelines.campaigns.dispatch_config import DispatchConfig
from pipelines.campaigns.ledger import Ledger
from pipelines.commands import demo_world as world
from pipelines.commands.leads import run as run_lead_factory
from pipelines.commands.materialize import materialize_and_publish, recording_instance
from pipelines.commands.report import report_selection
from pipelines.platform.catalog import CALL_ATTEMPTS, DIAL_EXCLUSIONS, DIAL_QUEUE
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from simulator import RetellSimulator, SimulatorSettings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FROM_NUMBER = "+12146660100"
BRAIN_START_TIMEOUT_S = 60.0
CALLS_TIMEOUT_S = 300.0
DIAL_QUEUE_BUILD = dg.AssetSelection.assets(CALL_ATTEMPTS, DIAL_QUEUE, DIAL_EXCLUSIONS)
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass
class DemoResult:
    day: str
    figures: world.RunFigures
    dialled_phones: list[str]
    redialled_dnc: list[str]
    suppressed_before: int
    report: Path
    ledger_dispatched: int
    lost_calls: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_brain(settings: PipelineSettings, api_key: str, log_file: Path) -> tuple[subprocess.Popen, int]:
    """`python -m brain_service` on a free loopback port, offline (no Gemini key), verifying the
    simulator's webhooks (RETELL_API_KEY = the simulator's key, passed in the environment only)."""
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATA_DIR=str(settings.data_dir.resolve()),
        BRAIN_HOST="127.0.0.1",
        BRAIN_PORT=str(port),
        RETELL_API_KEY=api_key,
        BRAIN_RECONNECT_GRACE_S="1",
        GEMINI_API_KEY="",
        GEMINI_VERTEXAI="false",
    )
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "brain_service"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    deadline = time.monotonic() + BRAIN_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the brain exited with {proc.returncode} at start; see {log_file}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as response:
                if response.status == 200:
                    return proc, port
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    stop_brain(proc)
    raise RuntimeError(f"the brain was not ready within {BRAIN_START_TIMEOUT_S:.0f}s; see {log_file}")


_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None  # loaded before any fork


def _die_with_parent() -> None:
    """In the brain child: on Linux, get SIGTERM when the demo dies (even by kill -9), so no brain is left behind."""
    if _LIBC is not None:
        _LIBC.prctl(1, 15)  # PR_SET_PDEATHSIG, SIGTERM


def stop_brain(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


def demo_catalog_schema(base: PipelineSettings) -> str:
    """The demo's own DuckLake catalog schema (never the real lake's): named once per demo DATA_DIR,
    so a `--fresh` DATA_DIR (its Parquet files gone) never meets an old catalog."""
    marker = base.data_dir / "demo" / "lake_catalog_schema"
    if marker.is_file():
        return marker.read_text(encoding="utf-8").strip()
    name = f"{base.warehouse_metadata_schema or 'eve'}_demo_{secrets.token_hex(4)}"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(name + "\n", encoding="utf-8")
    return name


def demo_settings(base: PipelineSettings, *, sim: RetellSimulator | None = None) -> PipelineSettings:
    """The demo's settings: its own warehouse in DATA_DIR, no synthetic world, Retell = the simulator."""
    update: dict = {
        "warehouse_path": None,
        "serving_path": None,
        "warehouse_data_path": None,
        "warehouse_metadata_schema": demo_catalog_schema(base)
        if base.lake is not None
        else base.warehouse_metadata_schema,
        "synthetic_bootstrap": False,
        "retell_sync_lookback_hours": 24.0 * (world.FIRST_DAY_BACK + 3),
    }
    if sim is not None:
        update.update(retell_api_key=SecretStr(sim.api_key), retell_base_url=sim.base_url)
    return base.model_copy(update=update)


def dispatch_day(sim: RetellSimulator, config: DispatchConfig, campaign, end: datetime, say) -> str:
    """Dispatch ticks until the window closes or nobody is left; the dispatcher's owner id."""

    def clock() -> datetime:
        return datetime.fromtimestamp(sim.clock.now_ms() / 1000, UTC)

    with Dispatcher(config, clock=clock) as dispatcher:
        dialled = 0
        while clock() < end:
            summary = dispatcher.tick(campaign)
            dialled += summary.dispatched
            stopped = summary.stopped_because or ""
            if summary.dispatched:
                say(f"  {clock().astimezone(world.ZONE):%H:%M} lead-local: {dialled} dialled")
            if "calls live" in stopped or "429" in stopped:  # wait (on events) until a line is free
                free_line = sim.stats()["created"] - campaign.max_concurrent_calls + 1
                sim.wait_for_calls(max(free_line, 0), timeout=CALLS_TIMEOUT_S)
            elif stopped and stopped != "max calls per tick":
                say(f"  dispatch stopped: {stopped}")
                break
            elif not summary.dispatched and not stopped:
                break  # nobody left to dial today
        return dispatcher.owner


def _wait_brain_records(data_dir: Path, call_ids: list[str], timeout: float) -> list[str]:
    """Call ids with no brain record by the deadline (the brain writes it when the socket closes)."""
    root = data_dir / "landing" / "brain_calls"
    missing = set(call_ids)
    deadline = time.monotonic() + timeout
    while missing and time.monotonic() < deadline:
        missing = {c for c in missing if not any(root.glob(f"*/{c}.json"))}
        if missing:
            time.sleep(0.1)
    return sorted(missing)


def run_demo(
    base: PipelineSettings,
    *,
    leads: int,
    concurrency: int,
    time_scale: float,
    seed: int,
    out: TextIO = sys.stdout,
) -> DemoResult:
    def say(line: str) -> None:
        print(line, file=out, flush=True)

    settings = demo_settings(base)
    data_dir = settings.data_dir
    state_dir = data_dir / "state"
    ledger = Ledger(state_dir)
    day = world.demo_day(ledger)
    start, end = world.day_bounds(day)
    say(f"demo: DATA_DIR={data_dir}  day {day} (lead-local 09:00-17:00 America/Chicago), {leads} leads")

    say("[1/6] lead factory: demo leads → scores → call queue")
    lead_file = world.write_leads(settings.lead_inbox_dir, leads, seed)
    if run_lead_factory([lead_file], min_score=None, top_k=None, push=False, out=out, settings=settings) != 0:
        raise RuntimeError("the lead factory run failed")

    say("[2/6] campaign `demo` (enabled, live, pointed at the simulated Retell) and its dial queue")
    campaign_file = world.write_campaign(
        settings.campaigns_dir, leads=leads, concurrency=concurrency, from_number=FROM_NUMBER, agent_id="agent_demo"
    )
    campaign = load_campaign_file(campaign_file)
    if isinstance(campaign, CampaignFileError):
        raise RuntimeError(f"the demo campaign file did not validate: {campaign}")
    queue_run = materialize_and_publish(
        settings, DIAL_QUEUE_BUILD, run_config=QUIET, instance=recording_instance(), publish=False
    )
    if not queue_run.success:
        raise RuntimeError(f"the dial queue run failed: {', '.join(step for step, _ in queue_run.failures())}")
    with open_warehouse(settings, read_only=True) as conn:
        queued, excluded = world.queue_counts(conn)
        suppressed_before = world.suppressed_phones(conn)
    say(
        f"  queue: {queued} leads; held back: "
        + (", ".join(f"{r} {n}" for r, n in sorted(excluded.items())) or "none")
        + " (the dispatcher applies the clock rules at each call, on the simulated clock)"
    )

    say("[3/6] the brain and the simulated Retell")
    sim_settings = SimulatorSettings(
        brain_ws_url="ws://127.0.0.1:0/llm-websocket",  # replaced below once the brain has its port
        concurrency_limit=max(concurrency * 2, 2),
        time_scale=time_scale,
        seed=seed,
    )
    brain, port = start_brain(settings, sim_settings.api_key.get_secret_value(), data_dir / "demo" / "brain.log")
    try:
        sim_settings = sim_settings.model_copy(
            update={
                "brain_ws_url": f"ws://127.0.0.1:{port}/llm-websocket",
                "webhook_url": f"http://127.0.0.1:{port}/webhooks/retell",
            }
        )
        with RetellSimulator(sim_settings, clock_start_ms=int(start.timestamp() * 1000)) as sim:
            say(f"  brain on 127.0.0.1:{port}, simulated Retell on {sim.base_url} (x{time_scale:g} time)")
            say("[4/6] dispatching the day's calls")
            config = DispatchConfig(
                data_dir=data_dir,
                api_key=sim.api_key,
                base_url=sim.base_url,
                dry_run=False,
                max_calls_per_tick=max(leads, 1),
                timeout_s=10.0,
            )
            owner = dispatch_day(sim, config, campaign, end, say)
            sim.wait_until_idle(timeout=CALLS_TIMEOUT_S)
            mine = [a for a in ledger.read_all() if a.owner == owner and a.status == "dispatched"]
            call_ids = [a.call_id for a in mine if a.call_id]
            connected_ids = [
                c["call_id"] for c in sim.calls() if c.get("call_id") in call_ids and c.get("start_timestamp")
            ]
            lost = _wait_brain_records(data_dir, [c for c in connected_ids if _answered(sim.call(c))], 30.0)
            stats = sim.stats()
            say(
                f"  {stats['finished']} calls ended ({', '.join(f'{k} {v}' for k, v in sorted(stats['by_disconnection_reason'].items()))}); "
                f"webhooks delivered {stats['webhooks_delivered']}, failed {stats['webhooks_failed']}"
            )

            say("[5/6] call sync (against the simulator) + journeys + revenue ops + report")
            report_settings = demo_settings(base, sim=sim)
            outcome = materialize_and_publish(
                report_settings,
                report_selection(report_settings),
                run_config=QUIET,
                instance=recording_instance(),
                tags={"eve/demo": str(day)},
            )
            if not outcome.success:
                failed = ", ".join(step for step, _ in outcome.failures())
                raise RuntimeError(f"the report run failed: {failed}")
    finally:
        stop_brain(brain)

    say("[6/6] summary (from the warehouse)")
    with open_warehouse(settings, read_only=True) as conn:
        figures = world.run_figures(conn, call_ids)
    dialled_phones = sorted({a.phone_e164 for a in mine if a.phone_e164})
    result = DemoResult(
        day=str(day),
        figures=figures,
        dialled_phones=dialled_phones,
        redialled_dnc=sorted(set(dialled_phones) & suppressed_before),
        suppressed_before=len(suppressed_before),
        report=settings.revenue_ops_dir / "latest.md",
        ledger_dispatched=len(mine),
        lost_calls=lost,
    )
    print_summary(result, out)
    return result


def _answered(call: dict | None) -> bool:
    return bool(call) and call.get("disconnection_reason") not in (None, "dial_no_answer", "dial_busy", "dial_failed")


def print_summary(result: DemoResult, out: TextIO) -> None:
    f = result.figures
    lines = [
        f"demo day {result.day}:",
        f"  dialled          {f.dialled}",
        f"  connected        {f.connected}",
        f"  emails captured  {f.emails_captured}",
        f"  DNC              {f.dnc}",
        f"  suppression list {f.suppressed_numbers} numbers now ({result.suppressed_before} before this run); "
        f"DNC'd numbers dialled again: {len(result.redialled_dnc)}",
        f"  report           {result.report}",
    ]
    if result.ledger_dispatched != f.dialled:
        lines.append(
            f"  WARNING: the ledger has {result.ledger_dispatched} dispatched calls, the warehouse {f.dialled}"
        )
    if result.lost_calls:
        lines.append(
            f"  WARNING: {len(result.lost_calls)} answered calls have no brain record: {result.lost_calls[:5]}"
        )
    print("\n".join(lines), file=out, flush=True)


def _fresh(data_dir: Path) -> None:
    """Remove a previous demo's DATA_DIR — only one the demo made (it holds campaigns/demo.toml)."""
    if not data_dir.exists():
        return
    if not (data_dir / "campaigns" / f"{world.CAMPAIGN}.toml").exists():
        raise SystemExit(f"--fresh: {data_dir} is not a demo DATA_DIR (no campaigns/demo.toml); not removing it")
    shutil.rmtree(data_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make demo", description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=40, help="demo leads (DEMO_LEADS)")
    parser.add_argument("--concurrency", type=int, default=8, help="calls at once (DEMO_CONCURRENCY)")
    parser.add_argument("--time-scale", type=float, default=1000.0, help="simulated seconds per second")
    parser.add_argument("--seed", type=int, default=7, help="leads and caller personas (DEMO_SEED)")
    parser.add_argument("--fresh", action="store_true", help="start over: remove the demo DATA_DIR first")
    args = parser.parse_args(argv)
    if args.leads < 1 or args.concurrency < 1 or args.time_scale <= 0:
        parser.error("--leads and --concurrency must be ≥ 1 and --time-scale > 0")
    base = PipelineSettings()
    if args.fresh:
        _fresh(base.data_dir)
    lock_path = base.data_dir / "demo" / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_path.open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"demo: another demo is running in {base.data_dir}", file=sys.stderr)
        return 1
    try:
        run_demo(base, leads=args.leads, concurrency=args.concurrency, time_scale=args.time_scale, seed=args.seed)
    except world.DemoDaysUsedUp as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    except (RuntimeError, TimeoutError) as exc:
        print(f"demo FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
