"""AI-identity questions by meaning, whatever their polarity (`vocabulary/ai_questions.py`)."""

from __future__ import annotations

import pytest

from vocabulary.ai_questions import is_ai_question
from vocabulary.intents import is_ai_question as reexported

# "Is it a machine?" and "is it a person?" are the same question; so are statements to be confirmed
# and requests for a human.
AI_QUESTIONS = [
    # machine polarity
    "are you a robot",
    "Are you a bot?",
    "r u a bot",
    "Are you ChatGPT?",
    "Are you software?",
    "Are you a virtual assistant?",
    "is this a chatbot",
    "is this artificial intelligence?",
    "Is this thing automated?",
    "Is this a recording?",
    "Am I talking to a computer?",
    "Am I talking to an AI?",
    "you sound like a robot",
    "Sounds like a machine. Is it?",
    "this is a robocall, isn't it",
    # human polarity
    "am I talking to a real person?",
    "is this a live human?",
    "are you an actual person",
    "Am I speaking with a human being?",
    "is this a real human I'm talking to?",
    "Is there a real person on the line?",
    "is there an actual human on this call?",
    "Are you a living person?",
    "are you a real live person",
    "wait, are you human?",
    "Is this an actual human being?",
    "am i chatting with a real human",
    "are you even real?",
    "Is that a real person talking?",
    "Is this a real voice?",
    "Am I speaking to someone real?",
    "Are you for real a person?",
    "is a human on the line",
    "Is anybody real there?",
    "Is someone actually there?",
    "Is this a live agent?",
    "Are you a live representative?",
    "Are you alive?",
    "Hey, is this a real person?",
    "Is this person real?",
    "is it a real person?",
    "Am I on with a real person?",
    "are u real",
    # statements to confirm
    "You're a real person, right?",
    "you're not a robot, are you?",
    "You are a human, aren't you?",
    # mixed and requests for a human
    "Is this a person or a machine?",
    "Who am I speaking with, a person or a robot?",
    "are you a person or a computer",
    "human or machine?",
    "Can I talk to a real person?",
    "I want to speak to a human.",
    "Let me speak with a live person.",
    "just put me through to a human",
    "AI?",
    "Robot?",
]

NOT_AI_QUESTIONS = [
    "",
    "are you there?",
    "Is anybody there?",
    "Hi?",
    "who is this",
    "are you still selling that",
    "what time is it?",
    "Are you a real estate company?",
    "are you guys real estate",
    "are you the person who called yesterday?",
    "is this a real offer?",
    "We are a real clinic with real patients.",
    "Real quick, who is this?",
    "I need to talk to the person who handles billing.",
    "You would need to speak with the manager.",
    "Are you in person?",
    "It is a real problem for us.",
    "That is the person you want.",
    "yes I am the person in charge",
    "Are you calling about the machine we bought?",
    "our computer system is down",
    "we use an automated reminder system",
    "Is this a sales call?",
    "Are you really from Eve?",
    "Is it really that fast?",
    "You are really persistent.",
    "sounds like a good deal",
    "Is that a program you sell?",
    "this is Sarah speaking",
]


@pytest.mark.parametrize("text", AI_QUESTIONS)
def test_identity_questions_of_either_polarity(text: str) -> None:
    assert is_ai_question(text)


@pytest.mark.parametrize("text", NOT_AI_QUESTIONS)
def test_look_alikes_are_not_identity_questions(text: str) -> None:
    assert not is_ai_question(text)


def test_one_recogniser_reexported_for_older_callers() -> None:
    assert reexported is is_ai_question


@pytest.mark.parametrize("bad", [None, 42, b"are you a robot"])
def test_malformed_input_is_not_a_question(bad: object) -> None:
    assert not is_ai_question(bad)  # type: ignore[arg-type]
