"""Digits read one by one with spaced dashes; prices, times, years untouched; emails in words."""

from __future__ import annotations

import pytest

from brain_service.speech.formatting import speak_digits, speakable_text
from brain_service.speech.readability import readability_grade


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("My code is 2134.", "My code is 2 - 1 - 3 - 4."),
        ("Call (213) 555-1234.", "Call 2 - 1 - 3 - 5 - 5 - 5 - 1 - 2 - 3 - 4."),
        ("Call +1 213 555 1234 now", "Call 1 - 2 - 1 - 3 - 5 - 5 - 5 - 1 - 2 - 3 - 4 now"),
        ("It's $120 at 3:30 in 2025.", "It's $120 at 3:30 in 2025."),
        ("Room 12 is free.", "Room 12 is free."),
    ],
)
def test_speak_digits(text: str, spoken: str) -> None:
    assert speak_digits(text) == spoken


def test_speakable_text_reads_emails() -> None:
    assert speakable_text("Send to Jane.Doe@Glow-Spa.com now.") == "Send to jane dot doe at glow dash spa dot com now."


def test_no_ssml() -> None:
    assert "<" not in speakable_text("Code 1234 and jane@x.com")


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("What is the best email for the manager?", 0, 6),
        ("Would it help if new leads got a reply in under a minute, even after hours?", 3, 8),
        ("Our organizational infrastructure facilitates comprehensive interdisciplinary methodologies.", 14, 40),
    ],
)
def test_readability_grade_offline(text: str, low: float, high: float) -> None:
    assert low <= readability_grade(text) <= high


def test_readability_of_nothing() -> None:
    assert readability_grade("") == 0.0 and readability_grade("...") == 0.0
