"""One turn of a call: a request (``begin`` for response_id 0, ``response``, ``reminder``) and its reply.

Exactly one turn is current per socket. State machine::

    open ──(conversation done / barge-in / deadline)──▶ closing ──(terminal written)──▶ done
      └───────────────(newer request read)──────────────▶ superseded (no terminal)

``gen`` counts barge-ins: a chunk queued before a barge-in carries the older generation and is
stale from that instant (see :mod:`brain_service.transport.frames`).
"""

from __future__ import annotations

import asyncio
from typing import Literal

TurnState = Literal["open", "closing", "done", "superseded"]
OPEN: TurnState = "open"
CLOSING: TurnState = "closing"
DONE: TurnState = "done"
SUPERSEDED: TurnState = "superseded"


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
        self.state: TurnState = OPEN
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

    def forget_task(self, _done: object = None) -> None:
        self.task = None

    @property
    def live(self) -> bool:
        """Open or closing: the turn still owns the speech lane."""
        return self.state == OPEN or self.state == CLOSING
