"""Cost of one /ops snapshot (build + render of the page and its JSON) at a given load.

Builds the real ``SnapshotBuilder`` over ``--calls`` retained calls (the registry's shape: id,
start time, turn log, conversation with stage and prompt) and a DATA_DIR holding ``--records``
call records for today, then times: the first build (every record parsed), warm builds (records
cached by path/size/mtime) and rendering the page + JSON. Prints a short summary.

    .venv/bin/python bench/ops_snapshot.py --calls 1500 --records 10000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brain_service.metrics import BrainMetrics
from brain_service.ops.page import ops_page, panels
from brain_service.ops.snapshot import MIN_INTERVAL_S, SnapshotBuilder
from contracts.layout import DataLayout


@dataclass
class _Prompt:
    version: str = "p-bench-a"


@dataclass
class _State:
    stage: str = "email"


@dataclass
class _Conversation:
    state: _State = field(default_factory=_State)
    prompt: _Prompt = field(default_factory=_Prompt)


@dataclass
class _Call:
    call_id: str
    created_at: float
    turns: list[dict[str, Any]]
    conversation: _Conversation = field(default_factory=_Conversation)
    reconnects: int = 0
    detached_at: float | None = None


@dataclass
class _Registry:
    calls: tuple[_Call, ...]
    draining: bool = False

    @property
    def live_count(self) -> int:
        return len(self.calls)

    def retained_calls(self) -> tuple[_Call, ...]:
        return self.calls


def write_records(data_dir: Path, count: int) -> None:
    now = time.time()
    layout = DataLayout(data_dir)
    outcomes = ("email_captured", "callback", "not_interested", "dnc", "no_answer", "other")
    for i in range(count):
        record = {
            "call_id": f"call_{i:06d}",
            "started_at": "2026-12-04T10:00:00.000Z",
            "ended_at": "2026-12-04T10:02:10.000Z",
            "outcome": outcomes[i % len(outcomes)],
            "close_reason": "agent_end_call",
            "prompt_version": "p-bench-a",
            "latencies": [{"first_chunk_ms": 4.2}],
            "turns": [{"role": "agent", "text": "x" * 80}, {"role": "user", "text": "y" * 80}] * 6,
        }
        path = layout.brain_call_record(record["call_id"], now)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=1500)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        print(f"writing {args.records:,} call records ...", flush=True)
        write_records(data_dir, args.records)
        now = time.time()
        turns = [{"latency_ms": 3.5, "spoken": "never read"}] * 12
        registry = _Registry(tuple(_Call(f"call_live_{i:05d}", now - i % 600, turns) for i in range(args.calls)))
        metrics = BrainMetrics()
        for i in range(50_000):
            metrics.turn_latency_by_kind["response"].observe((i % 400) / 1000)
        builder = SnapshotBuilder(registry, metrics, data_dir, max_sessions=args.calls)

        async def timed_build() -> float:
            builder._cached = None  # measure a build, not the once-a-second reuse
            started = time.perf_counter()
            await builder.snapshot()
            return time.perf_counter() - started

        cold = await timed_build()
        warm = [await timed_build() for _ in range(args.rounds)]
        snap = await builder.snapshot()
        started = time.perf_counter()
        html = ops_page(snap, "nonce")
        body = json.dumps({"snapshot": snap.as_json(), "panels": panels(snap)})
        render = time.perf_counter() - started
    print(
        f"summary: {args.calls:,} live calls, {args.records:,} records today (os {os.uname().sysname}, "
        f"load {os.getloadavg()[0]:.1f}): first build {cold * 1000:.0f} ms, warm build median "
        f"{statistics.median(warm) * 1000:.1f} ms, render page+JSON {render * 1000:.1f} ms "
        f"({len(html) / 1024:.0f} KiB page, {len(body) / 1024:.0f} KiB JSON); builds are reused for {MIN_INTERVAL_S:.0f} s"
    )


if __name__ == "__main__":
    asyncio.run(main())
