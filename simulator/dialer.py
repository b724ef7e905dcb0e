"""The life of one simulated call, from create-phone-call to its last webhook.

registered → ring (3–20 simulated seconds) → not answered (``dial_no_answer`` / ``dial_busy`` /
``dial_failed``: no ``call_started``, but ``call_ended`` and ``call_analyzed``, as Retell) or
answered → ``call_started`` → the conversation with the real brain (`simulator/playback.py`) →
ended (the concurrency slot is freed) → ``call_ended`` (no analysis yet) → ``call_analyzed``.
Webhooks of one call go out in order on a queue of their own, so a slow receiver never holds the
conversation. A failure anywhere still ends the call (``error_unknown``) and finishes it, so
nobody waits for a call that will never end.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from simulator.call_book import CallBook
from simulator.call_objects import analysis, ended_call
from simulator.casting import Casting
from simulator.persona import CallContext
from simulator.playback import PlayResult, play_answered
from simulator.settings import SimulatorSettings
from simulator.webhooks import WebhookSender

log = logging.getLogger(__name__)

DIAL_REASONS = {"no_answer": "dial_no_answer", "busy": "dial_busy", "failed": "dial_failed"}
ANALYSIS_DELAY_S = 5.0  # simulated seconds between call_ended and call_analyzed


class SimClock:
    """Campaign time: starts at `start_ms` (default now) and runs `time_scale` times faster than real time."""

    def __init__(self, time_scale: float, start_ms: int | None = None) -> None:
        self.time_scale = time_scale
        self._origin_ms = start_ms if start_ms is not None else int(time.time() * 1000)
        self._t0 = time.monotonic()

    def now_ms(self) -> int:
        return self._origin_ms + int((time.monotonic() - self._t0) * 1000 * self.time_scale)

    async def sleep(self, sim_seconds: float) -> None:
        real = sim_seconds / self.time_scale
        if real >= 0.001:
            await asyncio.sleep(real)


class Dialer:
    def __init__(
        self,
        settings: SimulatorSettings,
        book: CallBook,
        casting: Casting,
        webhooks: WebhookSender,
        clock: SimClock,
    ) -> None:
        self.settings, self.book, self.casting, self.webhooks, self.clock = settings, book, casting, webhooks, clock
        self.tasks: set[asyncio.Task[None]] = set()

    def dial(self, call: dict[str, Any]) -> None:
        task = asyncio.create_task(self._run(call), name=f"sim-{call['call_id']}")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, call: dict[str, Any]) -> None:
        call_id = call["call_id"]
        outbox: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()
        sender = asyncio.create_task(self._deliver(outbox))
        try:
            await self._play(call, outbox)
        except Exception:
            log.exception("simulated call %s failed", call_id)
            self.book.count("internal_errors")
            broken = {
                **(self.book.get(call_id) or call),
                "call_status": "error",
                "disconnection_reason": "error_unknown",
            }
            self.book.put(broken)
            outbox.put_nowait(("call_ended", broken))
        finally:
            self.book.release(call_id)
            outbox.put_nowait(None)
            try:
                await sender
            finally:
                self.book.finish(call_id)

    async def _deliver(self, outbox: asyncio.Queue[tuple[str, dict[str, Any]] | None]) -> None:
        while (item := await outbox.get()) is not None:
            await self.webhooks.send(*item)

    async def _play(self, call: dict[str, Any], outbox: asyncio.Queue[tuple[str, dict[str, Any]] | None]) -> None:
        persona, rng = self.casting.cast(call)
        ring_s = rng.uniform(3.0, 20.0)
        dialled_ms = self.clock.now_ms()
        await self.clock.sleep(ring_s)
        play: PlayResult | None = None
        if persona.dial != "answered":
            reason = DIAL_REASONS[persona.dial]
            start_ms = dialled_ms
        else:
            start_ms = self.clock.now_ms()
            ongoing = {**call, "call_status": "ongoing", "start_timestamp": start_ms}
            self.book.put(ongoing)
            outbox.put_nowait(("call_started", ongoing))
            context = CallContext(call=ongoing, rng=rng)
            play = await play_answered(persona, ongoing, context, self.settings)
            reason = play.disconnection_reason
            self.book.count("reconnects", play.reconnects)
            self.book.count("pings", play.pings)
            self.book.count("pongs", play.pongs)
            if play.error:
                self.book.count("brain_errors")
                log.warning("call %s: %s", call["call_id"], play.error)
        final = ended_call(call, start_ms=start_ms, ring_s=ring_s, reason=reason, play=play)
        self.book.put(final)
        self.book.release(call["call_id"])
        self.book.count(f"reason:{reason}")
        self.book.count(f"persona:{persona.kind}")
        outbox.put_nowait(("call_ended", final))
        await self.clock.sleep(ANALYSIS_DELAY_S)
        analysed = {**final, "call_analysis": analysis(final, persona, play)}
        self.book.put(analysed)
        outbox.put_nowait(("call_analyzed", analysed))
