"""The turn logic of a session: start, supersede (the epoch rule), barge-in, terminal, turn log.

A :class:`TurnRunner` owns the current :class:`~brain_service.transport.turn.Turn` of one socket
and the task that iterates ``conversation.respond``; it hands frames to the
:class:`~brain_service.transport.writer.FrameWriter` and hears back, through
:meth:`TurnRunner.on_speech_written`, which of them reached the socket. It never touches the
socket and knows nothing of the reader.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from brain_service.conversation_contract import SpeechChunk, ToolEvent, TurnKind, TurnRequest, Utterance
from brain_service.logs import get_logger
from brain_service.metrics import BrainMetrics
from brain_service.settings import BrainSettings
from brain_service.transport import protocol
from brain_service.transport.frames import ChunkFrame, SpeechFrame, TerminalFrame, ToolFrame
from brain_service.transport.retained_call import RetainedCall, TurnRecord
from brain_service.transport.turn import CLOSING, DONE, OPEN, SUPERSEDED, Turn
from brain_service.transport.writer import FrameWriter

logger = get_logger("session")

Observer = Callable[..., None]


class TurnRunner:
    def __init__(
        self,
        *,
        call: RetainedCall,
        writer: FrameWriter,
        settings: BrainSettings,
        metrics: BrainMetrics,
        call_details: asyncio.Event,
        observer: Observer | None = None,
    ) -> None:
        self.call = call
        self.call_id = call.call_id
        self._writer = writer
        self._settings = settings
        self._metrics = metrics
        self._call_details = call_details
        self._observer = observer
        self._seq = 0
        self.current: Turn | None = None
        self.idle = asyncio.Event()  # no turn open or closing
        self.idle.set()

    # --- starting and cutting turns --------------------------------------------------------------

    def new_turn(self, kind: TurnKind, response_id: int, read_at: float) -> Turn:
        previous = self.current
        if previous is not None and previous.live:
            self._supersede(previous)
        self._seq += 1
        turn = Turn(self._seq, response_id, kind, read_at)
        self.current = turn
        self.idle.clear()
        if response_id > self.call.last_response_id:
            self.call.last_response_id = response_id
        if self._observer is not None:
            self._observer("read", self.call_id, response_id=response_id, seq=turn.seq)
        return turn

    def start(self, kind: TurnKind, response_id: int, transcript: tuple[Utterance, ...], read_at: float) -> None:
        turn = self.new_turn(kind, response_id, read_at)
        request = TurnRequest(kind=kind, response_id=response_id, transcript=transcript, read_at_monotonic=read_at)
        task = asyncio.get_running_loop().create_task(self._run(turn, request))
        turn.task = task
        # A cancelled task keeps its CancelledError, whose traceback holds the turn's frame (and
        # the transcript): dropping the turn's reference to the task when it ends avoids a
        # task -> exception -> frame -> turn -> task cycle per superseded turn (GC pauses).
        task.add_done_callback(turn.forget_task)

    def _supersede(self, turn: Turn) -> None:
        dropped = self._writer.drop_speech()
        turn.state = SUPERSEDED
        self.cancel_task(turn)
        self._writer.abort_stale_write()
        if dropped:
            self._metrics.stale_frames_dropped.inc(dropped)
        self._metrics.turns.labels("superseded").inc()
        self._finish(turn, cancelled=True)

    def barge_in(self, now: float) -> None:
        turn = self.current
        if turn is None or turn.state != OPEN:
            return
        dropped = self._writer.drop_speech()
        turn.gen += 1
        turn.barge_in_at = now
        self.cancel_task(turn)
        self._writer.abort_stale_write()
        if dropped:
            self._metrics.stale_frames_dropped.inc(dropped)
        self._metrics.barge_ins.inc()
        self.close_turn(turn, actions=False)

    def cut_open_turn(self, *, count_timeout: bool = False) -> bool:
        """Out of time (turn deadline, drain): terminal without actions for an open turn."""
        turn = self.current
        if turn is None or turn.state != OPEN:
            return False
        turn.timed_out = True
        if count_timeout:
            self._metrics.turns.labels("timed_out").inc()
        self.cancel_task(turn)
        self.close_turn(turn, actions=False)
        return True

    def end(self) -> None:
        """The socket is gone: the current turn is superseded (no terminal will be written)."""
        turn = self.current
        if turn is not None and turn.live:
            self.cancel_task()
            turn.state = SUPERSEDED
            self._finish(turn, cancelled=True)

    def cancel_task(self, turn: Turn | None = None) -> None:
        turn = turn or self.current
        if turn is not None and turn.task is not None and not turn.task.done():
            turn.task.cancel()

    def close_turn(self, turn: Turn, *, actions: bool) -> None:
        """Queue the one terminal frame of ``turn``."""
        if turn.state != OPEN or turn is not self.current:
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
        self._writer.push(TerminalFrame(turn, text))

    # --- the turn task ----------------------------------------------------------------------------

    async def _run(self, turn: Turn, request: TurnRequest) -> None:
        writer = self._writer
        try:
            if turn.kind == "begin" and not self._call_details.is_set():
                wait_s = self._settings.brain_begin_wait_call_details_ms / 1000
                if wait_s > 0:
                    try:
                        await asyncio.wait_for(self._call_details.wait(), wait_s)
                    except TimeoutError:
                        pass
            send_tools = self._settings.brain_send_tool_call_frames
            outputs = self.call.conversation.respond(request)
            try:
                async for output in outputs:
                    if turn.state != OPEN:
                        return
                    if isinstance(output, SpeechChunk):
                        if turn.chunks == 0 and not turn.spoken and output.content:
                            # the state is committed once the turn speaks: journalled before the caller hears it
                            self.call.journal_sync()
                        self._queue_chunk(turn, output)
                    elif isinstance(output, ToolEvent):
                        self.call.journal_sync()
                        if send_tools:
                            self._queue_tool(turn, output)
                    while writer.full and turn.state == OPEN:
                        await writer.wait_for_space()
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
            self._metrics.turn_errors.inc()
            logger.exception("conversation.respond failed for call %s response_id %s", self.call_id, turn.response_id)
        # An action a chunk already asked for (say, end_call after a goodbye) still stands on error.
        self.close_turn(turn, actions=True)

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
        # The first chunk is what the caller waits for: written on the spot when the writer is idle.
        self._writer.push(ChunkFrame(turn, text, content), now=turn.chunks == 0)

    def _queue_tool(self, turn: Turn, event: ToolEvent) -> None:
        text = protocol.tool_call_invocation_frame(event.tool_call_id, event.name, event.arguments)
        self._writer.push(ToolFrame(turn, text, "tool_call_invocation"))
        if event.result is not None:
            result = protocol.tool_call_result_frame(event.tool_call_id, event.result, event.successful)
            self._writer.push(ToolFrame(turn, result, "tool_call_result"))

    # --- after the writer --------------------------------------------------------------------------

    def on_speech_written(self, frame: SpeechFrame) -> None:
        """The writer put ``frame`` on the socket."""
        turn = frame.turn
        now = time.monotonic()
        metrics = self._metrics
        terminal = isinstance(frame, TerminalFrame)
        if self._observer is not None:
            self._observer(
                "written", self.call_id, response_id=turn.response_id, seq=turn.seq, terminal=terminal, frame=frame.text
            )
        metrics.frame_out[frame.response_type].inc()
        if terminal:
            turn.state = DONE
            if turn.kind == "begin":
                self.call.begin_done = True
            if turn.barge_in_at is not None:
                metrics.barge_in_latency.observe(now - turn.barge_in_at)
                metrics.turns.labels("barge_in").inc()
            else:
                metrics.turns.labels("error" if turn.error else "completed").inc()
                if turn.end_call:
                    self.call.agent_ended = True
            self._finish(turn, cancelled=turn.barge_in_at is not None)
        elif isinstance(frame, ChunkFrame):
            turn.chunks += 1
            if turn.first_chunk_at is None:
                turn.first_chunk_at = now
                metrics.turn_latency_by_kind[turn.kind].observe(now - turn.read_at)

    def _finish(self, turn: Turn, *, cancelled: bool) -> None:
        """Tell the conversation what was really said and log the turn on the call."""
        spoken = "".join(turn.spoken[: turn.chunks])
        record: TurnRecord = {
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
        if turn is self.current:
            self.idle.set()
        try:
            self.call.conversation.on_turn_finished(turn.response_id, cancelled=cancelled, spoken=spoken)
        except Exception:
            logger.exception("conversation.on_turn_finished failed for call %s", self.call_id)
        self.call.journal_sync(record)
