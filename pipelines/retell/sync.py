"""The resumable Retell call sync: list new calls, hydrate each with get-call, land JSONL batches.

One run:
1. list-calls (v3) ascending by start time from `watermark - overlap` (first run: now - lookback),
   page by page with `pagination_key`;
2. for every listed call not already known complete, get-call concurrently (a semaphore of
   `concurrency`), land the page's call objects as one atomic JSONL batch, then advance and save
   the cursor (`SyncState`);
3. get-call again every call still awaiting its analysis (`pending`) that the listing did not
   cover, until it is complete or older than `pending_max_age`.

Killed at any point, the next run lists again from the last saved watermark: a batch written but
not yet recorded is fetched and written again (same content → same file), and raw.retell_calls
upserts by call_id, so there is never a duplicate nor a gap. At most `max_calls_per_run` get-calls
per run; the rest continue next run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from pipelines.retell.batches import remove_stale_temp_files, write_batch
from pipelines.retell.config import SyncConfig
from pipelines.retell.fetch import RetellSyncError, get_call, list_page, make_client
from pipelines.retell.state import SyncState

CONNECTIONS_PER_CLIENT = 4
FINAL_STATUSES = frozenset({"ended", "error", "not_connected"})


def is_complete(call: dict[str, Any]) -> bool:
    """Nothing more will arrive for this call: final status and Retell's analysis present."""
    return call.get("call_status") in FINAL_STATUSES and isinstance(call.get("call_analysis"), dict)


@dataclass
class SyncReport:
    listed: int = 0
    fetched: int = 0
    skipped_complete: int = 0
    pending_refetched: int = 0
    still_pending: int = 0
    gave_up: int = 0
    not_found: int = 0
    pages: int = 0
    batches: list[str] = field(default_factory=list)
    watermark_ms: int | None = None
    truncated: bool = False
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def run_sync(
    config: SyncConfig, *, now_ms: int | None = None, on_batch: Callable[[int], None] | None = None
) -> SyncReport:
    """One sync run (see module doc). `on_batch(n_calls)` is called after each committed batch."""
    started = time.perf_counter()
    now_ms = now_ms if now_ms is not None else int(time.time() * 1000)
    state = SyncState.load(config.state_file)
    remove_stale_temp_files(config.landing_dir)
    report = SyncReport()
    budget = config.max_calls_per_run
    lower_ms = (
        (state.watermark_ms - config.overlap_ms) if state.watermark_ms is not None else now_ms - config.lookback_ms
    )
    seen: set[str] = set()
    # httpx's connection pool gets slower the more connections it juggles, so the concurrency is
    # spread over several small clients (CONNECTIONS_PER_CLIENT each), one worker per connection.
    n_clients = max(1, -(-config.concurrency // CONNECTIONS_PER_CLIENT))
    clients = [
        make_client(config, connections=min(CONNECTIONS_PER_CLIENT, config.concurrency)) for _ in range(n_clients)
    ]

    async with contextlib.AsyncExitStack() as stack:
        for c in clients:
            await stack.enter_async_context(c)
        client = clients[0]

        async def fetch_all(call_ids: list[str]) -> list[tuple[dict[str, Any], bytes] | None]:
            results: list[tuple[dict[str, Any], bytes] | None] = [None] * len(call_ids)
            queue: asyncio.Queue[int] = asyncio.Queue()
            for i in range(len(call_ids)):
                queue.put_nowait(i)

            async def worker(worker_client: Any) -> None:
                while not queue.empty():
                    i = queue.get_nowait()
                    results[i] = await get_call(worker_client, config, call_ids[i])

            workers = [
                asyncio.create_task(worker(clients[w % n_clients]))
                for w in range(min(config.concurrency, len(call_ids)))
            ]
            try:
                await asyncio.gather(*workers)
            except BaseException:
                for task in workers:
                    task.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
                raise
            return results

        async def land(call_ids: list[str], starts: dict[str, int]) -> None:
            fetched = await fetch_all(call_ids)
            landed = [f for f in fetched if f is not None]
            path = write_batch(config.landing_dir, [c for c, _ in landed], bodies=[b for _, b in landed])
            if path is not None:
                report.batches.append(str(path))
            for cid, item in zip(call_ids, fetched, strict=True):
                call = item[0] if item is not None else None
                if call is None:
                    report.not_found += 1
                    state.pending.pop(cid, None)
                    continue
                report.fetched += 1
                start = int(call.get("start_timestamp") or starts.get(cid) or now_ms)
                if is_complete(call):
                    state.pending.pop(cid, None)
                    state.complete[cid] = start
                else:
                    state.pending[cid] = start

        # 1-2. list pages from the watermark and hydrate what is new or unfinished.
        pagination_key: str | None = None
        while budget > 0:
            page = await list_page(client, config, lower_ms=lower_ms, pagination_key=pagination_key)
            report.pages += 1
            items = [it for it in page["items"] if isinstance(it, dict) and isinstance(it.get("call_id"), str)]
            report.listed += len(items)
            processed: list[dict[str, Any]] = []
            to_fetch: list[str] = []
            for item in items:
                cid = item["call_id"]
                if cid in state.complete or cid in seen:
                    report.skipped_complete += cid in state.complete
                    processed.append(item)
                    continue
                if len(to_fetch) >= budget:
                    report.truncated = True
                    break
                to_fetch.append(cid)
                processed.append(item)
            starts = {it["call_id"]: int(it.get("start_timestamp") or now_ms) for it in processed}
            await land(to_fetch, starts)
            seen.update(starts)
            budget -= len(to_fetch)
            real_starts = [
                int(it["start_timestamp"]) for it in processed if isinstance(it.get("start_timestamp"), (int, float))
            ]
            if real_starts:  # a call without a start time never moves the watermark
                top = max(real_starts)
                state.watermark_ms = top if state.watermark_ms is None else max(state.watermark_ms, top)
            state.prune_complete(config.overlap_ms)
            state.save(config.state_file)
            if on_batch is not None:
                on_batch(len(to_fetch))
            if report.truncated or not page.get("has_more"):
                break
            pagination_key = page.get("pagination_key")
            if not pagination_key:
                raise RetellSyncError("list-calls: has_more without a pagination_key")
        if budget <= 0 and not report.truncated:
            report.truncated = True

        # 3. calls still awaiting analysis that this listing did not cover.
        floor = now_ms - config.pending_max_age_ms
        for cid in [cid for cid, ms in state.pending.items() if cid not in seen and ms < floor]:
            del state.pending[cid]
            report.gave_up += 1
        leftovers = [cid for cid in state.pending if cid not in seen]
        while leftovers and budget > 0:
            chunk, leftovers = leftovers[: min(config.page_size, budget)], leftovers[min(config.page_size, budget) :]
            await land(chunk, dict(state.pending))
            report.pending_refetched += len(chunk)
            budget -= len(chunk)
            state.save(config.state_file)
            if on_batch is not None:
                on_batch(len(chunk))
        if leftovers:
            report.truncated = True
        state.save(config.state_file)

    report.still_pending = len(state.pending)
    report.watermark_ms = state.watermark_ms
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def sync_calls(config: SyncConfig, **kwargs: Any) -> SyncReport:
    """Blocking wrapper around `run_sync` (for assets and scripts)."""
    return asyncio.run(run_sync(config, **kwargs))
