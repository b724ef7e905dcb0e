"""Sentence streaming keeps every space, comma and conjunction (the original dropped them)."""

from __future__ import annotations

import pytest

from brain_service.speech.sentences import SentenceStream, join_chunk, split_sentences


def stream_all(deltas: list[str]) -> list[str]:
    stream = SentenceStream()
    out = [s for d in deltas for s in stream.feed(d)]
    rest = stream.flush()
    return out + ([rest] if rest else [])


def test_token_by_token_deltas_give_whole_sentences() -> None:
    text = (
        "Okay. Could you tell me, and the manager too, what happens after hours? So we can help, but only if you want."
    )
    tokens = [text[i : i + 3] for i in range(0, len(text), 3)]
    assert stream_all(tokens) == [
        "Okay.",
        "Could you tell me, and the manager too, what happens after hours?",
        "So we can help, but only if you want.",
    ]


def test_chunks_joined_keep_one_space() -> None:
    sentences = split_sentences("Okay. Could you help? Thanks!")
    wire = "".join(join_chunk(s, first=i == 0) for i, s in enumerate(sentences))
    assert wire == "Okay. Could you help? Thanks!"
    assert "Okay.Could" not in wire


@pytest.mark.parametrize(
    "text",
    [
        "Send it to jane@glowspa.com please.",
        "Dr. Smith is in at 3.30 today.",
        "It costs about 3.5 percent, e.g. less than a missed lead.",
    ],
)
def test_abbreviations_decimals_and_addresses_do_not_split(text: str) -> None:
    assert split_sentences(text) == [text]


def test_a_sentence_needs_whitespace_after_its_mark() -> None:
    stream = SentenceStream()
    assert stream.feed("Is that right?") == []  # might still be "right?!" or a quote
    assert stream.feed(" Yes") == ["Is that right?"]
    assert stream.flush() == "Yes"
    assert stream.flush() is None


def test_whitespace_is_normalised_inside_a_sentence() -> None:
    assert stream_all(["Hi   there,\n how", " are you? "]) == ["Hi there, how are you?"]


def test_empty_and_noise_deltas() -> None:
    stream = SentenceStream()
    assert stream.feed("") == [] and stream.feed("   ") == []
    assert stream.flush() is None
