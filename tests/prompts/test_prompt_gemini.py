"""Gemini-written challenger wordings: google-genai against the fake Gemini server on loopback."""

from __future__ import annotations

import json

from pipelines.prompts.learn import GeminiAccess, learn_candidate
from tests.fakes.fake_gemini import FakeGemini, Scenario
from vocabulary.prompt_versions import builtin_version, validate_version


def stats_rows(version: str) -> list[dict]:
    def row(grain: str, key: str | None, variant: str | None, calls: int, captures: int) -> dict:
        rate = captures / calls
        return {
            "grain": grain,
            "prompt_version": version,
            "line_key": key,
            "variant_id": variant,
            "calls": calls,
            "email_captures": captures,
            "email_capture_rate": rate,
            "email_capture_low": max(0.0, rate - 0.05),
            "email_capture_high": min(1.0, rate + 0.05),
        }

    return [
        row("version", None, None, 300, 90),
        row("wording", "value", "base", 300, 30),
        row("wording", "objections.price", "base", 60, 9),
        row("wording", "routing", "base", 300, 90),
        row("wording", "opener", "base", 300, 120),
    ]


def suggestion_stream(suggestions: list[dict]) -> Scenario:
    text = json.dumps({"suggestions": suggestions})
    return Scenario(ttft=0.0, chunks=[text[:40], text[40:]], gap=0.0)


def test_gemini_wordings_become_challengers_and_bad_ones_are_dropped() -> None:
    parent = builtin_version()
    good = "We answer new leads in under a minute, day and night. Want a short email about it?"
    with FakeGemini(
        suggestion_stream(
            [
                {"line": "value", "text": good, "why": "shorter and warmer"},
                {"line": "objections.price", "text": "It costs **$499** per month!", "why": "direct"},
                {"line": "dnc_close", "text": "We will call again.", "why": "never allowed"},
            ]
        )
    ) as fake:
        access = GeminiAccess(api_key="test-key", model="gemini-fake", base_url=fake.base_url)
        result = learn_candidate(
            parent, stats_rows("builtin-v1"), min_calls=250, examples={"price": ["How much?"]}, gemini=access
        )
        body = fake.requests[-1].body
    candidate = result.candidate
    assert candidate is not None, result.reason
    validate_version(candidate)
    assert candidate["candidate"]["built_by"] == "gemini"
    assert candidate["lines"]["value"]["variants"] == [{"id": "g1", "say": [good]}]
    assert "variants" not in candidate["lines"]["objections"]["price"]
    assert "Gemini's wording for 'objections.price' was dropped" in candidate["candidate"]["rationale"]
    assert "dnc_close" not in json.dumps(candidate["lines"])
    sent = json.loads(body["contents"][0]["parts"][0]["text"])
    assert [line["line"] for line in sent["lines"]] == ["value", "objections.price", "routing"]  # weakest first
    assert sent["caller_objections"] == {"price": ["How much?"]}
    assert "test-key" not in json.dumps(fake.requests[-1].headers)


def test_garbage_from_gemini_builds_nothing() -> None:
    with FakeGemini(Scenario(ttft=0.0, chunks=["I think you should be nicer."], gap=0.0)) as fake:
        access = GeminiAccess(api_key="k", model="gemini-fake", base_url=fake.base_url)
        result = learn_candidate(builtin_version(), stats_rows("builtin-v1"), min_calls=250, gemini=access)
    assert result.candidate is None and "Gemini added nothing usable" in result.reason


def test_gemini_is_not_asked_below_min_calls() -> None:
    with FakeGemini(suggestion_stream([])) as fake:
        access = GeminiAccess(api_key="k", model="gemini-fake", base_url=fake.base_url)
        result = learn_candidate(builtin_version(), stats_rows("builtin-v1"), min_calls=1000, gemini=access)
        assert fake.requests == []
    assert result.candidate is None and "a candidate needs 1000" in result.reason
