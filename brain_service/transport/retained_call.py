"""What the brain retains about one call across its sockets, and what the registry sees of a socket.

A :class:`RetainedCall` (conversation, turn log, reconnect count) outlives one socket: a reconnect
with the same ``call_id`` resumes it. The registry talks to a live socket only through the small
:class:`LiveSession` protocol; a session reports its own end through the callback it was built with.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from brain_service.conversation_contract import CallConversation
from brain_service.logs import get_logger
from brain_service.transport.journal import CallJournal

logger = get_logger("journal")

MAX_TURN_RECORDS = 1000


# One turn as the call record keeps it (response_id, kind, read_at, first_chunk_at, latency_ms,
# cancelled, barge_in, superseded, error, timed_out, end_call, chunks, spoken): a plain JSON object,
# handed to ``conversation.finish`` as is.
TurnRecord = dict[str, Any]


class LiveSession(Protocol):
    """The registry's view of one live socket."""

    @property
    def call(self) -> RetainedCall: ...

    def on_tick(self, now: float) -> None:
        """Timers: server pings, idle close, turn deadline (called by the registry's one ticker)."""

    async def drain(self, deadline: float) -> None:
        """Shutdown: let the open turn write its terminal, then close 1001."""

    def close(self, code: int, reason: str, *, blocked: bool = False) -> None:
        """Start closing the socket with ``code`` (idempotent)."""


class RetainedCall:
    """What the brain remembers about one call across its sockets."""

    __slots__ = (
        "call_id",
        "conversation",
        "session",
        "reconnects",
        "begin_started",
        "begin_done",
        "last_response_id",
        "turns",
        "agent_ended",
        "detached_at",
        "last_close_reason",
        "finished",
        "created_at",
        "journal",
    )

    def __init__(self, call_id: str, conversation: CallConversation) -> None:
        self.call_id = call_id
        self.conversation = conversation
        self.session: LiveSession | None = None
        self.reconnects = 0
        self.begin_started = False
        self.begin_done = False
        self.last_response_id = -1
        self.turns: list[TurnRecord] = []
        self.agent_ended = False
        self.detached_at: float | None = None
        self.last_close_reason = "client_gone"
        self.finished = False
        self.created_at = time.time()
        self.journal: CallJournal | None = None

    def journal_sync(self, turn: TurnRecord | None = None) -> None:
        """Append what changed (the conversation's delta, ``turn``) to the journal, if it has one."""
        journal = self.journal
        if journal is None:
            return
        entries: list[tuple[str, dict[str, Any]]] = []
        delta_of = getattr(self.conversation, "journal_delta", None)  # see JournalledConversation
        if delta_of is not None:
            try:
                delta = delta_of()
            except Exception:
                logger.exception("conversation.journal_delta failed for call %s", self.call_id)
                delta = None
            if delta:
                entries.append(("conv", {"d": delta}))
        if turn is not None:
            entries.append(("turn", {"t": turn}))
        if entries:
            journal.append_many(entries)

    def record_turn(self, record: TurnRecord) -> None:
        self.turns.append(record)
        if len(self.turns) > MAX_TURN_RECORDS:
            del self.turns[: len(self.turns) - MAX_TURN_RECORDS]
