"""One read-only snapshot of the brain for ``/ops``: live calls, latency, outcomes, prompts, stop switch.

Live calls come from the call registry (read on the event loop, O(live calls), no I/O); the
first-response latency histogram from the brain's Prometheus histogram; outcomes, the published
prompt and the campaign stop switch from files (read in a worker thread). Per call only the
stage, duration, last turn latency, connection state and pinned prompt version are taken — never
a transcript, a spoken line or a contact detail. A snapshot is reused for :data:`MIN_INTERVAL_S`,
so any number of open pages costs one build per second.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from brain_service.ops.records import OutcomeSummary, RecordReader
from brain_service.prompts import BUILTIN_VERSION, PromptError, parse_prompt_file
from contracts.layout import DataLayout

MIN_INTERVAL_S = 1.0
MAX_LIVE_ROWS = 500
LATENCY_KINDS = ("begin", "response", "reminder")


class RetainedCallView(Protocol):
    """What the page reads of a call the registry keeps (duck-typed; never written)."""

    @property
    def call_id(self) -> str: ...
    @property
    def created_at(self) -> float: ...
    @property
    def reconnects(self) -> int: ...
    @property
    def detached_at(self) -> float | None: ...
    @property
    def turns(self) -> list[dict[str, Any]]: ...
    @property
    def conversation(self) -> object: ...


@dataclass(frozen=True, slots=True)
class LiveCall:
    call_id: str
    stage: str | None
    duration_s: float
    last_turn_latency_ms: float | None
    turns: int
    connected: bool
    reconnects: int
    prompt_version: str | None


@dataclass(frozen=True, slots=True)
class LatencyHistogram:
    """First-chunk latency of every turn since the brain started, by bucket (non-cumulative)."""

    upper_bounds_s: tuple[float | None, ...]  # None: the last, unbounded bucket (+Inf)
    counts_by_kind: dict[str, tuple[int, ...]]
    total: int
    p50_s: float | None
    p95_s: float | None


@dataclass(frozen=True, slots=True)
class StopSwitch:
    path: str
    set: bool | None  # None: could not be checked
    since: str | None
    error: str | None


@dataclass(frozen=True, slots=True)
class PromptStatus:
    published_version: str
    published_error: str | None
    ab_weights: dict[str, float]  # active.json's ab.weights: new calls shared between versions
    pinned_on_live_calls: dict[str, int]


@dataclass(frozen=True, slots=True)
class OpsSnapshot:
    generated_at: str
    draining: bool
    live_count: int
    waiting_reconnect: int
    max_sessions: int
    live_calls: tuple[LiveCall, ...]
    live_calls_total: int  # rows beyond MAX_LIVE_ROWS are counted, not listed
    latency: LatencyHistogram
    calls_finished_by_reason: dict[str, int]
    outcomes: OutcomeSummary
    prompts: PromptStatus
    stop_switch: StopSwitch

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


# --- live calls ---------------------------------------------------------------------------------


def _stage(conversation: object) -> str | None:
    stage = getattr(getattr(conversation, "state", None), "stage", None)
    return str(stage) if isinstance(stage, str) else None


def _prompt_version(conversation: object) -> str | None:
    version = getattr(getattr(conversation, "prompt", None), "version", None)
    return version[:200] if isinstance(version, str) else None


def _last_latency_ms(turns: Sequence[dict[str, Any]]) -> float | None:
    for record in reversed(turns):
        value = record.get("latency_ms") if isinstance(record, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def live_calls(calls: Iterable[RetainedCallView], now_wall: float) -> list[LiveCall]:
    """Rows for the live table, longest call first (reads only numbers and labels)."""
    rows = [
        LiveCall(
            call_id=call.call_id,
            stage=_stage(call.conversation),
            duration_s=max(0.0, now_wall - call.created_at),
            last_turn_latency_ms=_last_latency_ms(call.turns),
            turns=len(call.turns),
            connected=call.detached_at is None,
            reconnects=call.reconnects,
            prompt_version=_prompt_version(call.conversation),
        )
        for call in calls
    ]
    rows.sort(key=lambda row: (-row.duration_s, row.call_id))
    return rows


# --- latency histogram ------------------------------------------------------------------------------


def latency_histogram(histogram: Any) -> LatencyHistogram:
    """Non-cumulative bucket counts per turn kind from a prometheus-client ``Histogram`` with a kind label."""
    cumulative: dict[str, dict[float, float]] = {}
    for metric in histogram.collect():
        for sample in metric.samples:
            if not sample.name.endswith("_bucket"):
                continue
            kind = sample.labels.get("kind", "response")
            cumulative.setdefault(kind, {})[float(sample.labels["le"])] = sample.value
    bounds = tuple(sorted({bound for per_kind in cumulative.values() for bound in per_kind}))
    counts: dict[str, tuple[int, ...]] = {}
    for kind in LATENCY_KINDS:
        per_kind = cumulative.get(kind, {})
        previous, row = 0.0, []
        for bound in bounds:
            value = per_kind.get(bound, previous)
            row.append(int(round(value - previous)))
            previous = value
        counts[kind] = tuple(row)
    totals = [sum(counts[kind][i] for kind in LATENCY_KINDS) for i in range(len(bounds))]
    total = sum(totals)

    def quantile(q: float) -> float | None:
        """Upper bound of the bucket holding the q-quantile (None when empty or beyond the last bound)."""
        running = 0
        for bound, count in zip(bounds, totals, strict=True):
            running += count
            if total and running >= q * total:
                return None if math.isinf(bound) else bound
        return None

    finite = tuple(None if math.isinf(bound) else bound for bound in bounds)
    return LatencyHistogram(finite, counts, total, quantile(0.5), quantile(0.95))


def counter_by_label(counter: Any, label: str) -> dict[str, int]:
    values: dict[str, int] = {}
    for metric in counter.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total") and sample.value:
                values[str(sample.labels.get(label, ""))] = int(sample.value)
    return values


# --- files --------------------------------------------------------------------------------------------


def stop_switch(layout: DataLayout) -> StopSwitch:
    path = layout.campaign_stop
    try:
        st = path.stat()
    except FileNotFoundError:
        return StopSwitch(str(path), False, None, None)
    except OSError as exc:
        return StopSwitch(str(path), None, None, exc.strerror or type(exc).__name__)
    since = datetime.fromtimestamp(st.st_mtime, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ")
    return StopSwitch(str(path), True, since, None)


def _ab_weights(raw: bytes) -> dict[str, float]:
    """``ab.weights`` of an active prompt file ({} when absent or not numbers); at most 20 entries."""
    try:
        ab = json.loads(raw).get("ab")
    except (ValueError, AttributeError):
        return {}
    weights = ab.get("weights") if isinstance(ab, dict) else None
    if not isinstance(weights, dict):
        return {}
    return {
        str(name)[:200]: float(weight)
        for name, weight in list(weights.items())[:20]
        if isinstance(weight, (int, float)) and not isinstance(weight, bool) and math.isfinite(weight)
    }


def published_prompt(layout: DataLayout) -> tuple[str, str | None, dict[str, float]]:
    """(version, error, A/B weights) of ``prompts/active.json``; the built-in version when absent."""
    path = layout.active_prompt
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return BUILTIN_VERSION, None, {}
    except OSError as exc:
        return "unknown", f"cannot read {path.name}: {exc.strerror or type(exc).__name__}", {}
    try:
        return parse_prompt_file(raw, path.name).version, None, _ab_weights(raw)
    except PromptError as exc:
        return "unknown", str(exc)[:300], {}


# --- the builder ----------------------------------------------------------------------------------------


class SnapshotSource(Protocol):
    """The parts of the brain runtime the page reads."""

    @property
    def draining(self) -> bool: ...
    @property
    def live_count(self) -> int: ...
    def retained_calls(self) -> Sequence[RetainedCallView]: ...


class SnapshotBuilder:
    """Builds (at most once per :data:`MIN_INTERVAL_S`) the snapshot the page and its JSON show."""

    def __init__(self, registry: SnapshotSource, metrics: Any, data_dir: Path, max_sessions: int) -> None:
        self.registry = registry
        self.metrics = metrics
        self.layout = DataLayout(Path(data_dir))
        self.max_sessions = max_sessions
        self.records = RecordReader(Path(data_dir))
        self._cached: tuple[float, OpsSnapshot] | None = None
        self._lock = asyncio.Lock()

    def _files(self) -> tuple[OutcomeSummary, tuple[str, str | None, dict[str, float]], StopSwitch]:
        return self.records.summary(), published_prompt(self.layout), stop_switch(self.layout)

    async def snapshot(self) -> OpsSnapshot:
        async with self._lock:
            if self._cached is not None and time.monotonic() - self._cached[0] < MIN_INTERVAL_S:
                return self._cached[1]
            outcomes, (version, error, weights), switch = await asyncio.to_thread(self._files)
            now = time.time()
            rows = live_calls(self.registry.retained_calls(), now)
            pinned = Counter(row.prompt_version or "unknown" for row in rows)
            snap = OpsSnapshot(
                generated_at=datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%d %H:%M:%SZ"),
                draining=self.registry.draining,
                live_count=self.registry.live_count,
                waiting_reconnect=sum(1 for row in rows if not row.connected),
                max_sessions=self.max_sessions,
                live_calls=tuple(rows[:MAX_LIVE_ROWS]),
                live_calls_total=len(rows),
                latency=latency_histogram(self.metrics.turn_latency),
                calls_finished_by_reason=counter_by_label(self.metrics.calls_finished, "reason"),
                outcomes=outcomes,
                prompts=PromptStatus(version, error, weights, dict(pinned.most_common())),
                stop_switch=switch,
            )
            self._cached = (time.monotonic(), snap)
            return snap
