"""A conversation with slow turns for the shutdown-drain test (loaded via BRAIN_CONVERSATION_FACTORY).

Calls whose id starts with ``forever`` never finish a turn; others take ``SLOW_TURN_S`` per turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from brain_service.conversation_contract import CallConversation, SpeechChunk, TurnOutput, TurnRequest, Utterance

SLOW_TURN_S = 1.0


class SlowConversation:
    def __init__(self, call_id: str) -> None:
        self.call_id = call_id

    def on_call_details(self, call: dict[str, Any]) -> None:
        pass

    def on_transcript(self, transcript: tuple[Utterance, ...]) -> None:
        pass

    async def respond(self, request: TurnRequest) -> AsyncIterator[TurnOutput]:
        if request.kind == "begin":
            yield SpeechChunk("Hi.")
            return
        yield SpeechChunk("Working on it.")
        await asyncio.sleep(3600 if self.call_id.startswith("forever") else SLOW_TURN_S)
        yield SpeechChunk("Done.")

    def on_turn_finished(self, response_id: int, *, cancelled: bool, spoken: str) -> None:
        pass

    def finish(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> None:
        print(f"FINISH {self.call_id} {close_reason} turns={len(turns)}", flush=True)


class SlowFactory:
    def new_call(self, call_id: str) -> CallConversation:
        return SlowConversation(call_id)


def build(settings: Any) -> SlowFactory:
    return SlowFactory()
