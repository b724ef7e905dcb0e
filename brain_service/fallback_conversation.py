"""A tiny built-in conversation used only when `brain_service.conversation` cannot be imported.

It keeps the transport answerable on its own (greets, then answers every turn with one fixed
sentence) so the websocket never leaves Retell waiting even in a stripped-down deployment.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from brain_service.conversation_contract import CallConversation, SpeechChunk, TurnOutput, TurnRequest, Utterance

GREETING = "Hi, this is Eve."
REPLY = "Thanks, I heard you."


class FallbackConversation:
    def __init__(self, call_id: str) -> None:
        self.call_id = call_id

    def on_call_details(self, call: dict[str, Any]) -> None:
        pass

    def on_transcript(self, transcript: tuple[Utterance, ...]) -> None:
        pass

    async def respond(self, request: TurnRequest) -> AsyncIterator[TurnOutput]:
        if request.kind == "begin":
            yield SpeechChunk(GREETING, source="system")
        elif request.kind == "response":
            yield SpeechChunk(REPLY, source="system")

    def on_turn_finished(self, response_id: int, *, cancelled: bool, spoken: str) -> None:
        pass

    def finish(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> None:
        pass


class FallbackConversationFactory:
    def new_call(self, call_id: str) -> CallConversation:
        return FallbackConversation(call_id)


def build(settings: object = None) -> FallbackConversationFactory:
    """``BRAIN_CONVERSATION_FACTORY=brain_service.fallback_conversation:build`` selects it explicitly."""
    return FallbackConversationFactory()
