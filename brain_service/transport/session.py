"""One live Retell socket: the reader, the timers and the lifecycle, composed of a frame writer and a
turn runner.

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

The session is built in one step with its :class:`RetainedCall` and reports its end through
``on_end``; it never imports the registry.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from brain_service.logs import get_logger, log_event
from brain_service.metrics import BrainMetrics
from brain_service.settings import BrainSettings
from brain_service.transport import protocol
from brain_service.transport.frames import ControlFrame, SpeechFrame
from brain_service.transport.retained_call import RetainedCall
from brain_service.transport.turn import OPEN
from brain_service.transport.turn_runner import Observer, TurnRunner
from brain_service.transport.wire_close import close_socket
from brain_service.transport.writer import FrameWriter, Send

logger = get_logger("session")

_BAD_LOG_LIMIT = 3
_READER_EXIT_AFTER_S = 6.0  # after we close, the reader stops waiting for the peer's disconnect

Receive = Callable[[], Awaitable[dict[str, Any]]]


class Session:
    def __init__(
        self,
        *,
        call: RetainedCall,
        settings: BrainSettings,
        metrics: BrainMetrics,
        receive: Receive,
        send: Send,
        path: str,
        on_end: Callable[[Session, str], None],
        observer: Observer | None = None,
    ) -> None:
        self.call = call
        self.call_id = call.call_id
        self.settings = settings
        self.metrics = metrics
        self._receive = receive
        self._send = send
        self._path = path
        self._on_end = on_end
        self._loop = asyncio.get_running_loop()
        self._call_details = asyncio.Event()
        self._ended = asyncio.Event()
        self._pending_update: str | None = None
        self._closing = False
        self._close_reason: str | None = None
        self._close_code: int | None = None
        self._closer: asyncio.Task[None] | None = None
        self._run_task: asyncio.Task[Any] | None = None
        self._bad_logged: dict[str, int] = {}
        self._write_timeout = settings.ws_write_timeout_ms / 1000
        self._max_chars = settings.ws_max_frame_bytes
        self._max_utterances = settings.brain_transcript_max_utterances
        self._keep_words = settings.brain_transcript_keep_words
        self._ping_interval = settings.brain_ping_interval_ms / 1000
        self._own_ping_timestamps: tuple[int, ...] = ()  # our last server pings: a peer echoing them is not pinged back
        self.writer = FrameWriter(
            call_id=self.call_id,
            send=send,
            settings=settings,
            metrics=metrics,
            on_speech_written=self._speech_written,
            idle_work=self._parse_pending_update,
            give_up=self._writer_gave_up,
        )
        self.turns = TurnRunner(
            call=call,
            writer=self.writer,
            settings=settings,
            metrics=metrics,
            call_details=self._call_details,
            observer=observer,
        )
        now = time.monotonic()
        self.started_at = now
        self.last_inbound = now
        self.frames_in = 0
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
        self.writer.start()
        s = self.settings
        config = protocol.config_frame(
            auto_reconnect=True, call_details=True, transcript_with_tool_calls=s.retell_transcript_with_tool_calls
        )
        self.writer.push(ControlFrame(config, "config"))
        if not call.begin_started:
            call.begin_started = True
            self.turns.start("begin", 0, (), time.monotonic())
        elif not call.begin_done and call.last_response_id <= 0:
            # The call never got its begin message: let Retell proceed without greeting twice.
            turn = self.turns.new_turn("begin", 0, time.monotonic())
            self.turns.close_turn(turn, actions=False)
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
        self.turns.cancel_task()
        self.writer.stop()
        self._closer = self._loop.create_task(
            close_socket(self._send, code, reason, self._write_timeout, blocked=blocked)
        )
        self._loop.call_later(_READER_EXIT_AFTER_S, self._stop_reader)

    def _writer_gave_up(self, code: int, reason: str, blocked: bool) -> None:
        self.close(code, reason, blocked=blocked)

    def _stop_reader(self) -> None:
        if not self._ended.is_set() and self._run_task is not None and not self._run_task.done():
            self._run_task.cancel()

    async def drain(self, deadline: float) -> None:
        """Shutdown: let the open turn write its terminal, then close 1001."""
        idle = self.turns.idle
        remaining = deadline - time.monotonic()
        if not idle.is_set() and remaining > 0:
            try:
                await asyncio.wait_for(idle.wait(), remaining)
            except TimeoutError:
                pass
        if self.turns.cut_open_turn():
            # Out of time: the terminal closes the stream so Retell is not left waiting on this id.
            try:
                await asyncio.wait_for(idle.wait(), 0.25)
            except TimeoutError:
                pass
        self.close(1001, "shutdown")
        try:
            await asyncio.wait_for(self._ended.wait(), max(0.2, min(2.0, deadline - time.monotonic())))
        except TimeoutError:
            pass

    def _end(self, reason: str) -> None:
        self._closing = True
        self.writer.stop()
        self.turns.end()
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
            frames_out=self.writer.frames_out,
            bad_frames=self.bad_frames,
        )
        self._on_end(self, reason)
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
                if code == 1007:  # the server refused a text frame that is not UTF-8 and closed the socket
                    self._bad(protocol.BAD_INVALID_UTF8, "text frame is not valid UTF-8")
                    return "invalid_utf8"
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
                self.writer.wake()
                if protocol.scan_turntaking(text) == "user_turn":
                    self.turns.barge_in(now)
                continue
            frame = self._parse(text)
            if frame is not None:
                self._dispatch(frame, now)

    def _dispatch(self, frame: protocol.InboundFrame, now: float) -> None:
        kind = frame.interaction_type
        if isinstance(frame, protocol.PingFrame):
            self.metrics.frame_in["ping_pong"].inc()
            if frame.timestamp in self._own_ping_timestamps:
                return  # the peer answered our own ping: echoing it back would start an endless ping loop
            self.writer.push(ControlFrame(protocol.ping_frame(frame.timestamp), "ping_pong", now))
        elif isinstance(frame, protocol.RequestFrame):
            self.metrics.frame_in[kind].inc()
            if frame.bad_entries:
                self._bad(
                    protocol.BAD_TRANSCRIPT_ENTRY, f"{frame.bad_entries} transcript entries", count=frame.bad_entries
                )
            self._pending_update = None  # the request carries the newer full transcript
            self.turns.start(frame.kind, frame.response_id, frame.transcript, now)
        elif isinstance(frame, protocol.UpdateOnlyFrame):
            self.metrics.frame_in["update_only"].inc()
            self._deliver_transcript(frame)
            if frame.turntaking == "user_turn":
                self.turns.barge_in(now)
        elif isinstance(frame, protocol.CallDetailsFrame):
            self.metrics.frame_in["call_details"].inc()
            try:
                self.call.conversation.on_call_details(frame.call)
            except Exception:
                logger.exception("conversation.on_call_details failed for call %s", self.call_id)
            self.call.journal_sync()
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

    def _parse_pending_update(self) -> bool:
        """The writer is idle: parse the newest deferred update_only (False when there is none)."""
        text = self._pending_update
        if text is None:
            return False
        self._pending_update = None
        frame = self._parse(text)
        if frame is None:
            return True
        if isinstance(frame, protocol.UpdateOnlyFrame):
            self._deliver_transcript(frame)
        else:  # a duplicate key made it something else after all
            self._dispatch(frame, time.monotonic())
        return True

    def _parse(self, text: str) -> protocol.InboundFrame | None:
        """Parse (and sanitise) one inbound frame; bad input is counted, None when unusable."""
        repaired: list[str] = []
        try:
            frame = protocol.parse_inbound(
                text, max_utterances=self._max_utterances, keep_words=self._keep_words, sanitised=repaired
            )
        except protocol.BadFrame as exc:
            self._bad(exc.kind, exc.detail)
            return None
        for kind in repaired:
            self._bad(kind, "repaired and used")
        return frame

    def _speech_written(self, frame: SpeechFrame) -> None:
        self.turns.on_speech_written(frame)

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
        writer = self.writer
        if now - writer.last_ping_out >= self._ping_interval:
            writer.last_ping_out = now  # one server ping per interval even while the write is pending
            timestamp = int(time.time() * 1000)
            self._own_ping_timestamps = (self._own_ping_timestamps + (timestamp,))[-4:]
            writer.push(ControlFrame(protocol.ping_frame(timestamp), "ping_pong"))
        turn = self.turns.current
        if turn is not None and turn.state == OPEN and now - turn.read_at >= self.settings.brain_turn_max_s:
            self.turns.cut_open_turn(count_timeout=True)
