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
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Callable

from brain_service import protocol
from brain_service.logs import get_logger, log_event
from brain_service.turns import SpeechChunk, ToolEvent, TurnRequest
from brain_service.wire_close import close_socket

if TYPE_CHECKING:
    from brain_service.metrics import BrainMetrics
    from brain_service.registry import CallRegistry, CallState
    from brain_service.settings import BrainSettings

logger = get_logger("session")

OPEN, CLOSING, DONE, SUPERSEDED = "open", "closing", "done", "superseded"
_WRITTEN, _ABORTED, _RETRY = 0, 1, 2
_BAD_LOG_LIMIT = 3
_READER_EXIT_AFTER_S = 6.0  # after we close, the reader stops waiting for the peer's disconnect

Observer = Callable[..., None]


class _WriterStop(Exception):
    """The socket is unusable; the writer stops."""


class Turn:
    __slots__ = (
        "seq", "response_id", "kind", "read_at", "task", "state", "gen", "end_call", "transfer_number",
        "digit_to_press", "spoken", "chunks", "first_chunk_at", "barge_in_at", "error", "timed_out",
    )  # fmt: skip

    def __init__(self, seq: int, response_id: int, kind: str, read_at: float) -> None:
        self.seq = seq
        self.response_id = response_id
        self.kind = kind
        self.read_at = read_at
        self.task: asyncio.Task[None] | None = None
        self.state = OPEN
        self.gen = 0
        self.end_call = False
        self.transfer_number: str | None = None
        self.digit_to_press: str | None = None
        self.spoken: list[str] = []
        self.chunks = 0
        self.first_chunk_at: float | None = None
        self.barge_in_at: float | None = None
        self.error = False
        self.timed_out = False


class Session:
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
        self.frames_in = 0
        self.frames_out = 0
        self.bad_frames = 0

    # --- lifecycle -------------------------------------------------------------------------------

    async def run(self, resumed: bool) -> None:
        """Serve the accepted socket until it closes."""
        call = self.call
        self._run_task = asyncio.current_task()
        log_event(logger, logging.INFO, "session_start", call_id=self.call_id, path=self._path, reconnect=resumed, reconnects=call.reconnects)
        self.metrics.sessions_started.labels("true" if resumed else "false").inc()
        self._writer = self._loop.create_task(self._write_loop())
        s = self.settings
        self._push_control(
            protocol.config_frame(auto_reconnect=True, call_details=True, transcript_with_tool_calls=s.retell_transcript_with_tool_calls),
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
        self._closer = self._loop.create_task(close_socket(self._send, code, reason, self._write_timeout, blocked=blocked))
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
            self._push_control(protocol.ping_frame(frame.timestamp), "ping_pong", now)
        elif isinstance(frame, protocol.RequestFrame):
            self.metrics.frame_in[kind].inc()
            if frame.bad_entries:
                self._bad(protocol.BAD_TRANSCRIPT_ENTRY, f"{frame.bad_entries} transcript entries", count=frame.bad_entries)
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

    # --- turns ---------------------------------------------------------------------------------

    def _new_turn(self, kind: str, response_id: int, read_at: float) -> Turn:
        previous = self._turn
        if previous is not None and previous.state in (OPEN, CLOSING):
            self._supersede(previous)
        self._seq += 1
        turn = Turn(self._seq, response_id, kind, read_at)
        self._turn = turn
        self._turn_idle.clear()
        if response_id > self.call.last_response_id:
            self.call.last_response_id = response_id
        if self._observer is not None:
            self._observer("read", self.call_id, response_id=response_id, seq=turn.seq)
        return turn

    def _start_turn(self, kind: str, response_id: int, transcript: tuple[Any, ...], read_at: float) -> None:
        turn = self._new_turn(kind, response_id, read_at)
        request = TurnRequest(kind=kind, response_id=response_id, transcript=transcript, read_at_monotonic=read_at)  # type: ignore[arg-type]
        turn.task = self._loop.create_task(self._run_turn(turn, request))

    def _supersede(self, turn: Turn) -> None:
        dropped = len(self._speech)
        self._speech.clear()
        self._space.set()
        turn.state = SUPERSEDED
        self._cancel_turn_task(turn)
        self._abort_stale_write()
        if dropped:
            self.metrics.stale_frames_dropped.inc(dropped)
        self.metrics.turns.labels("superseded").inc()
        self._finish_turn(turn, cancelled=True)

    def _barge_in(self, now: float) -> None:
        turn = self._turn
        if turn is None or turn.state != OPEN:
            return
        dropped = len(self._speech)
        self._speech.clear()
        self._space.set()
        turn.gen += 1
        turn.barge_in_at = now
        self._cancel_turn_task(turn)
        self._abort_stale_write()
        if dropped:
            self.metrics.stale_frames_dropped.inc(dropped)
        self.metrics.barge_ins.inc()
        self._close_turn(turn, actions=False)

    def _cancel_turn_task(self, turn: Turn | None = None) -> None:
        turn = turn or self._turn
        if turn is not None and turn.task is not None and not turn.task.done():
            turn.task.cancel()

    def _abort_stale_write(self) -> None:
        """A write blocked on the socket for a frame that just went stale must not complete."""
        item = self._inflight
        if item is not None and not self._fresh(item) and self._writer is not None:
            self._abort_inflight = True
            self._writer.cancel()

    def _fresh(self, item: tuple[Turn, int, bool, str, str]) -> bool:
        turn, gen, terminal, _, _ = item
        if turn is not self._turn:
            return False
        if terminal:
            return turn.state == CLOSING
        return gen == turn.gen and turn.state in (OPEN, CLOSING)

    def _close_turn(self, turn: Turn, *, actions: bool) -> None:
        """Queue the one terminal frame of ``turn``."""
        if turn.state != OPEN or turn is not self._turn:
            return
        turn.state = CLOSING
        if actions:
            text = protocol.response_frame(
                turn.response_id,
                "",
                True,
                end_call=True if turn.end_call else None,
                transfer_number=None if turn.end_call else turn.transfer_number,
                digit_to_press=None if (turn.end_call or turn.transfer_number) else turn.digit_to_press,
            )
        else:
            text = protocol.response_frame(turn.response_id, "", True)
        self._speech.append((turn, turn.gen, True, text, ""))
        self._wake.set()

    async def _run_turn(self, turn: Turn, request: TurnRequest) -> None:
        try:
            if turn.kind == "begin" and not self._call_details.is_set():
                wait_s = self.settings.brain_begin_wait_call_details_ms / 1000
                if wait_s > 0:
                    try:
                        await asyncio.wait_for(self._call_details.wait(), wait_s)
                    except TimeoutError:
                        pass
            send_tools = self.settings.brain_send_tool_call_frames
            async with aclosing(self.call.conversation.respond(request)) as outputs:  # type: ignore[type-var]
                async for output in outputs:
                    if turn.state != OPEN:
                        return
                    if isinstance(output, SpeechChunk):
                        self._queue_chunk(turn, output)
                    elif isinstance(output, ToolEvent) and send_tools:
                        self._queue_tool(turn, output)
                    while len(self._speech) >= self._max_queue and turn.state == OPEN:
                        self._space.clear()
                        await self._space.wait()
        except asyncio.CancelledError:
            raise
        except Exception:
            turn.error = True
            self.metrics.turn_errors.inc()
            logger.exception("conversation.respond failed for call %s response_id %s", self.call_id, turn.response_id)
        self._close_turn(turn, actions=not turn.error)

    def _queue_chunk(self, turn: Turn, chunk: SpeechChunk) -> None:
        if chunk.end_call:
            turn.end_call = True
        if chunk.transfer_number:
            turn.transfer_number = chunk.transfer_number
        if chunk.digit_to_press:
            turn.digit_to_press = chunk.digit_to_press
        content = chunk.content
        if not content:
            return
        if turn.spoken and not turn.spoken[-1][-1:].isspace() and not content[:1].isspace():
            content = " " + content  # Retell concatenates chunks: keep sentences apart
        text = protocol.response_frame(
            turn.response_id, content, False, no_interruption_allowed=True if chunk.no_interruption_allowed else None
        )
        turn.spoken.append(content)
        self._speech.append((turn, turn.gen, False, text, content))
        self._wake.set()

    def _queue_tool(self, turn: Turn, event: ToolEvent) -> None:
        text = protocol.tool_call_invocation_frame(event.tool_call_id, event.name, event.arguments)
        self._speech.append((turn, turn.gen, False, text, ""))
        if event.result is not None:
            result = protocol.tool_call_result_frame(event.tool_call_id, event.result, event.successful)
            self._speech.append((turn, turn.gen, False, result, ""))
        self._wake.set()

    def _finish_turn(self, turn: Turn, *, cancelled: bool) -> None:
        """Tell the conversation what was really said and log the turn on the call."""
        spoken = "".join(turn.spoken[: turn.chunks])
        record = {
            "response_id": turn.response_id,
            "kind": turn.kind,
            "read_at": round(turn.read_at, 6),
            "first_chunk_at": None if turn.first_chunk_at is None else round(turn.first_chunk_at, 6),
            "latency_ms": None if turn.first_chunk_at is None else round((turn.first_chunk_at - turn.read_at) * 1000, 3),
            "cancelled": cancelled,
            "barge_in": turn.barge_in_at is not None,
            "superseded": turn.state == SUPERSEDED,
            "error": turn.error,
            "timed_out": turn.timed_out,
            "end_call": turn.end_call and not cancelled,
            "chunks": turn.chunks,
            "spoken": spoken,
        }
        self.call.record_turn(record)
        if turn is self._turn:
            self._turn_idle.set()
        try:
            self.call.conversation.on_turn_finished(turn.response_id, cancelled=cancelled, spoken=spoken)
        except Exception:
            logger.exception("conversation.on_turn_finished failed for call %s", self.call_id)

    # --- writer --------------------------------------------------------------------------------

    def _push_control(self, text: str, ftype: str, read_at: float) -> None:
        if self._closing:
            return
        if len(self._control) >= 64:
            self._control.popleft()  # a backlog of stale pings helps no one
        self._control.append((text, ftype, read_at))
        self._wake.set()

    async def _write_loop(self) -> None:
        control, speech, metrics = self._control, self._speech, self.metrics
        try:
            while True:
                if control:
                    item = control.popleft()
                    status = await self._write(item[0])
                    if status == _RETRY:
                        control.appendleft(item)
                        continue
                    if status == _WRITTEN:
                        metrics.frame_out[item[1]].inc()
                        if item[1] == "ping_pong":
                            self._last_ping_out = time.monotonic()
                            if item[2]:
                                metrics.ping_delay.observe(self._last_ping_out - item[2])
                    continue
                if speech:
                    sitem = speech.popleft()
                    if len(speech) < self._max_queue:
                        self._space.set()
                    if not self._fresh(sitem):
                        metrics.stale_frames_dropped.inc()
                        continue
                    status = await self._write(sitem[3], sitem)
                    if status == _RETRY:
                        speech.appendleft(sitem)
                    elif status == _WRITTEN:
                        self._after_speech_written(sitem)
                        if speech:
                            # Let the reader run between chunks: a newer request read now makes
                            # the rest of this queue stale instead of written (and keeps other
                            # calls' pings flowing during a long reply).
                            await asyncio.sleep(0)
                    else:
                        metrics.stale_frames_dropped.inc()
                    continue
                pending = self._pending_update
                if pending is not None:
                    self._pending_update = None
                    self._consume_pending_update(pending)
                    continue
                self._wake.clear()
                await self._wake.wait()
        except (asyncio.CancelledError, _WriterStop):
            return
        except Exception:
            logger.exception("session writer failed for call %s", self.call_id)
            self.close(1011, "internal_error")

    async def _write(self, text: str, item: tuple[Turn, int, bool, str, str] | None = None) -> int:
        self._inflight = item
        try:
            async with asyncio.timeout(self._write_timeout):
                await self._send({"type": "websocket.send", "text": text})
        except TimeoutError:
            self._inflight = None
            self._consecutive_timeouts += 1
            self.metrics.write_timeouts.inc()
            if self._consecutive_timeouts >= self.settings.ws_max_consecutive_write_timeouts:
                self.close(1011, "write_timeout", blocked=True)
                raise _WriterStop from None
            return _RETRY
        except asyncio.CancelledError:
            self._inflight = None
            if self._abort_inflight and not self._closing:
                self._abort_inflight = False
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                return _ABORTED
            raise
        except Exception as exc:  # the peer is gone (ClientDisconnected, OSError, state errors)
            self._inflight = None
            log_event(logger, logging.DEBUG, "write_failed", call_id=self.call_id, error=type(exc).__name__)
            raise _WriterStop from None
        self._inflight = None
        self._consecutive_timeouts = 0
        self.frames_out += 1
        return _WRITTEN

    def _after_speech_written(self, item: tuple[Turn, int, bool, str, str]) -> None:
        turn, _, terminal, text, content = item
        now = time.monotonic()
        if self._observer is not None:
            self._observer("written", self.call_id, response_id=turn.response_id, seq=turn.seq, terminal=terminal, frame=text)
        if terminal:
            self.metrics.frame_out["response"].inc()
            turn.state = DONE
            if turn.kind == "begin":
                self.call.begin_done = True
            if turn.barge_in_at is not None:
                self.metrics.barge_in_latency.observe(now - turn.barge_in_at)
                self.metrics.turns.labels("barge_in").inc()
            else:
                self.metrics.turns.labels("error" if turn.error else "completed").inc()
                if turn.end_call:
                    self.call.agent_ended = True
            self._finish_turn(turn, cancelled=turn.barge_in_at is not None)
            return
        if content:
            self.metrics.frame_out["response"].inc()
            turn.chunks += 1
            if turn.first_chunk_at is None:
                turn.first_chunk_at = now
                self.metrics.turn_latency_by_kind[turn.kind].observe(now - turn.read_at)
        else:
            self.metrics.frame_out["tool_call_invocation" if '"tool_call_invocation"' in text[:40] else "tool_call_result"].inc()

    # --- timers (called by the registry ticker) -------------------------------------------------

    def on_tick(self, now: float) -> None:
        if self._closing:
            return
        if now - self.last_inbound >= self.settings.brain_idle_timeout_s:
            self.close(1011, "idle_timeout")
            return
        if now - self._last_ping_out >= self._ping_interval:
            self._last_ping_out = now  # one server ping per interval even while the write is pending
            self._push_control(protocol.ping_frame(int(time.time() * 1000)), "ping_pong", 0.0)
        turn = self._turn
        if turn is not None and turn.state == OPEN and now - turn.read_at >= self.settings.brain_turn_max_s:
            turn.timed_out = True
            self.metrics.turns.labels("timed_out").inc()
            self._cancel_turn_task(turn)
            self._close_turn(turn, actions=False)
