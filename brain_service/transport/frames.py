"""Typed outbound frames: what the session hands the writer, and which lane each one travels in.

The lane follows from the type, as with pipecat's system and data frames: a :class:`ControlFrame`
(``config``, ``ping_pong``) always goes ahead of every :class:`SpeechFrame` (a reply chunk, a tool
frame, a turn's terminal). Each speech frame knows the turn it belongs to and decides for itself
whether it is still worth writing (:meth:`SpeechFrame.fresh`), so the writer needs no knowledge of
turns or sessions to keep the epoch rule at the instant of writing.
"""

from __future__ import annotations

from typing import Literal

from brain_service.transport.turn import CLOSING, OPEN, Turn

ControlKind = Literal["config", "ping_pong"]


class ControlFrame:
    """``config`` or ``ping_pong``; ``read_at`` is when the ping it echoes was read (0: ours)."""

    __slots__ = ("text", "kind", "read_at")

    def __init__(self, text: str, kind: ControlKind, read_at: float = 0.0) -> None:
        self.text = text
        self.kind: ControlKind = kind
        self.read_at = read_at


class SpeechFrame:
    """A frame of one turn's reply stream (base class; see the three kinds below)."""

    __slots__ = ("turn", "gen", "text")

    def __init__(self, turn: Turn, text: str) -> None:
        self.turn = turn
        self.gen = turn.gen
        self.text = text

    @property
    def response_type(self) -> str:
        """The frame's Retell ``response_type`` (the ``frame_out`` metric label)."""
        return "response"

    def fresh(self) -> bool:
        """Still part of the live reply: same barge-in generation, turn open or closing."""
        turn = self.turn
        return self.gen == turn.gen and (turn.state == OPEN or turn.state == CLOSING)


class ChunkFrame(SpeechFrame):
    """A non-terminal ``response`` frame carrying ``content`` (what the caller hears)."""

    __slots__ = ("content",)

    def __init__(self, turn: Turn, text: str, content: str) -> None:
        super().__init__(turn, text)
        self.content = content


class ToolFrame(SpeechFrame):
    """``tool_call_invocation`` or ``tool_call_result``."""

    __slots__ = ("tool_type",)

    def __init__(self, turn: Turn, text: str, tool_type: Literal["tool_call_invocation", "tool_call_result"]) -> None:
        super().__init__(turn, text)
        self.tool_type = tool_type

    @property
    def response_type(self) -> str:
        return self.tool_type


class TerminalFrame(SpeechFrame):
    """The one ``content_complete: true`` frame of a turn; fresh while the turn is closing."""

    __slots__ = ()

    def fresh(self) -> bool:
        return self.turn.state == CLOSING


OutboundFrame = ControlFrame | SpeechFrame
