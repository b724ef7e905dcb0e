"""The frame writer: the only code that writes to a call's socket.

Composed into the session, it knows frames, lanes and the socket, never the session: what happens
after a speech frame is written, what to do when idle and how to give up are callables handed to
it at construction.

Two lanes: control frames always go before speech frames (the lane follows from the frame type,
see :mod:`brain_service.transport.frames`). Every write has the ``WS_WRITE_TIMEOUT_MS`` deadline;
``WS_MAX_CONSECUTIVE_WRITE_TIMEOUTS`` in a row close the socket with 1011. When the writer has
nothing to write it runs the idle work (the session parses its newest deferred ``update_only``).

Two ways to the wire:

* **direct** (uvicorn's websockets-sansio protocol, what ``python -m brain_service`` runs): while
  the writer is parked with both lanes empty, a ping echo or a turn's first chunk is written on the
  spot (no task hop); otherwise wait until the transport is writable (that wait is what the
  deadline bounds), then — synchronously, so nothing can change in between — drop what went
  stale, encode every ready frame and hand them to the transport in **one** write. One syscall per
  batch instead of one per frame; staleness is decided at the instant of writing, so a superseded
  frame can never be written.
* **ASGI** (any other server, or ``WS_DIRECT_WRITES=false``): one ``websocket.send`` per frame; a
  send blocked on a full socket whose frame goes stale is aborted (:meth:`FrameWriter.abort_stale_write`)
  before the frame reaches the transport.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Literal, NoReturn, Protocol

from brain_service.logs import get_logger, log_event
from brain_service.metrics import BrainMetrics
from brain_service.settings import BrainSettings
from brain_service.transport.frames import ControlFrame, OutboundFrame, SpeechFrame

logger = get_logger("session")

Send = Callable[[dict[str, Any]], Awaitable[None]]
GiveUp = Callable[[int, str, bool], None]  # (close code, reason, the socket is blocked)

WriteStatus = Literal["written", "aborted", "retry"]
_WRITTEN: WriteStatus = "written"
_ABORTED: WriteStatus = "aborted"
_RETRY: WriteStatus = "retry"
_MAX_CONTROL = 64
_MAX_BATCH = 32


class WriterStop(Exception):
    """The socket is unusable; the writer stops."""


class _Conn(Protocol):
    def send_text(self, data: bytes) -> None: ...
    def data_to_send(self) -> list[bytes]: ...


class _Transport(Protocol):
    def write(self, data: bytes) -> None: ...
    def is_closing(self) -> bool: ...


class DirectProtocol(Protocol):
    """What direct writes use of uvicorn's sans-I/O websocket protocol."""

    conn: _Conn
    transport: _Transport
    writable: asyncio.Event
    close_sent: bool
    disconnected: bool


def direct_protocol(send: object) -> DirectProtocol | None:
    """uvicorn's sans-I/O websocket protocol behind ``send``, when it has what direct writes need."""
    protocol = getattr(send, "__self__", None)
    conn = getattr(protocol, "conn", None)
    if (
        conn is not None
        and callable(getattr(conn, "send_text", None))
        and callable(getattr(conn, "data_to_send", None))
        and isinstance(getattr(protocol, "writable", None), asyncio.Event)
        and getattr(protocol, "transport", None) is not None
        and hasattr(protocol, "close_sent")
        and hasattr(protocol, "disconnected")
    ):
        return protocol
    return None


class FrameWriter:
    """Two lanes, one writer task, deadlines; ``start()`` once the socket is accepted."""

    def __init__(
        self,
        *,
        call_id: str,
        send: Send,
        settings: BrainSettings,
        metrics: BrainMetrics,
        on_speech_written: Callable[[SpeechFrame], None],
        idle_work: Callable[[], bool],
        give_up: GiveUp,
    ) -> None:
        self.call_id = call_id
        self._send = send
        self._settings = settings
        self._metrics = metrics
        self._on_speech_written = on_speech_written
        self._idle_work = idle_work
        self._give_up = give_up
        self._control: deque[ControlFrame] = deque()
        self._speech: deque[SpeechFrame] = deque()
        self._wake = asyncio.Event()
        self._space = asyncio.Event()
        self._space.set()
        self._inflight: SpeechFrame | None = None
        self._abort_inflight = False
        self._consecutive_timeouts = 0
        self._stopped = False
        self._task: asyncio.Task[None] | None = None
        self._direct: DirectProtocol | None = None  # uvicorn's protocol when direct writes are on
        self._parked = False  # the writer waits for work with both lanes empty
        self._max_queue = settings.brain_outbound_queue_max
        self._write_timeout = settings.ws_write_timeout_ms / 1000
        self.write_blocked = False  # the writer is waiting for the socket to drain (tests, diagnostics)
        self.frames_out = 0
        self.last_ping_out = time.monotonic()

    # --- the session's side -------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._write_loop())

    def stop(self) -> None:
        """No more writes: queued frames are dropped, the task is cancelled (idempotent)."""
        self._stopped = True
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._speech.clear()
        self._control.clear()

    def push(self, frame: OutboundFrame, *, now: bool = False) -> None:
        """Queue ``frame`` in its lane. Control frames, and speech frames with ``now`` (a turn's
        first chunk), are written on the spot when the writer is parked with empty lanes."""
        if isinstance(frame, ControlFrame):
            if self._stopped or self._write_now(frame):
                return
            if len(self._control) >= _MAX_CONTROL:
                self._control.popleft()  # a backlog of stale pings helps no one
            self._control.append(frame)
        else:
            if now and self._write_now(frame):
                return
            self._speech.append(frame)
        self._wake.set()

    def wake(self) -> None:
        """There is idle work (a deferred update_only)."""
        self._wake.set()

    def drop_speech(self) -> int:
        """Drop every queued speech frame (supersede, barge-in); returns how many."""
        dropped = len(self._speech)
        self._speech.clear()
        self._space.set()
        return dropped

    @property
    def full(self) -> bool:
        return len(self._speech) >= self._max_queue

    async def wait_for_space(self) -> None:
        """Back-pressure for a turn producing faster than the socket drains."""
        self._space.clear()
        await self._space.wait()

    def abort_stale_write(self) -> None:
        """A write blocked on the socket for a frame that just went stale must not complete."""
        frame = self._inflight
        if frame is not None and not frame.fresh() and self._task is not None:
            self._abort_inflight = True
            self._task.cancel()

    # --- writing --------------------------------------------------------------------------------

    def _write_now(self, frame: OutboundFrame) -> bool:
        """Fast path: the writer is parked with empty lanes, so write this one frame right here.

        Same writer code, no task hop. Returns False (the caller queues the frame) whenever
        anything could reorder frames.
        """
        protocol = self._direct
        if (
            protocol is None
            or not self._parked
            or self._control
            or self._speech
            or self._stopped
            or not protocol.writable.is_set()
            or protocol.disconnected
            or protocol.close_sent
        ):
            return False
        if isinstance(frame, SpeechFrame) and not frame.fresh():
            return False
        try:
            protocol.conn.send_text(frame.text.encode())
            protocol.transport.write(b"".join(protocol.conn.data_to_send()))
        except Exception:
            return False
        self._consecutive_timeouts = 0
        if isinstance(frame, ControlFrame):
            self._control_written(frame)
        else:
            self.frames_out += 1
            self._on_speech_written(frame)
        return True

    def _control_written(self, frame: ControlFrame) -> None:
        self.frames_out += 1
        self._metrics.frame_out[frame.kind].inc()
        if frame.kind == "ping_pong":
            self.last_ping_out = now = time.monotonic()
            if frame.read_at:
                self._metrics.ping_delay.observe(now - frame.read_at)

    def _timed_out(self) -> None:
        self._consecutive_timeouts += 1
        self._metrics.write_timeouts.inc()
        if self._consecutive_timeouts >= self._settings.ws_max_consecutive_write_timeouts:
            self._give_up(1011, "write_timeout", True)
            raise WriterStop

    def _cannot_write(self, exc: Exception) -> NoReturn:
        """A frame that cannot be put on the wire (a bug upstream): say so and close the call clearly."""
        log_event(logger, logging.WARNING, "write_failed", call_id=self.call_id, error=type(exc).__name__)
        self._metrics.write_failures.inc()
        self._give_up(1011, "write_failed", False)
        raise WriterStop from None

    async def _write_loop(self) -> None:
        direct = direct_protocol(self._send) if self._settings.ws_direct_writes else None
        self._direct = direct
        try:
            if direct is not None:
                await self._write_loop_direct(direct)
            else:
                await self._write_loop_asgi()
        except (asyncio.CancelledError, WriterStop):
            return
        except Exception:
            logger.exception("session writer failed for call %s", self.call_id)
            self._give_up(1011, "internal_error", False)

    async def _park(self) -> None:
        self._wake.clear()
        self._parked = True
        try:
            await self._wake.wait()
        finally:
            self._parked = False

    # --- direct: batched, staleness decided at the instant of writing ------------------------------

    async def _write_loop_direct(self, protocol: DirectProtocol) -> None:
        control, speech, metrics = self._control, self._speech, self._metrics
        conn, transport, writable = protocol.conn, protocol.transport, protocol.writable
        written = self._on_speech_written
        while True:
            if not control and not speech:
                if not self._idle_work():
                    await self._park()
                continue
            if not writable.is_set():
                self.write_blocked = True
                try:
                    async with asyncio.timeout(self._write_timeout):
                        await writable.wait()
                except TimeoutError:
                    self._timed_out()
                    continue
                finally:
                    self.write_blocked = False
            if protocol.disconnected or protocol.close_sent or transport.is_closing():
                raise WriterStop
            # From here to transport.write nothing else runs: what is fresh now is what is written.
            controls = list(control)
            control.clear()
            batch: list[SpeechFrame] = []
            while speech and len(batch) < _MAX_BATCH:
                frame = speech.popleft()
                if frame.fresh():
                    batch.append(frame)
                else:
                    metrics.stale_frames_dropped.inc()
            if len(speech) < self._max_queue:
                self._space.set()
            if not controls and not batch:
                continue
            try:
                payloads = [cframe.text.encode() for cframe in controls] + [frame.text.encode() for frame in batch]
            except UnicodeError as exc:
                self._cannot_write(exc)
            try:
                for payload in payloads:
                    conn.send_text(payload)
                transport.write(b"".join(conn.data_to_send()))
            except Exception as exc:  # protocol closing underneath us
                log_event(logger, logging.DEBUG, "write_failed", call_id=self.call_id, error=type(exc).__name__)
                raise WriterStop from None
            self._consecutive_timeouts = 0
            for cframe in controls:
                self._control_written(cframe)
            for frame in batch:
                self.frames_out += 1
                written(frame)
            if speech:
                await asyncio.sleep(0)  # let the reader see a newer request between batches

    # --- ASGI: one send per frame, blocked stale sends aborted by the reader -----------------------

    async def _write_loop_asgi(self) -> None:
        control, speech, metrics = self._control, self._speech, self._metrics
        while True:
            if control:
                cframe = control.popleft()
                status = await self._write(cframe.text)
                if status == _RETRY:
                    control.appendleft(cframe)
                elif status == _WRITTEN:
                    self._control_written(cframe)
                continue
            if speech:
                frame = speech.popleft()
                if len(speech) < self._max_queue:
                    self._space.set()
                if not frame.fresh():
                    metrics.stale_frames_dropped.inc()
                    continue
                status = await self._write(frame.text, frame)
                if status == _RETRY:
                    speech.appendleft(frame)
                elif status == _WRITTEN:
                    self.frames_out += 1
                    self._on_speech_written(frame)
                    if speech:
                        await asyncio.sleep(0)  # let the reader see a newer request between chunks
                else:
                    metrics.stale_frames_dropped.inc()
                continue
            if not self._idle_work():
                self._wake.clear()
                await self._wake.wait()

    async def _write(self, text: str, frame: SpeechFrame | None = None) -> WriteStatus:
        self._inflight = frame
        self.write_blocked = True  # only true while the send is suspended
        try:
            async with asyncio.timeout(self._write_timeout):
                await self._send({"type": "websocket.send", "text": text})
        except TimeoutError:
            self._inflight = None
            self._timed_out()
            return _RETRY
        except UnicodeError as exc:
            self._inflight = None
            self._cannot_write(exc)
        except asyncio.CancelledError:
            self._inflight = None
            if self._abort_inflight and not self._stopped:
                self._abort_inflight = False
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                return _ABORTED
            raise
        except Exception as exc:  # the peer is gone (ClientDisconnected, OSError, state errors)
            self._inflight = None
            log_event(logger, logging.DEBUG, "write_failed", call_id=self.call_id, error=type(exc).__name__)
            raise WriterStop from None
        finally:
            self.write_blocked = False
        self._inflight = None
        self._consecutive_timeouts = 0
        return _WRITTEN
