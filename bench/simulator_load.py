"""`make bench-simulator`: the simulated Retell plays N calls against the real brain, C at once.

Starts the brain as its own process (``python -m brain_service``, playbook mode, a temporary
DATA_DIR, RETELL_API_KEY = the simulator's key so webhooks verify), the simulator in this process
with ``concurrency_limit`` = C, and a dialer that calls ``create_phone_call`` through retell-sdk
until N calls were accepted (a 429 waits for a call to finish, as a campaign dialer backs off).
Reports wall time, calls/s, 429s, the brain's first-response latency (begin message and every
reply, measured by the simulator) and **lost calls**: calls not finished, ended by an error, with
an undelivered webhook, or without the brain's call record / the three landed webhooks.
``--json out.json`` saves the report.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import retell

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ws_load import start_server  # noqa: E402
from simulator import RetellSimulator, SimulatorSettings  # noqa: E402

KEY = "key_bench_simulator"


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0


def dial_all(sim: RetellSimulator, calls: int, progress_every: int) -> int:
    """Create `calls` calls; returns how many 429s were met on the way."""
    client = retell.Retell(api_key=sim.api_key, base_url=sim.base_url, max_retries=0)
    limited = 0
    for i in range(calls):
        while True:
            try:
                client.call.create_phone_call(
                    from_number="+12145550100",
                    to_number=f"+1214777{i % 10_000:04d}",
                    metadata={"lead_id": f"bench_{i}", "campaign": "bench"},
                    retell_llm_dynamic_variables={"business_name": f"Clinic {i}"},
                )
                break
            except retell.RateLimitError:
                limited += 1
                sim.wait_for_calls(min(calls, sim.stats()["finished"] + 1), timeout=60)
        if progress_every and (i + 1) % progress_every == 0:
            print(f"  dialled {i + 1}/{calls} · {sim.stats()['active']} active", flush=True)
    return limited


def run(calls: int, concurrency: int, seed: int, time_scale: float) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="eve-bench-sim-"))
    os.environ.update(DATA_DIR=str(data_dir), RETELL_API_KEY=KEY, BRAIN_RECONNECT_GRACE_S="0")
    proc, port = start_server(calls)
    settings = SimulatorSettings(
        _env_file=None,
        api_key=KEY,
        brain_ws_url=f"ws://127.0.0.1:{port}/llm-websocket",
        webhook_url=f"http://127.0.0.1:{port}/webhooks/retell",
        concurrency_limit=concurrency,
        seed=seed,
        time_scale=time_scale,
    )
    sim = RetellSimulator(settings).start()
    try:
        started = time.perf_counter()
        limited = dial_all(sim, calls, max(1, calls // 10))
        sim.wait_until_idle(timeout=600)
        wall = time.perf_counter() - started
        stats = sim.stats()
        finished = sim.calls()
        deadline = time.monotonic() + 30  # the brain writes a record as it sees each socket close
        answered = {c["call_id"] for c in finished if c.get("call_status") in ("ended", "error")}
        while True:
            records = {p.stem for p in (data_dir / "landing" / "brain_calls").glob("*/*.json")}
            if answered <= records or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        hooks: dict[str, int] = {}
        for path in (data_dir / "landing" / "retell_webhooks").glob("*/*.json"):
            cid = path.name.split(".", 1)[0]
            hooks[cid] = hooks.get(cid, 0) + 1
    finally:
        sim.stop()
        proc.terminate()
        proc.wait(timeout=30)
    first = [c["latency"]["e2e"]["values"][0] for c in finished if c.get("latency")]
    every = [v for c in finished if c.get("latency") for v in c["latency"]["e2e"]["values"]]
    lost = sorted(
        c["call_id"]
        for c in finished
        if c.get("call_status") not in ("ended", "not_connected")
        or (c["call_id"] in answered and c["call_id"] not in records)
        or hooks.get(c["call_id"], 0) != (3 if c.get("call_status") == "ended" else 2)
    )
    return {
        "calls": calls,
        "concurrency": concurrency,
        "wall_s": round(wall, 2),
        "calls_per_s": round(calls / wall, 1),
        "created": stats["created"],
        "finished": stats["finished"],
        "time_scale": time_scale,
        "peak_concurrent_calls": stats["peak_active"],
        "rejected_429": limited,
        "lost_calls": len(lost) + (calls - stats["finished"]),
        "lost_examples": lost[:5],
        "brain_records": len(records & answered),
        "webhooks_landed": sum(hooks.values()),
        "webhooks_failed": stats["webhooks_failed"],
        "reconnects": stats["reconnects"],
        "caller_turns": len(every),
        "begin_latency_ms": {"p50": _pct(first, 0.5), "p99": _pct(first, 0.99)},
        "reply_latency_ms": {
            "p50": _pct(every, 0.5),
            "p99": _pct(every, 0.99),
            "mean": round(statistics.fmean(every), 1) if every else 0.0,
        },
        "by_disconnection_reason": stats["by_disconnection_reason"],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--time-scale", type=float, default=20.0, help="simulated seconds per real second (20: a call lasts ~1-2 s)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"bench-simulator: {args.calls} calls, {args.concurrency} at once, against the real brain", flush=True)
    report = run(args.calls, args.concurrency, args.seed, args.time_scale)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"done: {report['calls']} calls in {report['wall_s']} s ({report['calls_per_s']} calls/s), "
        f"lost {report['lost_calls']}, reply p99 {report['reply_latency_ms']['p99']} ms"
        + (f" · report in {args.json}" if args.json else "")
    )
    return 1 if report["lost_calls"] else 0


if __name__ == "__main__":
    sys.exit(main())
