"""Whole-sentence guards: leaks rejected, markup cleaned, jargon replaced, long/hard lines dropped."""

from __future__ import annotations

import pytest

from brain_service.speech.guards import guard_sentence


@pytest.mark.parametrize(
    "text",
    [
        "Let me think about this.",
        "Here is my reasoning: they are busy.",
        "Step by step, I will ask for the email.",
        "The user said yes, so I should ask for the email.",
        "As an AI language model, I can help.",
        "<thought>ask for email</thought>",
        "Following my instructions, I will ask.",
        "Thinking: the caller is busy.",
    ],
)
def test_reasoning_leaks_are_rejected(text: str) -> None:
    result = guard_sentence(text)
    assert result.rejected and "reasoning_leak" in result.reasons


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("**Sure!** What's the email?", "Sure! What's the email?"),
        ("*laughs* That's fair.", "That's fair."),
        ("(pause) Got it.", "Got it."),
        ("[smiling] Great question.", "Great question."),
        ("- Totally fair.", "Totally fair."),
        ("1. Who handles leads?", "Who handles leads?"),
        ("Sounds good 😀👍.", "Sounds good."),
        ("We utilize a simple tool.", "We use a simple tool."),
        ("We optimize your intake.", "We improve your front desk calls."),
        ("Call 213-555-1234 to check.", "Call 2 - 1 - 3 - 5 - 5 - 5 - 1 - 2 - 3 - 4 to check."),
        ("Email jane@glowspa.com today.", "Email jane at glowspa dot com today."),
    ],
)
def test_cleaning(text: str, spoken: str) -> None:
    assert guard_sentence(text).text == spoken


@pytest.mark.parametrize("text", ["", "***", "😀", "(laughs)", "   "])
def test_nothing_left_is_rejected(text: str) -> None:
    assert guard_sentence(text).rejected


def test_too_long_is_rejected_never_truncated() -> None:
    long = " ".join(["word"] * 40) + "."
    assert guard_sentence(long).rejected


def test_hard_to_follow_sentences_are_rejected() -> None:
    hard = "Our organizational infrastructure facilitates comprehensive interdisciplinary communication methodologies."
    result = guard_sentence(hard)
    assert result.rejected and "readability" in result.reasons


def test_plain_sentences_pass_untouched() -> None:
    text = "Would it help if new leads got a reply in under a minute, even after hours?"
    assert guard_sentence(text).text == text and guard_sentence(text).reasons == ()
