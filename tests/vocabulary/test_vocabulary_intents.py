"""Do-not-call, AI-question and voicemail-greeting recognition, with the original's misses."""

from __future__ import annotations

import pytest

from vocabulary.intents import is_ai_question, is_dnc_request, is_voicemail_greeting

DNC_LINES = [
    "stop calling",
    "Stop calling me.",
    "please stop calling us",
    "remove me from your list",
    "Remove us.",
    "take me off your list",
    "take us off your calling list",
    "do not call",
    "Do not call this number again.",
    "don't call here anymore",
    "hang up and stop calling me",  # the original asked for an email
    "Are you a robot? Stop calling me.",  # the original answered the robot question only
    "put me on your do not call list",
    "add us to the do-not-call list",
    "never call here again",
    "leave us alone",
    "we don't want any more calls",
    "quit calling",
    "no more calls please",
    "lose this number",
    "unsubscribe",
    "I said STOP CALLING",
]
NOT_DNC_LINES = [
    "you can call back later",
    "call me tomorrow",
    "send it to the front desk",
    "we're not interested",
    "who is this?",
    "stop by anytime",
    "",
]


@pytest.mark.parametrize("text", DNC_LINES)
def test_dnc_requests(text: str) -> None:
    assert is_dnc_request(text)


@pytest.mark.parametrize("text", NOT_DNC_LINES)
def test_not_dnc(text: str) -> None:
    assert not is_dnc_request(text)


AI_LINES = [
    "are you a robot",
    "Are you a bot?",
    "are you AI?",
    "AI?",
    "Robot?",
    "is this a real person or AI?",
    "Am I talking to a human?",
    "am I speaking with a real person",
    "are you real?",
    "are you human",
    "are you an actual person",
    "is this a recording?",
    "is this AI?",
    "you sound like a robot",
    "is this an automated call?",
]


@pytest.mark.parametrize("text", AI_LINES)
def test_ai_questions(text: str) -> None:
    assert is_ai_question(text)


@pytest.mark.parametrize(
    "text", ["are you there?", "Hi?", "who is this", "are you still selling that", "what time is it?", ""]
)
def test_not_ai_questions(text: str) -> None:
    assert not is_ai_question(text)


VOICEMAIL_LINES = [
    "Hi, you've reached Glow Spa. Please leave a message after the tone.",
    "Please leave your name and number and we'll call you back.",
    "Leave a message after the beep.",
    "The person you are calling is not available. At the tone, please record your message.",
    "You have reached the voicemail of Dr. Patel.",
    "The mailbox is full.",
    "Your call has been forwarded to an automatic voice message system.",
]


@pytest.mark.parametrize("text", VOICEMAIL_LINES)
def test_voicemail_greetings(text: str) -> None:
    assert is_voicemail_greeting(text)


@pytest.mark.parametrize(
    "text",
    [
        "They go to voicemail.",
        "do you want to leave a message for her?",
        "The manager is not available.",
        "Thanks for calling Glow Spa, this is Jen.",
        "",
    ],
)
def test_live_people_are_not_voicemail(text: str) -> None:
    assert not is_voicemail_greeting(text)


@pytest.mark.parametrize("fn", [is_dnc_request, is_ai_question, is_voicemail_greeting])
def test_none_is_false(fn) -> None:  # type: ignore[no-untyped-def]
    assert fn(None) is False  # type: ignore[arg-type]
