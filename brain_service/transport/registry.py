"""The call registry: per-call state that outlives one socket, capacity, timers and shutdown drain.

* A :class:`RetainedCall` (conversation, turn log, reconnect count) is keyed by ``call_id``. When a
  socket drops, the state waits ``BRAIN_RECONNECT_GRACE_S`` for Retell to reconnect with the same
  id; a reconnect resumes the same conversation instead of greeting again. When the grace period
  ends, or at once when the agent ended the call (``end_call`` written) or on shutdown, the call is
  finished: ``conversation.finish(...)`` runs once, in a worker thread, exceptions logged.
* Capacity: new calls above ``BRAIN_MAX_SESSIONS`` live sockets are refused at the handshake;
  a reconnect of a known call is always admitted (it was admitted once already).
* One ticker task serves every session (server pings at Retell's cadence, idle close, turn
  deadline) and expires detached calls, instead of a sleeping task per call.
* Drain (SIGTERM): refuse new sockets, let each live turn write its terminal frame, close 1001,
  finish every call, all within ``BRAIN_DRAIN_TIMEOUT_S``.
* Journals (``transport/journal.py``): each call is journalled as it goes; the journal is removed
  once the call record is written. At start-up, journals left by a crashed process are *orphans*:
  they wait ``BRAIN_RECONNECT_GRACE_S`` (from start-up) for Retell's reconnect, which resumes the
  call from its journal (no second greeting); after that they are finished as ``interrupted``
  records with everything the journal kept (email, do-not-call, callback window, tool events).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from brain_service.conversation_contract import ConversationFactory, JournalledConversation
from brain_service.logs import get_logger, log_event
from brain_service.metrics import BrainMetrics
from brain_service.settings import BrainSettings
from brain_service.transport.journal import CallJournal, JournalContents, JournalDirectory
from brain_service.transport.retained_call import LiveSession, RetainedCall

logger = get_logger("registry")

REJECT_CAPACITY = "capacity"
REJECT_DRAINING = "draining"
CLOSE_INTERRUPTED = "interrupted"  # close_reason of a call finished from the journal of a crashed process


class CallRegistry:
    def __init__(self, settings: BrainSettings, factory: ConversationFactory, metrics: BrainMetrics) -> None:
        self.settings = settings
        self.factory = factory
        self.metrics = metrics
        self._calls: dict[str, RetainedCall] = {}
        self._live: set[LiveSession] = set()
        self._finishing: set[asyncio.Future[Any]] = set()
        self._draining = False
        self._drained = False
        self._ticker: asyncio.Task[None] | None = None
        ping_s = settings.brain_ping_interval_ms / 1000
        self.tick_s = max(0.02, min(0.25, settings.brain_idle_timeout_s / 4, ping_s / 4))
        self.journals: JournalDirectory | None = None
        if settings.brain_journal_enabled and settings.call_record_enabled:
            self.journals = JournalDirectory(
                settings.data_dir, settings.brain_journal_instance, fsync=settings.brain_journal_fsync
            )
        self._orphans: dict[str, JournalContents] = {}
        self._orphans_until = 0.0

    # --- state ---------------------------------------------------------------------------------

    @property
    def draining(self) -> bool:
        return self._draining

    @property
    def live_count(self) -> int:
        return len(self._live)

    def get(self, call_id: str) -> RetainedCall | None:
        return self._calls.get(call_id)

    def retained_calls(self) -> tuple[RetainedCall, ...]:
        """Read-only copy of every call kept now (live or awaiting a reconnect), for /ops."""
        return tuple(self._calls.values())

    def admission(self, call_id: str) -> str | None:
        """None when a socket for ``call_id`` may be accepted now, else the refusal reason."""
        if self._draining:
            return REJECT_DRAINING
        call = self._calls.get(call_id)
        if (call is not None and not call.finished) or call_id in self._orphans:
            return None
        if len(self._live) >= self.settings.brain_max_sessions:
            return REJECT_CAPACITY
        return None

    def open_call(self, call_id: str) -> tuple[RetainedCall, bool]:
        """The call a socket for ``call_id`` serves: the retained one (a reconnect, True) or a new one.

        Nothing is registered yet: :meth:`bind` does that once the session is built.
        """
        call = self._calls.get(call_id)
        if call is not None and not call.finished:
            return call, True
        orphan = self._orphans.pop(call_id, None)
        if orphan is not None:  # Retell reconnects a call the crashed process was serving: resume it
            call = self._call_from_journal(orphan)
            call.detached_at = time.monotonic()
            self._calls[call_id] = call
            log_event(logger, logging.INFO, "call_resumed_from_journal", call_id=call_id, turns=len(call.turns))
            return call, True
        call = RetainedCall(call_id, self.factory.new_call(call_id))
        journals = self.journals
        if journals is not None and journals.owned and isinstance(call.conversation, JournalledConversation):
            call.journal = journals.new_journal(call_id, call.created_at)
        return call, False

    def bind(self, session: LiveSession, resumed: bool) -> None:
        """Make ``session`` the live socket of its call (closing a socket it replaces)."""
        self.ensure_ticker()
        call = session.call
        if not resumed:
            self._calls[call.call_id] = call
            self._bound_retained()
        else:
            call.reconnects += 1
            call.detached_at = None
            if call.journal is not None:
                call.journal.append("reconnect", {})
            self.metrics.reconnects.inc()
            previous = call.session
            if previous is not None:
                previous.close(1001, "replaced")
        call.session = session
        self._live.add(session)
        self.metrics.active_sessions.set(len(self._live))
        self.metrics.retained_calls.set(len(self._calls))

    def session_ended(self, session: LiveSession, reason: str) -> None:
        """A session's end callback: detach it, then finish the call or keep it for a reconnect."""
        self._live.discard(session)
        self.metrics.active_sessions.set(len(self._live))
        call = session.call
        if call.session is not session:
            return  # replaced by a newer socket for the same call
        call.session = None
        call.last_close_reason = reason
        if call.agent_ended:
            self.finish(call, "agent_end_call")
        elif reason == "shutdown" or self._draining or self.settings.brain_reconnect_grace_s <= 0:
            self.finish(call, reason)
        else:
            call.detached_at = time.monotonic()

    def _bound_retained(self) -> None:
        excess = len(self._calls) - self.settings.brain_max_retained_calls
        if excess <= 0:
            return
        detached = sorted((c for c in self._calls.values() if c.session is None), key=lambda c: c.detached_at or 0.0)
        for call in detached[:excess]:
            self.finish(call, call.last_close_reason)

    # --- finishing -----------------------------------------------------------------------------

    def finish(self, call: RetainedCall, reason: str) -> None:
        """Hand the call to ``conversation.finish`` once (in a thread; never raises)."""
        if call.finished:
            return
        call.finished = True
        if self._calls.get(call.call_id) is call:
            del self._calls[call.call_id]
        self.metrics.retained_calls.set(len(self._calls))
        self.metrics.calls_finished.labels(reason).inc()
        turns = list(call.turns)
        journal = call.journal
        log_event(
            logger,
            logging.INFO,
            "call_finished",
            call_id=call.call_id,
            close_reason=reason,
            reconnects=call.reconnects,
            turns=len(turns),
        )

        def run() -> None:
            try:
                call.conversation.finish(close_reason=reason, reconnects=call.reconnects, turns=turns)
            except Exception:  # the journal stays: the next start-up finishes it as interrupted
                logger.exception("conversation.finish failed for call %s", call.call_id)
                return
            if journal is not None:
                journal.remove()

        try:
            future = asyncio.get_running_loop().run_in_executor(None, run)
        except RuntimeError:  # no loop (interpreter teardown): do it inline
            run()
            return
        self._finishing.add(future)
        future.add_done_callback(self._finishing.discard)

    # --- journals of a crashed process ----------------------------------------------------------

    def recover_journals(self) -> int:
        """Start-up: claim the journal folder and adopt the journals a crashed process left.

        They wait ``BRAIN_RECONNECT_GRACE_S`` for a reconnect (then resume), else are finished as
        ``interrupted`` by the ticker (at once when the grace is 0). Returns how many were found.
        """
        journals = self.journals
        if journals is None or not journals.claim():
            return 0
        for contents in journals.orphans():
            older = self._orphans.get(contents.call_id)
            if older is not None:  # one call id journalled twice (a late reconnect became a new call): the
                # older is finished now; both write the same record path, so the newer one's record stands
                self.finish(self._call_from_journal(older), CLOSE_INTERRUPTED)
            self._orphans[contents.call_id] = contents
        self._orphans_until = time.monotonic() + self.settings.brain_reconnect_grace_s
        found = len(self._orphans)
        if found:
            log_event(
                logger,
                logging.WARNING,
                "journals_recovered",
                calls=found,
                reconnect_grace_s=self.settings.brain_reconnect_grace_s,
            )
        if self.settings.brain_reconnect_grace_s <= 0:
            self.finish_orphans()
        return found

    @property
    def orphan_count(self) -> int:
        return len(self._orphans)

    def finish_orphans(self) -> None:
        """Finish every journal no reconnect claimed as an ``interrupted`` record."""
        orphans, self._orphans = list(self._orphans.values()), {}
        for contents in orphans:
            self.finish(self._call_from_journal(contents), CLOSE_INTERRUPTED)

    def _call_from_journal(self, contents: JournalContents) -> RetainedCall:
        """A call rebuilt from its journal: conversation deltas replayed, turn records, reconnects."""
        call = RetainedCall(contents.call_id, self.factory.new_call(contents.call_id))
        conversation = call.conversation
        journalled = conversation if isinstance(conversation, JournalledConversation) else None
        refused = 0
        for entry in contents.entries:
            kind = entry["k"]
            if kind == "conv" and journalled is not None and isinstance(entry.get("d"), dict):
                try:
                    journalled.journal_restore(entry["d"])
                except Exception:
                    refused += 1
            elif kind == "turn" and isinstance(entry.get("t"), dict):
                call.record_turn(entry["t"])
            elif kind == "reconnect":
                call.reconnects += 1
        if refused:
            log_event(logger, logging.WARNING, "journal_entries_refused", call_id=call.call_id, refused=refused)
        rids = [t["response_id"] for t in call.turns if isinstance(t.get("response_id"), int)]
        call.last_response_id = max(rids, default=-1)
        call.begin_done = any(t.get("kind") == "begin" and not t.get("superseded") for t in call.turns)
        call.begin_started = call.begin_done  # a greeting the crash cut off is given again
        call.agent_ended = any(t.get("end_call") is True for t in call.turns)
        fsync = self.journals.fsync if self.journals is not None else False
        call.journal = CallJournal(call.call_id, contents.path, fsync=fsync, existing=True)  # removed at finish
        return call

    # --- timers --------------------------------------------------------------------------------

    def ensure_ticker(self) -> None:
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.get_running_loop().create_task(self._tick_forever(), name="brain-registry-ticker")

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.tick_s)
            try:
                self.tick(time.monotonic())
            except Exception:
                logger.exception("registry tick failed")

    def tick(self, now: float) -> None:
        for session in list(self._live):
            session.on_tick(now)
        grace = self.settings.brain_reconnect_grace_s
        expired = [c for c in self._calls.values() if c.detached_at is not None and now - c.detached_at >= grace]
        for call in expired:
            self.finish(call, call.last_close_reason)
        if self._orphans and now >= self._orphans_until:
            self.finish_orphans()

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
            self._ticker = None

    # --- drain ---------------------------------------------------------------------------------

    async def drain(self, timeout: float | None = None) -> None:
        """Stop admitting, let live turns finish, close 1001, finish every call (idempotent)."""
        if self._drained:
            return
        self._draining = True
        timeout = self.settings.brain_drain_timeout_s if timeout is None else timeout
        deadline = time.monotonic() + timeout
        sessions = list(self._live)
        log_event(logger, logging.INFO, "drain_start", sessions=len(sessions), timeout_s=timeout)
        if sessions:
            await asyncio.gather(*(s.drain(deadline) for s in sessions), return_exceptions=True)
        for call in list(self._calls.values()):
            if call.session is None:
                self.finish(call, "shutdown" if not call.agent_ended else "agent_end_call")
        if self._finishing:
            remaining = max(0.5, deadline - time.monotonic())
            await asyncio.wait(list(self._finishing), timeout=remaining)
        self._drained = True
        await self.stop()
        if self.journals is not None:  # orphans not yet finished stay on disk for the next start-up
            self.journals.release()
        log_event(logger, logging.INFO, "drain_done", remaining_sessions=len(self._live))
