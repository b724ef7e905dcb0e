"""The contract between the per-call transport session and the conversation.

The session (`brain_service/transport/`) owns the socket, epochs, cancellation and deadlines;
the conversation (`brain_service/conversation/`) owns what is said. They meet only here:

* The session builds a :class:`TurnRequest` for `response_id 0` (the begin message) and for every
  `response_required` / `reminder_required`, and iterates ``CallConversation.respond(request)``.
* The conversation yields :class:`SpeechChunk` (one speakable sentence each) and
  :class:`ToolEvent` items. The session writes each chunk as a non-terminal ``response`` frame and,
  when the iterator ends, writes exactly one terminal frame (``content_complete: true``) carrying
  the ``end_call`` / ``transfer_number`` / ``digit_to_press`` of the last chunk that asked for one.
* When a newer request is read, or the caller barges in, the session cancels the turn task and
  closes the iterator (``aclose()``); the conversation must release anything it holds (model
  streams) in ``finally``.
* One :class:`CallConversation` lives per ``call_id`` and survives reconnects of the same call
  (the session registry keeps it for a short TTL), so a reconnect resumes instead of greeting again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

TurnKind = Literal["begin", "response", "reminder"]
SpeechSource = Literal["playbook", "model", "fallback", "system"]


@dataclass(frozen=True, slots=True)
class Utterance:
    """One transcript entry as Retell sent it (roles other than agent/user are kept, not dropped)."""

    role: str
    content: str
    words: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class TurnRequest:
    """A request for the agent to speak under ``response_id``."""

    kind: TurnKind
    response_id: int
    transcript: tuple[Utterance, ...] = ()
    read_at_monotonic: float = 0.0

    @property
    def last_user_text(self) -> str:
        for entry in reversed(self.transcript):
            if entry.role == "user":
                return entry.content
        return ""


@dataclass(frozen=True, slots=True)
class SpeechChunk:
    """One speakable piece (normally one sentence) of the reply for the current response_id."""

    content: str
    end_call: bool = False
    transfer_number: str | None = None
    digit_to_press: str | None = None
    no_interruption_allowed: bool = False
    source: SpeechSource = "playbook"


@dataclass(frozen=True, slots=True)
class ToolEvent:
    """A tool call the conversation made; written as tool_call_invocation/_result frames when enabled."""

    tool_call_id: str
    name: str
    arguments: dict[str, Any] = field(default_factory=dict)
    result: str | None = None
    successful: bool | None = None


TurnOutput = SpeechChunk | ToolEvent


class CallConversation(Protocol):
    """Per-call conversation state; one instance per call_id, reused across reconnects."""

    def on_call_details(self, call: dict[str, Any]) -> None:
        """Retell's ``call_details.call`` object (metadata, dynamic variables, numbers)."""

    def on_transcript(self, transcript: tuple[Utterance, ...]) -> None:
        """The newest full transcript snapshot from ``update_only``."""

    def respond(self, request: TurnRequest) -> AsyncIterator[TurnOutput]:
        """Stream the reply for ``request``; must be safe to ``aclose()`` at any await point."""

    def on_turn_finished(self, response_id: int, *, cancelled: bool, spoken: str) -> None:
        """The session tells what was actually written for a turn (cancelled = cut short)."""

    def finish(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> None:
        """The call is over (after the reconnect grace period): write the call record."""


@runtime_checkable
class JournalledConversation(Protocol):
    """Optional: a conversation that can be journalled, so a brain crash loses nothing of the call.

    The transport appends ``journal_delta()`` to the call's journal after call details arrive, when
    a turn's first words are written and when a turn ends (None when nothing changed). After a
    restart, a fresh conversation from the factory gets every delta back, in order, through
    ``journal_restore``; then it resumes the call (reconnect) or ``finish(close_reason=
    "interrupted")`` writes its record. A delta is a small JSON object: only what changed.
    """

    def journal_delta(self) -> dict[str, Any] | None: ...

    def journal_restore(self, delta: dict[str, Any]) -> None: ...


class ConversationFactory(Protocol):
    """Creates the conversation for a new call; held by the app for its lifetime.

    Optional hooks, awaited by the app when present: ``async startup()`` before the first call is
    accepted (on the serving loop: clients, warm-ups) and ``async shutdown()`` after the drain.
    """

    def new_call(self, call_id: str) -> CallConversation: ...
