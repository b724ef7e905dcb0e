"""One shared google-genai client for the process, streaming text through the async API.

`build_streamer(settings)` returns None unless `BRAIN_USE_LLM=true` and either `GEMINI_API_KEY` or
Vertex settings (`GEMINI_VERTEXAI=true` + `GEMINI_PROJECT`) are set. `GEMINI_BASE_URL` points the
client elsewhere (tests use a local fake speaking the real `streamGenerateContent?alt=sse`
format). The SDK's own retries are off: the conversation's deadlines decide what happens instead.
"""

from __future__ import annotations

import logging
from typing import Any, AsyncIterator

from google import genai
from google.genai import types

from brain_service.settings import BrainSettings

logger = logging.getLogger("brain.llm")


class GeminiStreamer:
    """`stream(system, contents)` yields model text deltas (never thoughts)."""

    def __init__(self, client: genai.Client, model: str, config: types.GenerateContentConfig) -> None:
        self.client = client
        self.model = model
        self.base_config = config

    async def stream(self, system_instruction: str, contents: list[types.Content]) -> AsyncIterator[str]:
        config = self.base_config.model_copy(update={"system_instruction": system_instruction})
        response = await self.client.aio.models.generate_content_stream(
            model=self.model, contents=contents, config=config
        )
        try:
            async for chunk in response:
                text = _text_of(chunk)
                if text:
                    yield text
        finally:
            # release the HTTP stream at once (cancellation / deadline / barge-in)
            await response.aclose()

    async def aclose(self) -> None:
        try:
            await self.client.aio.aclose()
        except Exception:  # pragma: no cover - best effort at shutdown
            logger.debug("genai client close failed", exc_info=True)


def _text_of(chunk: types.GenerateContentResponse) -> str:
    candidates = chunk.candidates or []
    if not candidates or candidates[0].content is None:
        return ""
    parts = candidates[0].content.parts or []
    return "".join(p.text for p in parts if p.text and not p.thought)


def build_streamer(settings: BrainSettings) -> GeminiStreamer | None:
    if not settings.brain_use_llm:
        return None
    api_key = settings.gemini_api_key.get_secret_value() if settings.gemini_api_key else None
    if not api_key and not (settings.gemini_vertexai and settings.gemini_project):
        logger.warning("BRAIN_USE_LLM is on but no GEMINI_API_KEY or Vertex project is set: playbook only")
        return None
    http_options: dict[str, Any] = {
        "retry_options": types.HttpRetryOptions(attempts=1),
        "timeout": int(max(settings.llm_first_text_deadline_s, settings.llm_stall_deadline_s) * 1000 * 10),
    }
    if settings.gemini_base_url:
        http_options["base_url"] = settings.gemini_base_url
    if settings.gemini_vertexai and settings.gemini_project:
        client = genai.Client(
            vertexai=True, project=settings.gemini_project, location=settings.gemini_location,
            http_options=types.HttpOptions(**http_options),
        )
    else:
        client = genai.Client(api_key=api_key, http_options=types.HttpOptions(**http_options))
    thinking = None
    if settings.gemini_thinking_level != "off":
        thinking = types.ThinkingConfig(thinking_level=settings.gemini_thinking_level.upper(), include_thoughts=False)
    config = types.GenerateContentConfig(
        temperature=settings.gemini_temperature,
        max_output_tokens=settings.gemini_max_output_tokens,
        thinking_config=thinking,
        candidate_count=1,
    )
    return GeminiStreamer(client, settings.gemini_model, config)
