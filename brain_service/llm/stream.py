"""Model text under deadlines, as guarded whole sentences.

`stream_model_sentences` drives one model stream for one turn:

* no text within `first_deadline_at` (monotonic, measured from the request) -> `ModelFailure("first_token_deadline")`;
* a gap longer than `stall_s` between deltas -> `ModelFailure("stall")`;
* any SDK / HTTP error -> `ModelFailure("model_error")`.

Sentences are cut by `SentenceStream` and checked by `guard_sentence`; rejected sentences are
dropped (counted in `ModelTurn.rejected`). The model stream is closed in `finally`, so a cancelled
turn (barge-in, newer response_id) stops paying for tokens at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from brain_service.speech.guards import guard_sentence
from brain_service.speech.sentences import SentenceStream

MAX_MODEL_SENTENCES = 3


class ModelFailure(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(slots=True)
class ModelTurn:
    started_at: float = field(default_factory=time.monotonic)
    first_text_at: float | None = None
    rejected: list[str] = field(default_factory=list)

    @property
    def first_token_ms(self) -> float | None:
        return None if self.first_text_at is None else round((self.first_text_at - self.started_at) * 1000, 3)


async def stream_model_sentences(
    deltas: AsyncIterator[str],
    *,
    turn: ModelTurn,
    first_deadline_at: float,
    stall_s: float,
    max_grade: float = 8.0,
) -> AsyncGenerator[str]:
    splitter = SentenceStream()
    emitted = 0
    iterator = deltas.__aiter__()
    try:
        while emitted < MAX_MODEL_SENTENCES:
            now = time.monotonic()
            budget = (first_deadline_at - now) if turn.first_text_at is None else stall_s
            if budget <= 0:
                raise ModelFailure("first_token_deadline")
            try:
                async with asyncio.timeout(budget):
                    delta = await anext(iterator)
            except StopAsyncIteration:
                break
            except TimeoutError as exc:
                raise ModelFailure("first_token_deadline" if turn.first_text_at is None else "stall") from exc
            except ModelFailure:
                raise
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # SDK errors: APIError, httpx errors, bad payloads
                raise ModelFailure("model_error", type(exc).__name__) from exc
            if not delta:
                continue
            if turn.first_text_at is None:
                turn.first_text_at = time.monotonic()
            for sentence in splitter.feed(delta):
                checked = guard_sentence(sentence, max_grade=max_grade)
                if checked.text is None:
                    turn.rejected.append(checked.reasons[-1] if checked.reasons else "rejected")
                    continue
                yield checked.text
                emitted += 1
                if emitted >= MAX_MODEL_SENTENCES:
                    break
        if emitted < MAX_MODEL_SENTENCES:
            rest = splitter.flush()
            if rest:
                checked = guard_sentence(rest, max_grade=max_grade)
                if checked.text is None:
                    turn.rejected.append(checked.reasons[-1] if checked.reasons else "rejected")
                else:
                    yield checked.text
    finally:
        closer: Any = getattr(iterator, "aclose", None)
        if closer is not None:
            try:
                await closer()
            except Exception:
                pass
