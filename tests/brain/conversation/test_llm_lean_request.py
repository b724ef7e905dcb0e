"""The lean request types (`brain_service.llm.client`) send exactly the request plain google-genai
types would: same path, same JSON body, on the real SDK against the local fake. And the streamer's
shapes (string or typed system instruction, one content or a one-item list) all reach the wire the
same way."""

from __future__ import annotations

import asyncio

import pytest
from google import genai
from google.genai import types

from brain_service.llm.client import GeminiStreamer, LeanConfig, LeanContent, LeanPart, text_content
from tests.fakes.fake_gemini import FakeGemini, Scenario

SYSTEM = "You are Cassidy calling for Eve.\n\nInstruction for this reply: ask for the email."
CONVERSATION = "Caller: We're busy.\nYou:"


@pytest.fixture(scope="module")
def fake():
    with FakeGemini(Scenario(ttft=0.0, gap=0.0, chunks=["Sure thing. ", "What's the email?"])) as server:
        yield server


def _client(fake: FakeGemini) -> genai.Client:
    return genai.Client(
        api_key="test-key",
        http_options=types.HttpOptions(base_url=fake.base_url, retry_options=types.HttpRetryOptions(attempts=1)),
    )


def _config_kwargs() -> dict:
    return {
        "temperature": 0.4,
        "max_output_tokens": 90,
        "candidate_count": 1,
        "thinking_config": types.ThinkingConfig(thinking_level="MINIMAL", include_thoughts=False),
    }


async def _send_plain(fake: FakeGemini) -> None:
    client = _client(fake)
    config = types.GenerateContentConfig(system_instruction=SYSTEM, **_config_kwargs())
    contents = [types.Content(role="user", parts=[types.Part(text=CONVERSATION)])]
    response = await client.aio.models.generate_content_stream(model="gemini-test", contents=contents, config=config)
    async for _ in response:
        pass
    await client.aio.aclose()


async def _send_streamer(fake: FakeGemini, system: str | types.Content, contents) -> str:  # type: ignore[no-untyped-def]
    client = _client(fake)
    streamer = GeminiStreamer(client, "gemini-test", LeanConfig(**_config_kwargs()))
    text = "".join([delta async for delta in streamer.stream(system, contents)])
    await streamer.aclose()
    return text


def _last_request(fake: FakeGemini):  # type: ignore[no-untyped-def]
    with fake.lock:
        return fake.requests[-1]


@pytest.mark.parametrize(
    "system, contents",
    [
        (SYSTEM, text_content(CONVERSATION)),
        (text_content(SYSTEM), [text_content(CONVERSATION)]),
        (SYSTEM, [types.Content(role="user", parts=[types.Part(text=CONVERSATION)])]),
    ],
    ids=["str-system+content", "typed-system+list", "plain-content-list"],
)
def test_lean_request_is_the_plain_request(fake: FakeGemini, system, contents) -> None:  # type: ignore[no-untyped-def]
    asyncio.run(_send_plain(fake))
    plain = _last_request(fake)
    text = asyncio.run(_send_streamer(fake, system, contents))
    lean = _last_request(fake)
    assert text == "Sure thing. What's the email?"
    assert lean.path == plain.path and lean.query == plain.query
    assert lean.body == plain.body
    assert lean.body["systemInstruction"] == {"parts": [{"text": SYSTEM}], "role": "user"}
    assert lean.body["contents"] == [{"parts": [{"text": CONVERSATION}], "role": "user"}]
    assert "MINIMAL" in str(lean.body["generationConfig"]["thinkingConfig"])  # key spelling is the SDK's


def test_lean_types_keep_validation_and_values() -> None:
    content = text_content("hello", role="model")
    assert isinstance(content, types.Content) and isinstance(content.parts[0], types.Part)
    assert content.role == "model" and content.parts[0].text == "hello"
    assert "text" not in LeanPart(text="x") and "role" not in LeanContent(role="user")  # same answer as the SDK's types
    with pytest.raises(ValueError):
        LeanConfig(temperature="hot")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LeanConfig(no_such_field=1)  # type: ignore[call-arg]


def test_plain_base_config_is_made_lean() -> None:
    streamer = GeminiStreamer(
        genai.Client(api_key="k"), "m", types.GenerateContentConfig(temperature=0.2, candidate_count=1)
    )
    assert isinstance(streamer.base_config, LeanConfig)
    assert streamer.base_config.temperature == 0.2 and streamer.base_config.candidate_count == 1
