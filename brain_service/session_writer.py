"""The writer half of a session: the only code that writes to the socket.

Two lanes: control frames (config, ping_pong) always go before speech frames (responses, tool
frames). Every write has the ``WS_WRITE_TIMEOUT_MS`` deadline; ``WS_MAX_CONSECUTIVE_WRITE_TIMEOUTS``
in a row close the socket with 1011. When the writer has nothing to write it parses the newest
deferred ``update_only`` snapshot.

Two ways to the wire:

* **direct** (uvicorn's websockets-sansio protocol, what ``python -m brain_service`` runs): while
  the writer is parked with both lanes empty, a ping echo or a turn's first chunk is written on the
  spot (no task hop); otherwise wait
  until the transport is writable (that wait is what the deadline bounds), then — synchronously,
  so nothing can change in between — drop what went stale, encode every ready frame and hand them
  to the transport in **one** write. One syscall per batch instead of one per frame; staleness is
  decided at the instant of writing, so a superseded frame can never be written.
* **ASGI** (any other server, or ``WS_DIRECT_WRITES=false``): one ``websocket.send`` per frame; a
  send blocked on a full socket whose frame goes stale is aborted by the reader (see
  ``Session._abort_stale_write``) before the frame reaches the transport.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from brain_service.logs import get_logger, log_event

if TYPE_CHECKING:
    from brain_service.session import Turn

logger = get_logger("session")

SpeechItem = tuple["Turn", int, bool, str, str]  # turn, gen, terminal, frame text, spoken content

_WRITTEN, _ABORTED, _RETRY = 0, 1, 2
_MAX_CONTROL = 64
_MAX_BATCH = 32


class WriterStop(Exception):
    """The socket is unusable; the writer stops."""


def direct_protocol(send: Any) -> Any | None:
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


class SessionWriter:
    """Mixin for :class:`brain_service.session.Session` (shares its state)."""

    # Provided by Session (declared for readers and type checkers).
    _control: deque[tuple[str, str, float]]
    _speech: deque[SpeechItem]
    _wake: asyncio.Event
    _space: asyncio.Event
    _closing: bool
    _pending_update: str | None
    _inflight: SpeechItem | None
    _abort_inflight: bool
    _consecutive_timeouts: int
    _write_timeout: float
    _max_queue: int
    _last_ping_out: float
    frames_out: int
    write_blocked: bool = False  # the writer is waiting for the socket to drain
    _direct: Any = None  # uvicorn's protocol when direct writes are on
    _parked: bool = False  # the writer waits for work with both lanes empty

    def _write_now(self, item: SpeechItem | tuple[str, str, float]) -> bool:
        """Fast path: the writer is parked with empty lanes, so write this one frame right here.

        Same writer code, no task hop: used for control frames (a ping echo) and a turn's first
        chunk. Returns False (caller queues the frame) whenever anything could reorder frames.
        """
        protocol = self._direct
        if (
            protocol is None
            or not self._parked
            or self._control
            or self._speech
            or self._closing
            or not protocol.writable.is_set()
            or protocol.disconnected
            or protocol.close_sent
        ):
            return False
        if len(item) != 3 and not self._fresh(item):  # type: ignore[attr-defined]
            return False
        text = item[0] if len(item) == 3 else item[3]  # type: ignore[misc]
        try:
            protocol.conn.send_text(text.encode())  # type: ignore[union-attr]
            protocol.transport.write(b"".join(protocol.conn.data_to_send()))
        except Exception:
            return False
        self._consecutive_timeouts = 0
        if len(item) == 3:
            self._control_written(item)  # type: ignore[arg-type]
        else:
            self.frames_out += 1
            self._after_speech_written(item)  # type: ignore[attr-defined,arg-type]
        return True

    def _push_control(self, text: str, ftype: str, read_at: float) -> None:
        if self._closing:
            return
        if self._write_now((text, ftype, read_at)):
            return
        if len(self._control) >= _MAX_CONTROL:
            self._control.popleft()  # a backlog of stale pings helps no one
        self._control.append((text, ftype, read_at))
        self._wake.set()

    def _control_written(self, item: tuple[str, str, float]) -> None:
        self.frames_out += 1
        self.metrics.frame_out[item[1]].inc()  # type: ignore[attr-defined]
        if item[1] == "ping_pong":
            self._last_ping_out = now = time.monotonic()
            if item[2]:
                self.metrics.ping_delay.observe(now - item[2])  # type: ignore[attr-defined]

    def _timed_out(self) -> None:
        self._consecutive_timeouts += 1
        self.metrics.write_timeouts.inc()  # type: ignore[attr-defined]
        if self._consecutive_timeouts >= self.settings.ws_max_consecutive_write_timeouts:  # type: ignore[attr-defined]
            self.close(1011, "write_timeout", blocked=True)  # type: ignore[attr-defined]
            raise WriterStop

    async def _write_loop(self) -> None:
        direct = direct_protocol(self._send) if self.settings.ws_direct_writes else None  # type: ignore[attr-defined]
        self._direct = direct
        try:
            if direct is not None:
                await self._write_loop_direct(direct)
            else:
                await self._write_loop_asgi()
        except (asyncio.CancelledError, WriterStop):
            return
        except Exception:
            logger.exception("session writer failed for call %s", self.call_id)  # type: ignore[attr-defined]
            self.close(1011, "internal_error")  # type: ignore[attr-defined]

    # --- direct: batched, staleness decided at the instant of writing ------------------------------

    async def _write_loop_direct(self, protocol: Any) -> None:
        control, speech, metrics = self._control, self._speech, self.metrics  # type: ignore[attr-defined]
        conn, transport, writable = protocol.conn, protocol.transport, protocol.writable
        fresh, written = self._fresh, self._after_speech_written  # type: ignore[attr-defined]
        while True:
            if not control and not speech:
                pending = self._pending_update
                if pending is not None:
                    self._pending_update = None
                    self._consume_pending_update(pending)  # type: ignore[attr-defined]
                    continue
                self._wake.clear()
                self._parked = True
                try:
                    await self._wake.wait()
                finally:
                    self._parked = False
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
            batch: list[SpeechItem] = []
            while speech and len(batch) < _MAX_BATCH:
                item = speech.popleft()
                if fresh(item):
                    batch.append(item)
                else:
                    metrics.stale_frames_dropped.inc()
            if len(speech) < self._max_queue:
                self._space.set()
            if not controls and not batch:
                continue
            try:
                for item_c in controls:
                    conn.send_text(item_c[0].encode())
                for item in batch:
                    conn.send_text(item[3].encode())
                transport.write(b"".join(conn.data_to_send()))
            except Exception as exc:  # protocol closing underneath us
                log_event(logger, logging.DEBUG, "write_failed", call_id=self.call_id, error=type(exc).__name__)  # type: ignore[attr-defined]
                raise WriterStop from None
            self._consecutive_timeouts = 0
            for item_c in controls:
                self._control_written(item_c)
            for item in batch:
                self.frames_out += 1
                written(item)
            if speech:
                await asyncio.sleep(0)  # let the reader see a newer request between batches

    # --- ASGI: one send per frame, blocked stale sends aborted by the reader -----------------------

    async def _write_loop_asgi(self) -> None:
        control, speech, metrics = self._control, self._speech, self.metrics  # type: ignore[attr-defined]
        while True:
            if control:
                citem = control.popleft()
                status = await self._write(citem[0])
                if status == _RETRY:
                    control.appendleft(citem)
                elif status == _WRITTEN:
                    self._control_written(citem)
                continue
            if speech:
                sitem = speech.popleft()
                if len(speech) < self._max_queue:
                    self._space.set()
                if not self._fresh(sitem):  # type: ignore[attr-defined]
                    metrics.stale_frames_dropped.inc()
                    continue
                status = await self._write(sitem[3], sitem)
                if status == _RETRY:
                    speech.appendleft(sitem)
                elif status == _WRITTEN:
                    self.frames_out += 1
                    self._after_speech_written(sitem)  # type: ignore[attr-defined]
                    if speech:
                        await asyncio.sleep(0)  # let the reader see a newer request between chunks
                else:
                    metrics.stale_frames_dropped.inc()
                continue
            pending = self._pending_update
            if pending is not None:
                self._pending_update = None
                self._consume_pending_update(pending)  # type: ignore[attr-defined]
                continue
            self._wake.clear()
            await self._wake.wait()

    async def _write(self, text: str, item: SpeechItem | None = None) -> int:
        self._inflight = item
        self.write_blocked = True  # read by tests/diagnostics; only true while the send is suspended
        try:
            async with asyncio.timeout(self._write_timeout):
                await self._send({"type": "websocket.send", "text": text})  # type: ignore[attr-defined]
        except TimeoutError:
            self._inflight = None
            self._timed_out()
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
            log_event(logger, logging.DEBUG, "write_failed", call_id=self.call_id, error=type(exc).__name__)  # type: ignore[attr-defined]
            raise WriterStop from None
        finally:
            self.write_blocked = False
        self._inflight = None
        self._consecutive_timeouts = 0
        return _WRITTEN
