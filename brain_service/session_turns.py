"""The turn half of a session: starting, superseding, barge-in, closing and logging turns.

A turn is one request (``begin`` for response_id 0, ``response``, ``reminder``) and its reply
stream. Exactly one turn is current per socket. State machine::

    open ──(conversation done / barge-in / deadline)──▶ closing ──(terminal written)──▶ done
      └───────────────(newer request read)──────────────▶ superseded (no terminal)

Queued speech items carry the turn object and its barge-in generation; the writer writes an item
only while ``_fresh`` says so, which is what makes the epoch rule hold at the instant of writing.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from brain_service import protocol
from brain_service.logs import get_logger
from brain_service.turns import SpeechChunk, ToolEvent, TurnRequest

if TYPE_CHECKING:
    from brain_service.session_writer import SpeechItem

logger = get_logger("session")

OPEN, CLOSING, DONE, SUPERSEDED = "open", "closing", "done", "superseded"


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


class SessionTurns:
    """Mixin for :class:`brain_service.session.Session` (shares its state: queues, metrics, call)."""

    _turn: Turn | None
    _seq: int

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
        task = self._loop.create_task(self._run_turn(turn, request))
        turn.task = task
        # A cancelled task keeps its CancelledError, whose traceback holds the turn's frame (and
        # the transcript): dropping the turn's reference to the task when it ends avoids a
        # task -> exception -> frame -> turn -> task cycle per superseded turn (GC pauses).
        task.add_done_callback(lambda _done, turn=turn: setattr(turn, "task", None))

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

    def _fresh(self, item: SpeechItem) -> bool:
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
            outputs = self.call.conversation.respond(request)
            try:
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
            finally:
                aclose = getattr(outputs, "aclose", None)  # release model streams, also when cancelled
                if aclose is not None:
                    try:
                        await aclose()
                    except Exception:
                        logger.exception("closing the reply stream failed for call %s", self.call_id)
        except asyncio.CancelledError:
            raise
        except Exception:
            turn.error = True
            self.metrics.turn_errors.inc()
            logger.exception("conversation.respond failed for call %s response_id %s", self.call_id, turn.response_id)
        # An action a chunk already asked for (say, end_call after a goodbye) still stands on error.
        self._close_turn(turn, actions=True)

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
        item = (turn, turn.gen, False, text, content)
        if turn.chunks == 0 and self._write_now(item):  # first chunk: no task hop, it is what the caller waits for
            return
        self._speech.append(item)
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
            "latency_ms": None
            if turn.first_chunk_at is None
            else round((turn.first_chunk_at - turn.read_at) * 1000, 3),
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

    def _after_speech_written(self, item: SpeechItem) -> None:
        turn, _, terminal, text, content = item
        now = time.monotonic()
        if self._observer is not None:
            self._observer(
                "written", self.call_id, response_id=turn.response_id, seq=turn.seq, terminal=terminal, frame=text
            )
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
            self.metrics.frame_out[
                "tool_call_invocation" if '"tool_call_invocation"' in text[:40] else "tool_call_result"
            ].inc()
