"""Load benchmark for the brain transport: many concurrent Retell-shaped calls against a real server.

The server runs as a separate process (``python -m brain_service``, or with ``--entry uvicorn``
plain ``uvicorn brain_service.app:app``; deterministic conversation, no Gemini key); this process plays Retell for every call with its cadence:

* a ``ping_pong`` every 2 s (random phase per call), echo latency measured;
* a turn every 3 s: two ``update_only`` snapshots before it, then ``response_required``; 30% of
  turns are superseded by a newer request 30–300 ms later (as Retell does when the caller keeps
  talking); first-chunk latency is request sent → first frame of that id received;
* transcripts grow with the call (capped at 30 utterances, ~15 words each, with word timings).

Reports p50/p99/max of ping echo and first chunk, unanswered turns (the newest request of a turn
that got no terminal within 5 s), dropped connections, server CPU, and server RSS per call.

    .venv/bin/python bench/ws_load.py --calls 1000 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import websockets

ROOT = Path(__file__).resolve().parents[1]
PING_EVERY_S = 2.0
TURN_EVERY_S = 3.0
SUPERSEDE_SHARE = 0.30
ANSWER_DEADLINE_S = 5.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q * (len(ordered) - 1)))))
    return ordered[index]


class Stats:
    def __init__(self) -> None:
        self.ping_ms: list[float] = []
        self.first_chunk_ms: list[float] = []
        self.turns = 0
        self.superseded = 0
        self.unanswered = 0
        self.drops = 0
        self.connect_failures = 0
        self.stale_frames = 0
        self.loop_lag_ms: list[float] = []


def utterance(i: int, rng: random.Random) -> dict:
    words = [
        rng.choice(("yes", "we", "clinic", "after", "hours", "calls", "sure", "email", "manager", "busy"))
        for _ in range(15)
    ]
    return {
        "role": "user" if i % 2 else "agent",
        "content": " ".join(words),
        "words": [
            {"word": w, "start": round(i * 3 + k * 0.2, 2), "end": round(i * 3 + k * 0.2 + 0.15, 2)}
            for k, w in enumerate(words)
        ],
    }


class Call:
    def __init__(self, index: int, url: str, stats: Stats, rng: random.Random, stop_at: float) -> None:
        self.index = index
        self.url = url
        self.stats = stats
        self.rng = rng
        self.stop_at = stop_at
        self.ws = None
        self.pings: dict[int, float] = {}
        self.requests: dict[int, float] = {}
        self.first_seen: set[int] = set()
        self.completed: dict[int, asyncio.Event] = {}
        self.newest = 0
        self.transcript: list[str] = []  # utterances, pre-serialized (the generator must stay cheap)
        self.closed_by_us = False
        self.said = 0

    async def reader(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                frame = json.loads(raw)
                kind = frame.get("response_type")
                if kind == "ping_pong":
                    sent = self.pings.pop(frame["timestamp"], None)
                    if sent is not None:
                        self.stats.ping_ms.append((now - sent) * 1000)
                elif kind == "response":
                    rid = frame["response_id"]
                    if rid < self.newest and rid in self.requests:
                        self.stats.stale_frames += 1  # in flight: written before our newer request reached the server
                    if rid not in self.first_seen and rid in self.requests:
                        self.first_seen.add(rid)
                        if rid == self.newest:
                            self.stats.first_chunk_ms.append((now - self.requests[rid]) * 1000)
                    if frame["content_complete"] and rid in self.completed:
                        self.completed[rid].set()
        except websockets.ConnectionClosed:
            pass
        if not self.closed_by_us:
            self.stats.drops += 1

    async def pinger(self) -> None:
        await asyncio.sleep(self.rng.random() * PING_EVERY_S)
        ts = self.index * 10_000_000
        while time.monotonic() < self.stop_at:
            ts += 1
            self.pings[ts] = time.perf_counter()
            await self.ws.send(f'{{"interaction_type":"ping_pong","timestamp":{ts}}}')
            await asyncio.sleep(PING_EVERY_S)

    async def request(self, rid: int) -> None:
        self.newest = rid
        self.completed[rid] = asyncio.Event()
        self.requests[rid] = time.perf_counter()
        transcript = ",".join(self.transcript)
        await self.ws.send(
            f'{{"interaction_type":"response_required","response_id":{rid},"transcript":[{transcript}]}}'
        )

    async def talker(self) -> None:
        await asyncio.sleep(self.rng.random() * TURN_EVERY_S)
        rid = 0
        while time.monotonic() < self.stop_at:
            for _ in range(2):
                self.said += 1
                self.transcript = (self.transcript + [json.dumps(utterance(self.said, self.rng))])[-30:]
                transcript = ",".join(self.transcript)
                await self.ws.send(f'{{"interaction_type":"update_only","transcript":[{transcript}]}}')
                await asyncio.sleep(0.2)
            rid += 1
            self.stats.turns += 1
            await self.request(rid)
            if self.rng.random() < SUPERSEDE_SHARE:
                await asyncio.sleep(self.rng.uniform(0.03, 0.3))
                self.stats.superseded += 1
                rid += 1
                await self.request(rid)
            try:
                await asyncio.wait_for(self.completed[rid].wait(), ANSWER_DEADLINE_S)
            except TimeoutError:
                self.stats.unanswered += 1
            for old in [r for r in self.completed if r < rid - 4]:
                self.completed.pop(old, None)
                self.requests.pop(old, None)
            await asyncio.sleep(max(0.0, TURN_EVERY_S - 0.4 - self.rng.random() * 0.1))

    async def run(self) -> None:
        try:
            self.ws = await websockets.connect(
                f"{self.url}/llm-websocket/bench_{self.index}", compression=None, open_timeout=30, max_size=None
            )
        except Exception as exc:
            self.stats.connect_failures += 1
            if self.stats.connect_failures <= 3:
                print(f"connect failed for call {self.index}: {exc!r}", file=sys.stderr)
            return
        config = json.loads(await self.ws.recv())
        assert config["response_type"] == "config"
        await self.ws.send(
            json.dumps({"interaction_type": "call_details", "call": {"call_id": f"bench_{self.index}", "metadata": {}}})
        )
        reader = asyncio.create_task(self.reader())
        await asyncio.gather(self.pinger(), self.talker())
        self.closed_by_us = True
        await self.ws.close()
        await reader


def scrape_histograms(ws_url: str) -> dict:
    """Server-side view from /metrics (whole run): bucket upper bounds of p50/p99, in ms."""
    import urllib.request

    from prometheus_client.parser import text_string_to_metric_families

    try:
        with urllib.request.urlopen(ws_url.replace("ws://", "http://") + "/metrics", timeout=10) as response:
            text = response.read().decode()
    except OSError:
        return {}
    wanted = {
        "brain_ping_handling_delay_seconds": ("ping_read_to_echo_written", {}),
        "brain_turn_first_chunk_latency_seconds": ("request_read_to_first_chunk_written", {"kind": "response"}),
    }
    out = {}
    for family in text_string_to_metric_families(text):
        if family.name not in wanted:
            continue
        name, labels = wanted[family.name]
        buckets = [
            (float(sample.labels["le"]), sample.value)
            for sample in family.samples
            if sample.name.endswith("_bucket") and all(sample.labels.get(k) == v for k, v in labels.items())
        ]
        buckets.sort()
        total = buckets[-1][1] if buckets else 0
        result = {"count": int(total)}
        for q_name, q in (("p50_le", 0.5), ("p99_le", 0.99)):
            for bound, cumulative in buckets:
                if total and cumulative >= q * total:
                    result[q_name] = bound * 1000
                    break
        out[name] = result
    return out


def schedstat(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for a CPU) summed over the process's threads."""
    run = wait = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "schedstat").read_text().split()
        except OSError:
            continue
        run += int(fields[0]) / 1e9
        wait += int(fields[1]) / 1e9
    return run, wait


async def loop_lag(stats: Stats) -> None:
    """How late this process's own event loop runs a 10 ms timer (the generator's share of latency)."""
    while True:
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        stats.loop_lag_ms.append((time.perf_counter() - started - 0.01) * 1000)


ENTRY_POINTS = {
    "module": ["-m", "brain_service"],  # python -m brain_service: what `make brain` runs
    # how a FastAPI user deploys an ASGI app: uvicorn's defaults, nothing of ours but the app
    "uvicorn": [
        "-m",
        "uvicorn",
        "brain_service.app:app",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--log-level",
        "warning",
    ],
}


def start_server(calls: int, entry: str = "module") -> tuple[subprocess.Popen, int]:
    env = dict(os.environ)
    env.update(
        BRAIN_HOST="127.0.0.1",
        BRAIN_PORT="0",
        BRAIN_MAX_SESSIONS=str(calls + 100),
        BRAIN_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.Popen(
        [sys.executable, *ENTRY_POINTS[entry]], env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    port: list[int] = []
    ready = threading.Event()

    def pump() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            match = re.search(r"Uvicorn running on http://127\.0\.0\.1:(\d+)", line)
            if match:
                port.append(int(match.group(1)))
                ready.set()
            elif "ERROR" in line or "Traceback" in line:
                sys.stderr.write("[server] " + line)

    threading.Thread(target=pump, daemon=True).start()
    # The server logs at WARNING; its startup line is INFO, so poll /health on a probe port instead.
    return proc, _wait_port(proc, ready, port)


def _wait_port(proc: subprocess.Popen, ready: threading.Event, port: list[int]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if ready.wait(0.1):
            return port[0]
        if proc.poll() is not None:
            raise SystemExit("server exited during startup")
        for conn in psutil.Process(proc.pid).net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN:
                return conn.laddr.port
    raise SystemExit("server did not start")


async def main_async(args: argparse.Namespace) -> dict:
    proc = None
    if args.url:
        url, server = args.url, None
    else:
        proc, port = start_server(args.calls, args.entry)
        url = f"ws://127.0.0.1:{port}"
        server = psutil.Process(proc.pid)
    try:
        await asyncio.sleep(1.0)
        rss_idle = server.memory_info().rss if server else 0
        stats = Stats()
        rng = random.Random(args.seed)
        ramp_end = time.monotonic() + args.ramp
        stop_at = ramp_end + args.duration
        calls = [Call(i, url, stats, random.Random(rng.random()), stop_at) for i in range(args.calls)]
        tasks = []
        for call in calls:
            tasks.append(asyncio.create_task(call.run()))
            await asyncio.sleep(args.ramp / max(1, args.calls))
        await asyncio.sleep(max(0.0, ramp_end - time.monotonic()) + 2.0)
        # Measure steady state only: forget what the ramp produced.
        lag_task = asyncio.create_task(loop_lag(stats))
        stats.ping_ms.clear()
        stats.first_chunk_ms.clear()
        warm = (stats.turns, stats.superseded, stats.unanswered, stats.stale_frames)
        cpu0 = server.cpu_times() if server else None
        sched0 = schedstat(server.pid) if server else (0.0, 0.0)
        me_sched0 = schedstat(os.getpid())
        me0 = psutil.Process().cpu_times()
        t0 = time.monotonic()
        rss_loaded = server.memory_info().rss if server else 0
        await asyncio.gather(*tasks)
        lag_task.cancel()
        wall = time.monotonic() - t0
        cpu1 = server.cpu_times() if server else None
        sched1 = schedstat(server.pid) if server else (0.0, 0.0)
        me_sched1 = schedstat(os.getpid())
        me1 = psutil.Process().cpu_times()
        rss_end = server.memory_info().rss if server else 0
        server_side = scrape_histograms(url)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)

    def cpu_share(a, b) -> float:
        return round(((b.user + b.system) - (a.user + a.system)) / wall * 100, 1) if a and b else float("nan")

    return {
        "calls": args.calls,
        "duration_s": args.duration,
        "turns": stats.turns - warm[0],
        "superseded_turns": stats.superseded - warm[1],
        "unanswered_turns": stats.unanswered,
        "unanswered_during_ramp": warm[2],
        "drops": stats.drops,
        "connect_failures": stats.connect_failures,
        "pings": len(stats.ping_ms),
        "ping_ms": {q: round(percentile(stats.ping_ms, v), 2) for q, v in (("p50", 0.5), ("p99", 0.99), ("max", 1.0))},
        "first_chunk_ms": {
            q: round(percentile(stats.first_chunk_ms, v), 2) for q, v in (("p50", 0.5), ("p99", 0.99), ("max", 1.0))
        },
        "old_id_frames_in_flight": stats.stale_frames,
        "loadgen_loop_lag_ms": {
            q: round(percentile(stats.loop_lag_ms, v), 2) for q, v in (("p50", 0.5), ("p99", 0.99), ("max", 1.0))
        },
        "server_cpu_percent_of_one_core": cpu_share(cpu0, cpu1),
        "loadgen_cpu_percent_of_one_core": cpu_share(me0, me1),
        # Time the process was runnable but no CPU was free (other processes on the machine).
        "server_waiting_for_cpu_percent_of_wall": round((sched1[1] - sched0[1]) / wall * 100, 1),
        "loadgen_waiting_for_cpu_percent_of_wall": round((me_sched1[1] - me_sched0[1]) / wall * 100, 1),
        "machine_load_average_1m": round(os.getloadavg()[0], 2),
        "server_side_ms": server_side,
        "server_rss_idle_mib": round(rss_idle / 2**20, 1),
        "server_rss_loaded_mib": round(rss_loaded / 2**20, 1),
        "server_rss_end_mib": round(rss_end / 2**20, 1),
        "server_rss_per_call_kib": round((rss_loaded - rss_idle) / 1024 / max(1, args.calls), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0, help="steady-state seconds measured after the ramp")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which calls connect")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--entry", choices=sorted(ENTRY_POINTS), default="module", help="how the server is started (see docs)"
    )
    parser.add_argument(
        "--url", default="", help="use an already running brain (ws://host:port) instead of starting one"
    )
    parser.add_argument("--json", default="", help="also write the result here")
    args = parser.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(main_async(args))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
