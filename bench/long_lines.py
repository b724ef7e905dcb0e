"""Benchmark: how much one huge caller line costs every other live call (issue 14, item 1).

Starts the brain as a separate process (``python -m brain_service``, playbook mode), connects
``--calls`` quiet calls that each send a ``ping_pong`` every 50 ms, measures their echo latency for
a few seconds (baseline), then has one more call send a ``--size`` byte utterance of each kind (no
spaces, ordinary words, dots, "@" runs) and measures the quiet calls' echoes while that turn is
handled, plus the long turn's own time to its first reply frame.

    .venv/bin/python -m bench.long_lines --calls 20 --size 1048576
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import websockets

from bench.ws_load import percentile, start_server

PING_EVERY_S = 0.05
KINDS: dict[str, Callable[[int], str]] = {
    "no_spaces": lambda n: "a" * n,
    "words": lambda n: ("we mostly see new patients on weekdays " * (n // 39 + 1))[:n],
    "dots": lambda n: "." * n + "x",
    "at_signs": lambda n: "jane@" * (n // 5),
}


async def _open(url: str, call_id: str) -> websockets.ClientConnection:
    ws = await websockets.connect(f"{url}/llm-websocket/{call_id}", max_size=2**23, compression=None)
    await ws.recv()  # config
    await ws.send(json.dumps({"interaction_type": "call_details", "call": {"call_id": call_id}}))
    while json.loads(await ws.recv()).get("response_id") != 0:
        pass
    return ws


async def _pinger(ws: websockets.ClientConnection, samples: list[float], stop: asyncio.Event) -> None:
    sent: dict[int, float] = {}

    async def reader() -> None:
        async for raw in ws:
            frame = json.loads(raw)
            started = sent.pop(frame.get("timestamp", -1), None) if frame.get("response_type") == "ping_pong" else None
            if started is not None:
                samples.append((time.perf_counter() - started) * 1000)

    task = asyncio.create_task(reader())
    stamp = 0
    while not stop.is_set():
        stamp += 1
        sent[stamp] = time.perf_counter()
        await ws.send(json.dumps({"interaction_type": "ping_pong", "timestamp": stamp}))
        await asyncio.sleep(PING_EVERY_S)
    await asyncio.sleep(0.5)  # let the last echoes arrive
    task.cancel()


async def _measure(url: str, calls: int, window_s: float, long_text: str | None, index: int) -> dict[str, float]:
    quiet = [await _open(url, f"call_quiet_{index}_{n}") for n in range(calls)]
    samples: list[float] = []
    stop = asyncio.Event()
    pingers = [asyncio.create_task(_pinger(ws, samples, stop)) for ws in quiet]
    await asyncio.sleep(0.5)
    samples.clear()
    turn_ms = float("nan")
    if long_text is None:
        await asyncio.sleep(window_s)
    else:
        talker = await _open(url, f"call_long_{index}")
        transcript = [{"role": "user", "content": long_text}]
        started = time.perf_counter()
        await talker.send(
            json.dumps({"interaction_type": "response_required", "response_id": 1, "transcript": transcript})
        )
        while json.loads(await talker.recv()).get("response_id") != 1:
            pass
        turn_ms = (time.perf_counter() - started) * 1000
        await asyncio.sleep(max(0.0, window_s - turn_ms / 1000))
        await talker.close()
    stop.set()
    await asyncio.gather(*pingers)
    for ws in quiet:
        await ws.close()
    return {
        "long_turn_first_frame_ms": round(turn_ms, 1),
        "other_calls_pings": len(samples),
        "other_calls_ping_p50_ms": round(percentile(samples, 0.5), 2),
        "other_calls_ping_p99_ms": round(percentile(samples, 0.99), 2),
        "other_calls_ping_max_ms": round(percentile(samples, 1.0), 2),
    }


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    proc, port = start_server(args.calls + 10)
    url = f"ws://127.0.0.1:{port}"
    try:
        result: dict[str, object] = {"calls": args.calls, "size_bytes": args.size}
        result["baseline"] = await _measure(url, args.calls, args.window, None, 0)
        print(f"baseline: {result['baseline']}", flush=True)
        for index, (kind, make) in enumerate(KINDS.items(), start=1):
            result[kind] = await _measure(url, args.calls, args.window, make(args.size), index)
            print(f"{kind}: {result[kind]}", flush=True)
        result["machine_load_average_1m"] = round(os.getloadavg()[0], 2)
        return result
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20, help="quiet calls pinging while the long turn runs")
    parser.add_argument("--size", type=int, default=1024 * 1024, help="bytes in the long utterance")
    parser.add_argument("--window", type=float, default=3.0, help="seconds measured per kind")
    parser.add_argument("--json", default="", help="also write the result here")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")


if __name__ == "__main__":
    main()
