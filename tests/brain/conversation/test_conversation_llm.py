"""Gemini phrasing through google-genai against the local fake (real HTTP, real SSE), over the
real websocket: normal streaming, both deadlines, errors, guards, cancellation closing the stream,
the active prompt version, and the hard rules that never go to the model."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from brain_service.llm.client import build_streamer
from brain_service.settings import BrainSettings
from tests.fakes.fake_gemini import FakeGemini, Scenario
from tests.support.brain import start_brain
from tests.support.call_records import make_settings, version_doc, write_version
from tests.support.waiting import wait_for

DEADLINE_S = 0.4


@pytest.fixture(scope="module")
def fake():
    with FakeGemini() as server:
        yield server


@pytest.fixture(scope="module")
def llm_brain(fake, data_dir: Path):
    settings = make_settings(
        data_dir,
        brain_use_llm=True,
        gemini_api_key="test-key",
        gemini_base_url=fake.base_url,
        llm_first_text_deadline_s=DEADLINE_S,
        llm_stall_deadline_s=DEADLINE_S,
    )
    running = start_brain(settings)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def reset_fake(fake):
    fake.scenario = Scenario()
    fake.disconnected.clear()
    with fake.lock:
        fake.requests.clear()
    yield


def body_text(body: dict) -> str:
    return json.dumps(body)


async def test_model_phrases_ordinary_turns_sentence_by_sentence(llm_brain, fake, dial, data_dir, record_of) -> None:
    fake.scenario = Scenario(ttft=0.02, chunks=["Great, thanks! ", "Who handles new leads", " for you there?"])
    call = await dial(llm_brain, "call_llm_normal", {"retell_llm_dynamic_variables": {"business_name": "Glow Spa"}})
    assert "Cassidy" in call.replies[0].text  # the greeting is the playbook's (no model on begin)
    reply = await call.say("Yep.")
    assert reply.text == "Great, thanks! Who handles new leads for you there?"
    contents = [f["content"] for f in reply.frames if f["content"]]
    assert contents == ["Great, thanks!", " Who handles new leads for you there?"]
    request = fake.requests[-1]
    assert request.path.endswith(":streamGenerateContent") and request.query == "alt=sse"
    assert request.headers["x-goog-api-key"] == "<present>"
    system = body_text(request.body["systemInstruction"])
    assert "Glow Spa" in system and "Cassidy" in system and "Instruction for this reply" in system
    assert request.body["contents"][-1]["role"] == "user" and "Yep." in body_text(request.body["contents"][-1])
    assert request.body["generationConfig"]["thinkingConfig"]["thinking_level"] == "MINIMAL"
    await call.say("stop calling")
    await call.close()
    record = record_of(data_dir, "call_llm_normal")
    model_turn = next(t for t in record["turns"] if t.get("response_id") == 1)
    assert model_turn["source"] == "model"
    latency = next(lat for lat in record["latencies"] if lat["response_id"] == 1)
    assert latency["model_first_token_ms"] is not None and latency["fallback_used"] is None
    assert record["llm"] == {"enabled": True, "model": "gemini-3-flash-preview"}


async def test_slow_first_token_speaks_the_playbook_and_closes_the_stream(
    llm_brain, fake, dial, data_dir, record_of
) -> None:
    fake.scenario = Scenario(ttft=DEADLINE_S * 5, chunks=["Too late. "])
    call = await dial(llm_brain, "call_llm_slow")
    started = time.monotonic()
    reply = await call.say("Yep.")
    elapsed = time.monotonic() - started
    assert "Who handles new patient leads" in reply.text and "Too late" not in reply.text
    assert elapsed < DEADLINE_S * 5
    await wait_for(lambda: fake.requests and fake.requests[-1].disconnected)
    await call.say("stop calling")
    await call.close()
    latency = next(lat for lat in record_of(data_dir, "call_llm_slow")["latencies"] if lat["response_id"] == 1)
    assert latency["fallback_used"] == "first_token_deadline"


async def test_mid_stream_stall_finishes_with_one_short_sentence(llm_brain, fake, dial, data_dir, record_of) -> None:
    fake.scenario = Scenario(
        ttft=0.02, chunks=["Good to hear. ", "And then something ", "else."], stall_after=1, stall_s=10
    )
    call = await dial(llm_brain, "call_llm_stall")
    reply = await call.say("Yep.")
    assert reply.text == "Good to hear. Anyway, what's the best email for the manager?"
    await wait_for(lambda: fake.requests and fake.requests[-1].disconnected)
    await call.say("stop calling")
    await call.close()
    record = record_of(data_dir, "call_llm_stall")
    latency = next(lat for lat in record["latencies"] if lat["response_id"] == 1)
    assert latency["fallback_used"] == "stall"
    assert next(t for t in record["turns"] if t.get("response_id") == 1)["source"] == "mixed"


@pytest.mark.parametrize("status", [500, 429, 400])
async def test_model_error_falls_back_to_the_playbook(llm_brain, fake, dial, status: int) -> None:
    fake.scenario = Scenario(ttft=0.0, status=status)
    call = await dial(llm_brain)
    reply = await call.say("Yep.")
    assert "Who handles new patient leads" in reply.text
    assert len(fake.requests) == 1  # the SDK does not retry behind the deadline's back


async def test_reasoning_leaks_markdown_and_thoughts_never_reach_the_caller(llm_brain, fake, dial) -> None:
    fake.scenario = Scenario(
        ttft=0.02,
        thought_first=True,
        chunks=[
            "Let me think step by step about the caller. ",
            "**Sure!** *smiles* ",
            "What's the manager's email? 😀",
        ],
    )
    call = await dial(llm_brain)
    reply = await call.say("Okay.")
    assert reply.text == "Sure! What's the manager's email?"
    assert "Thinking" not in reply.text


async def test_a_reply_with_nothing_speakable_falls_back_whole(llm_brain, fake, dial, data_dir, record_of) -> None:
    fake.scenario = Scenario(
        ttft=0.02, chunks=["My reasoning: the user said yep. ", "As an AI language model I will reply."]
    )
    call = await dial(llm_brain, "call_llm_guarded")
    reply = await call.say("Yep.")
    assert "Who handles new patient leads" in reply.text and "reasoning" not in reply.text
    await call.say("stop calling")
    await call.close()
    latency = next(lat for lat in record_of(data_dir, "call_llm_guarded")["latencies"] if lat["response_id"] == 1)
    assert latency["fallback_used"] == "guard_rejected"


@pytest.mark.parametrize(
    "line",
    ["stop calling me", "jane at glowspa dot com", "Please leave a message after the tone.", "Are you a robot?"],
)
async def test_hard_rules_never_ask_the_model(llm_brain, fake, dial, line: str) -> None:
    call = await dial(llm_brain)
    await call.say(line)
    assert fake.requests == []


async def test_superseded_turn_closes_the_model_stream(brain_with, fake, dial) -> None:
    brain = brain_with(
        brain_use_llm=True,
        gemini_api_key="test-key",
        gemini_base_url=fake.base_url,
        llm_first_text_deadline_s=10,
        llm_stall_deadline_s=10,
    )
    fake.scenario = Scenario(ttft=5.0, chunks=["Never heard. "])
    call = await dial(brain)
    call.transcript.append({"role": "user", "content": "Yep."})
    await call.ws.send(
        json.dumps({"interaction_type": "response_required", "response_id": 1, "transcript": call.transcript})
    )
    await wait_for(lambda: len(fake.requests) == 1)
    call.transcript[-1] = {"role": "user", "content": "Yep. Actually, stop calling us."}
    call.latest_requested = 2
    await call.ws.send(
        json.dumps({"interaction_type": "response_required", "response_id": 2, "transcript": call.transcript})
    )
    reply = await call._read_reply(2, 5.0)
    assert reply.end_call
    await wait_for(lambda: fake.requests[0].disconnected, timeout=2.0)
    assert call.stale_frames == 0


async def test_active_prompt_version_is_used_and_pinned(brain_with, fake, dial, data_dir: Path, record_of) -> None:
    prompts = data_dir / "prompts"
    prompts.mkdir(parents=True, exist_ok=True)
    write_version(data_dir, version_doc("p-test-7", system_prompt="PROMPT-7 for {business} as {persona}."))
    brain = brain_with(brain_use_llm=True, gemini_api_key="test-key", gemini_base_url=fake.base_url)
    call = await dial(brain, "call_prompt_pinned", {"metadata": {"business_name": "Bright Smile"}})
    write_version(data_dir, version_doc("p-test-8", system_prompt="PROMPT-8"))
    await call.say("Yep.")
    assert "PROMPT-7 for Bright Smile as Cassidy." in body_text(fake.requests[-1].body["systemInstruction"])
    await call.say("stop calling")
    await call.close()
    assert record_of(data_dir, "call_prompt_pinned")["prompt_version"] == "p-test-7"
    later = await dial(brain, "call_prompt_next")
    await later.say("stop calling")
    await later.close()
    assert record_of(data_dir, "call_prompt_next")["prompt_version"] == "p-test-8"
    (prompts / "active.json").unlink()


def test_no_model_without_a_key_or_switch() -> None:
    assert build_streamer(BrainSettings(_env_file=None, brain_use_llm=False, gemini_api_key="k")) is None
    assert build_streamer(BrainSettings(_env_file=None, brain_use_llm=True)) is None
    assert build_streamer(BrainSettings(_env_file=None, brain_use_llm=True, gemini_api_key="k")) is not None


def test_default_deadlines_and_model() -> None:
    s = BrainSettings(_env_file=None)
    assert (s.llm_first_text_deadline_s, s.llm_stall_deadline_s) == (1.5, 2.0)
    assert s.gemini_model == "gemini-3-flash-preview" and s.gemini_thinking_level == "minimal"
    assert "k" not in repr(BrainSettings(_env_file=None, gemini_api_key="k").gemini_api_key).replace("**", "")[:0]
    assert "secret-value" not in repr(BrainSettings(_env_file=None, gemini_api_key="secret-value"))
