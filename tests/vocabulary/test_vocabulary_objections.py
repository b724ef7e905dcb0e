"""The one objection taxonomy: every class recognised in several phrasings."""

from __future__ import annotations

import pytest

from vocabulary.objections import OBJECTION_CLASSES, Objection, classify_objection, objections_in

CASES = {
    Objection.NOT_DECISION_MAKER: [
        "I'm not the manager",
        "I'm just the receptionist",
        "the owner isn't here",
        "you'd have to talk to the doctor",
        "I can't make that decision",
    ],
    Objection.NOT_INTERESTED: ["not interested", "We're good, thanks", "no thank you", "that's not for us"],
    Objection.PRICE: ["how much is it?", "what does it cost", "sounds expensive", "what's the pricing"],
    Objection.HAS_VENDOR: [
        "we already have an answering service",
        "we already use someone for that",
        "we're under contract",
    ],
    Objection.BUSY: ["I'm really busy", "we're slammed right now", "I'm with a patient", "make it quick"],
    Objection.BAD_TIME: ["it's a bad time", "not a good time", "can you call back later", "try again tomorrow"],
    Objection.WHO_IS_THIS: [
        "who is this?",
        "who are you with",
        "what company?",
        "what's this about",
        "is this a sales call",
    ],
}


@pytest.mark.parametrize(("expected", "text"), [(cls, t) for cls, texts in CASES.items() for t in texts])
def test_classes(expected: Objection, text: str) -> None:
    assert classify_objection(text) is expected


@pytest.mark.parametrize("text", ["", "yes", "sure, go ahead", "jane at glowspa dot com", None])
def test_no_objection(text: str | None) -> None:
    assert classify_objection(text) is None  # type: ignore[arg-type]


def test_all_classes_listed_once() -> None:
    assert sorted(OBJECTION_CLASSES) == sorted(o.value for o in Objection)
    assert set(CASES) == set(Objection)


def test_multiple_classes() -> None:
    found = objections_in("I'm not the manager and how much does it cost?")
    assert Objection.NOT_DECISION_MAKER in found and Objection.PRICE in found
