"""One live Retell socket: a reader, a writer that alone owns the socket, at most one turn task.

Rules (see docs/brain-transport.md):

* **Epoch.** Each ``response_required``/``reminder_required`` read starts a new turn and supersedes
  the previous one at once, in the reader, before anything else runs: its task is cancelled, its
  queued frames are dropped, and a write of its frame that is blocked on the socket is aborted
  before the bytes reach the transport. No frame of an older turn is written after a newer request
  was read. A superseded turn gets no terminal frame (Retell discards the old id anyway).
* **Exactly one terminal.** Every turn that is not superseded ends with one ``content_complete``
  frame carrying the ``end_call``/``transfer_number``/``digit_to_press`` its chunks asked for,
  also when the conversation raises or overruns ``BRAIN_TURN_MAX_S``.
* **Barge-in.** ``update_only`` with ``turntaking: user_turn`` while a turn is open cuts it: task
  cancelled, queued speech dropped, terminal (without actions) written.
* **Lanes.** Outbound control frames (config, ping_pong) go ahead of speech. Inbound,
  ``update_only`` frames are recognised without parsing, only the newest snapshot is kept and it is
  parsed when the writer is idle, so pings behind a burst of large transcripts answer at once.
* **Deadlines.** Every write has ``WS_WRITE_TIMEOUT_MS``; ``WS_MAX_CONSECUTIVE_WRITE_TIMEOUTS`` in a
  row close the socket with 1011 (so Retell reconnects and the call resumes).

The writer itself lives in ``session_writer.py``; this module is the reader, the turns and timers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from brain_service import protocol
from brain_service.logs import get_logger, log_event
from brain_service.session_turns import CLOSING, OPEN, SUPERSEDED, SessionTurns, Turn
from brain_service.session_writer import SessionWriter
from brain_service.wire_close import close_socket

if TYPE_CHECKING:
    from brain_service.metrics import BrainMetrics
    from brain_service.registry import CallRegistry, CallState
    from brain_service.settings import BrainSettings

logger = get_logger("session")

_BAD_LOG_LIMIT = 3
_READER_EXIT_AFTER_S = 6.0  # after we close, the reader stops waiting for the peer's disconnect

Observer = Callable[..., None]


class Session(SessionTurns, SessionWriter):
    def __init__(
        self,
        *,
        call_id: str,
        settings: BrainSettings,
        metrics: BrainMetrics,
        registry: CallRegistry,
        receive: Callable[[], Any],
        send: Callable[[dict[str, Any]], Any],
        path: str,
        observer: Observer | None = None,
    ) -> None:
        self.call_id = call_id
        self.settings = settings
        self.metrics = metrics
        self.registry = registry
        self.call: CallState = None  # type: ignore[assignment]  # set by attach()
        self._receive = receive
        self._send = send
        self._path = path
        self._observer = observer
        self._loop = asyncio.get_running_loop()
        self._control: deque[tuple[str, str, float]] = deque()
        self._speech: deque[tuple[Turn, int, bool, str, str]] = deque()
        self._wake = asyncio.Event()
        self._space = asyncio.Event()
        self._space.set()
        self._turn_idle = asyncio.Event()
        self._turn_idle.set()
        self._call_details = asyncio.Event()
        self._ended = asyncio.Event()
        self._pending_update: str | None = None
        self._turn: Turn | None = None
        self._seq = 0
        self._writer: asyncio.Task[None] | None = None
        self._inflight: tuple[Turn, int, bool, str, str] | None = None
        self._abort_inflight = False
        self._consecutive_timeouts = 0
        self._closing = False
        self._close_reason: str | None = None
        self._close_code: int | None = None
        self._closer: asyncio.Task[None] | None = None
        self._draining = False
        self._run_task: asyncio.Task[Any] | None = None
        self._bad_logged: dict[str, int] = {}
        self._max_queue = settings.brain_outbound_queue_max
        self._write_timeout = settings.ws_write_timeout_ms / 1000
        self._max_chars = settings.ws_max_frame_bytes
        self._max_utterances = settings.brain_transcript_max_utterances
        self._keep_words = settings.brain_transcript_keep_words
        self._ping_interval = settings.brain_ping_interval_ms / 1000
        now = time.monotonic()
        self.started_at = now
        self.last_inbound = now
        self._last_ping_out = now
        self._own_ping_timestamps: tuple[int, ...] = ()  # our last server pings: a peer echoing them is not pinged back
        self.frames_in = 0
        self.frames_out = 0
        self.bad_frames = 0

    # --- lifecycle -------------------------------------------------------------------------------

    async def run(self, resumed: bool) -> None:
        """Serve the accepted socket until it closes."""
        call = self.call
        self._run_task = asyncio.current_task()
        log_event(
            logger,
            logging.INFO,
            "session_start",
            call_id=self.call_id,
            path=self._path,
            reconnect=resumed,
            reconnects=call.reconnects,
        )
        self.metrics.sessions_started.labels("true" if resumed else "false").inc()
        self._writer = self._loop.create_task(self._write_loop())
        s = self.settings
        self._push_control(
            protocol.config_frame(
                auto_reconnect=True, call_details=True, transcript_with_tool_calls=s.retell_transcript_with_tool_calls
            ),
            "config",
            0.0,
        )
        if not call.begin_started:
            call.begin_started = True
            self._start_turn("begin", 0, (), time.monotonic())
        elif not call.begin_done and call.last_response_id <= 0:
            # The call never got its begin message: let Retell proceed without greeting twice.
            turn = self._new_turn("begin", 0, time.monotonic())
            self._close_turn(turn, actions=False)
        reason = "internal_error"
        try:
            reason = await self._read_loop()
        except asyncio.CancelledError:
            if not self._closing:
                raise
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()  # our own close timer: the peer never acknowledged
        except Exception:
            logger.exception("session reader failed for call %s", self.call_id)
            self.close(1011, "internal_error")
        finally:
            reason = self._close_reason or reason
            self._end(reason)
            if self._closer is not None:
                try:
                    await asyncio.shield(self._closer)
                except Exception:
                    pass

    def close(self, code: int, reason: str, *, blocked: bool = False) -> None:
        """Start closing the socket with ``code`` (idempotent); the reader sees the disconnect."""
        if self._closing:
            return
        self._closing = True
        self._close_code, self._close_reason = code, reason
        self._cancel_turn_task()
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
        self._closer = self._loop.create_task(
            close_socket(self._send, code, reason, self._write_timeout, blocked=blocked)
        )
        self._loop.call_later(_READER_EXIT_AFTER_S, self._stop_reader)

    def _stop_reader(self) -> None:
        if not self._ended.is_set() and self._run_task is not None and not self._run_task.done():
            self._run_task.cancel()

    async def drain(self, deadline: float) -> None:
        """Shutdown: let the open turn write its terminal, then close 1001."""
        self._draining = True
        remaining = deadline - time.monotonic()
        if not self._turn_idle.is_set() and remaining > 0:
            try:
                await asyncio.wait_for(self._turn_idle.wait(), remaining)
            except TimeoutError:
                pass
        turn = self._turn
        if turn is not None and turn.state == OPEN:
            # Out of time: close the stream so Retell is not left waiting on this id.
            turn.timed_out = True
            self._cancel_turn_task(turn)
            self._close_turn(turn, actions=False)
            try:
                await asyncio.wait_for(self._turn_idle.wait(), 0.25)
            except TimeoutError:
                pass
        self.close(1001, "shutdown")
        try:
            await asyncio.wait_for(self._ended.wait(), max(0.2, min(2.0, deadline - time.monotonic())))
        except TimeoutError:
            pass

    def _end(self, reason: str) -> None:
        self._closing = True
        if self._writer is not None and not self._writer.done():
            self._writer.cancel()
        turn = self._turn
        if turn is not None and turn.state in (OPEN, CLOSING):
            self._cancel_turn_task()
            turn.state = SUPERSEDED
            self._finish_turn(turn, cancelled=True)
        self._speech.clear()
        self._control.clear()
        self.metrics.session_closes.labels(reason).inc()
        log_event(
            logger,
            logging.INFO,
            "session_end",
            call_id=self.call_id,
            close_reason=reason,
            close_code=self._close_code,
            duration_s=round(time.monotonic() - self.started_at, 3),
            frames_in=self.frames_in,
            frames_out=self.frames_out,
            bad_frames=self.bad_frames,
        )
        self.registry.session_ended(self, reason)
        self._ended.set()

    # --- reader --------------------------------------------------------------------------------

    async def _read_loop(self) -> str:
        receive = self._receive
        frame_in = self.metrics.frame_in
        while True:
            message = await receive()
            mtype = message["type"]
            if mtype == "websocket.disconnect":
                code = message.get("code", 1006)
                if code == 1009:
                    return "frame_too_large"
                return "client_closed" if code in (1000, 1001) else "client_gone"
            if mtype != "websocket.receive" or self._closing:
                continue
            now = time.monotonic()
            self.last_inbound = now
            self.frames_in += 1
            text = message.get("text")
            if text is None:
                self._bad(protocol.BAD_BINARY, "binary frame")
                continue
            if len(text) > self._max_chars // 4 and len(text.encode()) > self._max_chars:
                self.close(1009, "frame_too_large")
                continue
            if protocol.looks_like_update_only(text):
                frame_in["update_only"].inc()
                if self._pending_update is not None:
                    self.metrics.update_only_coalesced.inc()
                self._pending_update = text
                self._wake.set()
                if protocol.scan_turntaking(text) == "user_turn":
                    self._barge_in(now)
                continue
            try:
                frame = protocol.parse_inbound(text, max_utterances=self._max_utterances, keep_words=self._keep_words)
            except protocol.BadFrame as exc:
                self._bad(exc.kind, exc.detail)
                continue
            self._dispatch(frame, now)

    def _dispatch(self, frame: protocol.InboundFrame, now: float) -> None:
        kind = frame.interaction_type
        if isinstance(frame, protocol.PingFrame):
            self.metrics.frame_in["ping_pong"].inc()
            if frame.timestamp in self._own_ping_timestamps:
                return  # the peer answered our own ping: echoing it back would start an endless ping loop
            self._push_control(protocol.ping_frame(frame.timestamp), "ping_pong", now)
        elif isinstance(frame, protocol.RequestFrame):
            self.metrics.frame_in[kind].inc()
            if frame.bad_entries:
                self._bad(
                    protocol.BAD_TRANSCRIPT_ENTRY, f"{frame.bad_entries} transcript entries", count=frame.bad_entries
                )
            self._pending_update = None  # the request carries the newer full transcript
            self._start_turn(frame.kind, frame.response_id, frame.transcript, now)
        elif isinstance(frame, protocol.UpdateOnlyFrame):
            self.metrics.frame_in["update_only"].inc()
            self._deliver_transcript(frame)
            if frame.turntaking == "user_turn":
                self._barge_in(now)
        elif isinstance(frame, protocol.CallDetailsFrame):
            self.metrics.frame_in["call_details"].inc()
            try:
                self.call.conversation.on_call_details(frame.call)
            except Exception:
                logger.exception("conversation.on_call_details failed for call %s", self.call_id)
            self._call_details.set()
        else:
            self.metrics.frame_in["unknown"].inc()
            self._bad(protocol.BAD_UNKNOWN_TYPE, f"interaction_type {kind!r}")

    def _deliver_transcript(self, frame: protocol.UpdateOnlyFrame) -> None:
        if frame.bad_entries:
            self._bad(protocol.BAD_TRANSCRIPT_ENTRY, f"{frame.bad_entries} transcript entries", count=frame.bad_entries)
        try:
            self.call.conversation.on_transcript(frame.transcript)
        except Exception:
            logger.exception("conversation.on_transcript failed for call %s", self.call_id)

    def _consume_pending_update(self, text: str) -> None:
        """Parse the newest deferred update_only (writer idle time)."""
        try:
            frame = protocol.parse_inbound(text, max_utterances=self._max_utterances, keep_words=self._keep_words)
        except protocol.BadFrame as exc:
            self._bad(exc.kind, exc.detail)
            return
        if isinstance(frame, protocol.UpdateOnlyFrame):
            self._deliver_transcript(frame)
        else:  # a duplicate key made it something else after all
            self._dispatch(frame, time.monotonic())

    def _bad(self, kind: str, detail: str, count: int = 1) -> None:
        self.bad_frames += count
        self.metrics.bad[kind].inc(count)
        seen = self._bad_logged.get(kind, 0)
        if seen < _BAD_LOG_LIMIT:
            self._bad_logged[kind] = seen + 1
            log_event(logger, logging.WARNING, "bad_frame", call_id=self.call_id, kind=kind, detail=detail[:160])

    # --- timers (called by the registry ticker) -------------------------------------------------

    def on_tick(self, now: float) -> None:
        if self._closing:
            return
        if now - self.last_inbound >= self.settings.brain_idle_timeout_s:
            self.close(1011, "idle_timeout")
            return
        if now - self._last_ping_out >= self._ping_interval:
            self._last_ping_out = now  # one server ping per interval even while the write is pending
            timestamp = int(time.time() * 1000)
            self._own_ping_timestamps = (self._own_ping_timestamps + (timestamp,))[-4:]
            self._push_control(protocol.ping_frame(timestamp), "ping_pong", 0.0)
        turn = self._turn
        if turn is not None and turn.state == OPEN and now - turn.read_at >= self.settings.brain_turn_max_s:
            turn.timed_out = True
            self.metrics.turns.labels("timed_out").inc()
            self._cancel_turn_task(turn)
            self._close_turn(turn, actions=False)
