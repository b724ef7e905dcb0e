"""LLM-path benchmark: what the brain adds to the model's first token, at N concurrent calls.

Three processes on loopback:

1. the fake Gemini server (`tests/fakes/fake_gemini.py`, real `streamGenerateContent?alt=sse`)
   with a realistic time to first token (default 300 ms) and the reply in 5 chunks (`--reply short`:
   two sentences, the stream ends and aiohttp reuses the connection; `--reply long`: a sentence per
   chunk, the brain stops after three and closes the stream, so every turn opens a new connection);
2. the brain, exactly as deployed (`python -m brain_service`) with `BRAIN_USE_LLM=true` and
   `GEMINI_BASE_URL` pointing at the fake (google-genai's real async streaming client);
3. this process: N Retell-shaped calls over `websockets`, one caller turn every ~3 s per call
   (`--interval`; random phase), each turn tagged with a marker the fake can see, and a
   ``ping_pong`` every 2 s like Retell. The client never answers the brain's ping_pong frames:
   Retell does not echo an echo, and doing so here made an endless ping storm per call that
   burned most of the brain's CPU (the "35 % of a core per idle call" once blamed on the server).

Per turn: ``overhead = (first response frame received − request sent)  −  (fake's first byte
sent − fake's request received)``: everything the brain (and loopback) adds on top of the
model's own first token — transcript handling, prompt building, the SDK request, SSE parsing,
sentence cutting, guards and the websocket write. ``brain_side_overhead_ms`` is the same from the
brain's own clock (its call record: request read -> first chunk written), so this process's
scheduling is not in it. Reported p50/p95/p99/max, plus first-chunk latency, turns that fell
back to the playbook, and unanswered turns.

By default the brain is pinned to the last CPU and the fake model + this load generator to the
others (`--brain-cpus`), the way they would run on separate hosts; `--brain-cpus none` lets all
three share every core.

    .venv/bin/python bench/llm_latency.py --calls 300 --duration 30
    .venv/bin/python bench/llm_latency.py --calls 300 --duration 40 --interval 8   # realistic LLM turn spacing
    .venv/bin/python bench/llm_latency.py --calls 100 --duration 15 --profile /tmp/brain.prof  # cProfile the brain
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import websockets

ROOT = Path(__file__).resolve().parent.parent
# objection lines: every one is a model-phrased turn that never ends the call
PING_EVERY_S = 2.0
LINES = [
    "Hmm, I'm pretty busy right now [t:{m}].",
    "How much does it cost [t:{m}]?",
    "We already have an answering service [t:{m}].",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(proc: subprocess.Popen, url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"{url} not ready")


async def one_call(
    index: int, ws_base: str, stop_at: float, interval: float, out: dict[str, Any], prefix: str = "bench"
) -> None:
    call_id = f"{prefix}_llm_{index}"
    try:
        ws = await websockets.connect(f"{ws_base}/{call_id}", compression=None, open_timeout=30, max_size=2**22)
    except Exception as exc:  # counted, never fatal for the run
        out["connect_errors"].append(repr(exc))
        return
    transcript: list[dict[str, str]] = []
    pending: dict[int, dict[str, Any]] = {}
    reader_done = asyncio.Event()

    async def reader() -> None:
        try:
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("response_type")
                if kind != "response":  # ping_pong answers included: Retell never echoes the brain's echo
                    continue
                turn = pending.get(frame["response_id"])
                if turn is None:
                    continue
                if frame.get("content") and turn.get("first_at") is None:
                    turn["first_at"] = time.monotonic()
                turn["text"] = turn.get("text", "") + frame.get("content", "")
                if frame.get("content_complete"):
                    turn["done_at"] = time.monotonic()
                    turn["event"].set()
        except Exception:
            pass
        finally:
            reader_done.set()

    async def pinger() -> None:
        # like Retell with auto_reconnect: a ping_pong every 2 s; the brain echoes it (and sends its own,
        # which Retell does not answer). Echoing the brain's frames here would make an endless ping storm.
        await asyncio.sleep(random.uniform(0, PING_EVERY_S))
        while not reader_done.is_set():
            await ws.send(f'{{"interaction_type":"ping_pong","timestamp":{int(time.time() * 1000)}}}')
            await asyncio.sleep(PING_EVERY_S)

    task = asyncio.create_task(reader())
    ping_task = asyncio.create_task(pinger())
    try:
        await ws.send(
            json.dumps(
                {
                    "interaction_type": "call_details",
                    "call": {
                        "call_id": call_id,
                        "metadata": {"lead_id": f"L{index}"},
                        "retell_llm_dynamic_variables": {"business_name": "Glow Spa"},
                    },
                }
            )
        )
        await asyncio.sleep(random.uniform(0, interval))
        rid = 0
        while time.monotonic() < stop_at and not reader_done.is_set():
            rid += 1
            marker = f"{prefix}-{index}-{rid}"
            transcript.append({"role": "user", "content": random.choice(LINES).format(m=marker)})
            turn = {"marker": marker, "event": asyncio.Event(), "sent_at": time.monotonic()}
            pending[rid] = turn
            await ws.send(
                json.dumps({"interaction_type": "response_required", "response_id": rid, "transcript": transcript})
            )
            try:
                await asyncio.wait_for(turn["event"].wait(), 8)
            except TimeoutError:
                out["unanswered"] += 1
            if turn.get("text"):
                transcript.append({"role": "agent", "content": turn["text"]})
            out["turns"].append({k: v for k, v in turn.items() if k != "event"})
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - turn["sent_at"])) * random.uniform(0.8, 1.2))
    finally:
        ping_task.cancel()
        await ws.close()
        task.cancel()


def brain_first_chunk_ms(data_dir: Path, calls: int, wait_s: float = 10.0) -> dict[str, float]:
    """Per turn marker, the brain's own request-read -> first-chunk-written time (from its call records).

    Subtracting the model's time to first token gives the overhead without this process's own
    scheduling delays (sending the request, reading the frame) — the client-side part of the error.
    """
    deadline = time.monotonic() + wait_s
    files: list[Path] = []
    while time.monotonic() < deadline:
        files = [f for f in (data_dir / "landing" / "brain_calls").glob("*/bench_llm_*.json")]
        if len(files) >= calls:
            break
        time.sleep(0.2)
    out: dict[str, float] = {}
    for path in files:
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        index = record["call_id"].rsplit("_", 1)[-1]
        for row in record.get("latencies", []):
            if row.get("first_chunk_ms") is not None:
                out[f"bench-{index}-{row['response_id']}"] = float(row["first_chunk_ms"])
    return out


def pick_brain_cpus(spec: str) -> set[int] | None:
    available = sorted(os.sched_getaffinity(0))
    if spec == "none" or (spec == "auto" and len(available) < 2):
        return None
    if spec == "auto":
        return {available[-1]}
    return {int(c) for c in spec.split(",")}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def drive(
    calls: int, ws_base: str, duration: float, interval: float, ramp: float, prefix: str = "bench"
) -> dict[str, Any]:
    out: dict[str, Any] = {"turns": [], "unanswered": 0, "connect_errors": []}
    stop_at = time.monotonic() + duration
    tasks = []
    for i in range(calls):
        tasks.append(asyncio.create_task(one_call(i, ws_base, stop_at, interval, out, prefix)))
        await asyncio.sleep(ramp / calls)
    await asyncio.gather(*tasks)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of load after the ramp starts")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between a call's turns")
    parser.add_argument("--ttft", type=float, default=0.3, help="fake model time to first token (s)")
    parser.add_argument("--chunks", type=int, default=5, help="chunks per fake model reply (first one is a sentence)")
    parser.add_argument(
        "--reply",
        choices=("short", "long"),
        default="short",
        help="short: two sentences, the stream ends (connection reused); long: a sentence per chunk, the "
        "brain stops after three and closes the stream (new connection per turn)",
    )
    parser.add_argument("--warmup", type=float, default=8.0, help="turns sent in the first seconds are not counted")
    parser.add_argument(
        "--playbook", action="store_true", help="BRAIN_USE_LLM=false: the same load without the model (CPU baseline)"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--profile", type=Path, help="run the brain under cProfile and write its stats here (slows it down)"
    )
    parser.add_argument(
        "--brain-cpus",
        default="auto",
        help="CPUs for the brain (e.g. 1 or 2,3); the fake model and this load generator get the others, "
        "as if they ran on other hosts. auto: the last CPU when there are two or more; none: no pinning",
    )
    args = parser.parse_args(argv)
    try:  # the caller side is not what is measured: keep its own loop overhead small (Retell is not Python)
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    fake_port, brain_port = free_port(), free_port()
    brain_cpus = pick_brain_cpus(args.brain_cpus)
    if brain_cpus:
        os.sched_setaffinity(0, (os.sched_getaffinity(0) - brain_cpus) or brain_cpus)  # this process and the fake
    tmp = tempfile.TemporaryDirectory(prefix="eve-llm-bench-")
    fake = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fakes.fake_gemini",
            "--port",
            str(fake_port),
            "--ttft",
            str(args.ttft),
            "--chunks",
            str(args.chunks),
            "--reply",
            args.reply,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    env = dict(
        os.environ,
        BRAIN_HOST="127.0.0.1",
        BRAIN_PORT=str(brain_port),
        DATA_DIR=tmp.name,
        BRAIN_USE_LLM="false" if args.playbook else "true",
        GEMINI_API_KEY="bench-not-a-key",
        GEMINI_BASE_URL=f"http://127.0.0.1:{fake_port}",
        BRAIN_RECONNECT_GRACE_S="0",
        AGENT_MAX_TURNS="200",
        BRAIN_LOG_LEVEL="WARNING",
        BRAIN_MAX_SESSIONS="5000",
    )
    if args.profile:  # cProfile around main(), stats dumped on SIGUSR1 after the load
        env["BENCH_PROFILE_OUT"] = str(args.profile)
        command = [
            "-c",
            "import cProfile, os, signal; from brain_service.__main__ import main; p = cProfile.Profile()\n"
            "signal.signal(signal.SIGUSR1, lambda *_: (p.disable(), p.dump_stats(os.environ['BENCH_PROFILE_OUT'])))\n"
            "p.enable(); main()",
        ]
    else:
        command = ["-m", "brain_service"]
    brain = subprocess.Popen(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        preexec_fn=(lambda: os.sched_setaffinity(0, brain_cpus)) if brain_cpus else None,
    )
    try:
        wait_ready(fake, f"http://127.0.0.1:{fake_port}/_timings")
        wait_ready(brain, f"http://127.0.0.1:{brain_port}/health")
        # warm-up: the brain warms google-genai at start; this opens the model connections once
        asyncio.run(drive(2, f"ws://127.0.0.1:{brain_port}/llm-websocket", 4.0, 1.0, ramp=0.1, prefix="warm"))
        brain_proc = psutil.Process(brain.pid)
        cpu_before = brain_proc.cpu_times()
        started = time.monotonic()
        load = asyncio.run(
            drive(
                args.calls,
                f"ws://127.0.0.1:{brain_port}/llm-websocket",
                args.duration,
                args.interval,
                ramp=min(5.0, args.duration / 4),
            )
        )
        cpu_after = brain_proc.cpu_times()
        if args.profile:
            brain.send_signal(signal.SIGUSR1)
            time.sleep(2)
        brain_cpu_s = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
        load_wall_s = time.monotonic() - started
        with urllib.request.urlopen(f"http://127.0.0.1:{fake_port}/_timings", timeout=30) as response:
            timings = {row["marker"]: row for row in json.loads(response.read()) if row["marker"]}
        brain_latency = brain_first_chunk_ms(Path(tmp.name), args.calls)
    finally:
        for proc in (brain, fake):
            proc.terminate()
        for proc in (brain, fake):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        tmp.cleanup()

    overheads, first_chunks, model_ttfts, fallbacks = [], [], [], 0
    before_model, after_model, brain_side = [], [], []
    for turn in load["turns"]:
        if turn["sent_at"] < started + args.warmup or turn.get("first_at") is None:
            continue
        first_chunks.append((turn["first_at"] - turn["sent_at"]) * 1000)
        model = timings.get(turn["marker"])
        if model is None or model.get("first_byte_at") is None or model["first_byte_at"] > turn["first_at"]:
            fallbacks += 1  # spoken before the model's first byte: the playbook answered (deadline)
            continue
        ttft = (model["first_byte_at"] - model["received"]) * 1000
        model_ttfts.append(ttft)
        overheads.append(first_chunks[-1] - ttft)
        before_model.append((model["received"] - turn["sent_at"]) * 1000)
        after_model.append((turn["first_at"] - model["first_byte_at"]) * 1000)
        if turn["marker"] in brain_latency:
            brain_side.append(brain_latency[turn["marker"]] - ttft)
    summary = {
        "calls": args.calls,
        "brain_cpus": sorted(brain_cpus) if brain_cpus else "any",
        "chunks": args.chunks,
        "reply": args.reply,
        "duration_s": args.duration,
        "interval_s": args.interval,
        "fake_ttft_s": args.ttft,
        "turns_measured": len(overheads),
        "turns_total": len(load["turns"]),
        "unanswered": load["unanswered"],
        "connect_errors": len(load["connect_errors"]),
        "fallback_turns": fallbacks,
        "overhead_ms": {q: round(pct(overheads, float(q[1:])), 2) for q in ("p50", "p95", "p99")}
        | {
            "max": round(max(overheads, default=float("nan")), 2),
            "mean": round(statistics.fmean(overheads), 2) if overheads else None,
        },
        "brain_side_overhead_ms": {q: round(pct(brain_side, float(q[1:])), 2) for q in ("p50", "p95", "p99")}
        | {"turns": len(brain_side)},
        "request_to_model_ms": {q: round(pct(before_model, float(q[1:])), 2) for q in ("p50", "p99")},
        "model_first_byte_to_frame_ms": {q: round(pct(after_model, float(q[1:])), 2) for q in ("p50", "p99")},
        "brain_cpu_ms_per_turn": round(brain_cpu_s * 1000 / max(1, len(load["turns"])), 2),
        "brain_cpu_share_of_one_core": round(brain_cpu_s / load_wall_s, 3),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "first_chunk_ms": {q: round(pct(first_chunks, float(q[1:])), 1) for q in ("p50", "p99")},
        "model_ttft_ms": {q: round(pct(model_ttfts, float(q[1:])), 1) for q in ("p50", "p99")},
    }
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
