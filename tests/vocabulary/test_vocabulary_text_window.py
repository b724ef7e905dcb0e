"""The bounded recogniser window and the linear literal-email scan (`vocabulary/text_window.py`)."""

from __future__ import annotations

import random
import re

import pytest

from brain_service.conversation import signals
from vocabulary import close_requests, emails, intents, objections
from vocabulary.text_window import DNC_WINDOW_CHARS, MAX_RECOGNISER_CHARS, newest, windows

# The regular expression the literal finder used to be (quadratic on long runs of address characters).
_OLD_LITERAL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def test_newest_keeps_short_text_and_cuts_long_text_at_a_word_edge() -> None:
    assert newest("stop calling") == "stop calling"
    long = "word " * 1000 + "tail"
    cut = newest(long)
    assert len(cut) <= MAX_RECOGNISER_CHARS and cut.endswith("tail") and cut.startswith("word")
    assert len(newest("x" * 10_000)) == MAX_RECOGNISER_CHARS  # no word edge: a plain cut


@pytest.mark.parametrize("length", [0, 1, 1999, 2000, 2001, 5_000, 50_000])
def test_windows_cover_every_phrase_of_the_text(length: int) -> None:
    rng = random.Random(length)
    text = "".join(rng.choice("ab  ") for _ in range(length))
    pairs = list(windows(text))
    parts = [part for part, _ in pairs]
    assert all(len(part) <= MAX_RECOGNISER_CHARS for part in parts)
    assert pairs[0][1] == len(parts[0])  # the newest window is settled to its end
    for start in range(0, max(1, length - 150), 131):
        phrase = text[start : start + 150]
        # every phrase lies, whole, inside the settled part of some window
        assert not phrase or any(phrase in part and part.index(phrase) < settled for part, settled in pairs)


def test_windows_reject_an_overlap_as_large_as_the_window() -> None:
    with pytest.raises(ValueError):
        list(windows("abc", size=100, overlap=100))


def test_literal_spans_agree_with_the_old_expression_on_random_text() -> None:
    rng = random.Random(7)
    alphabet = "ab.@-_ x%+1"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        old = [m.span() for m in _OLD_LITERAL_RE.finditer(text)]
        assert list(emails.literal_email_spans(text)) == old, text


def test_replace_literal_emails_rewrites_each_address() -> None:
    assert emails.replace_literal_emails("mail a@b.com or c@d.org", str.upper) == "mail A@B.COM or C@D.ORG"
    assert emails.replace_literal_emails("no address here", str.upper) == "no address here"


def test_recognisers_read_the_newest_window_of_a_long_line() -> None:
    filler = "we see patients all day " * 500
    assert emails.find_email(filler + "it's jane@glowspa.com").address == "jane@glowspa.com"
    assert emails.find_email("jane@glowspa.com " + filler) is None  # beyond the window
    assert intents.is_ai_question(filler + "are you a robot?")
    assert objections.classify_objection(filler + "how much does it cost") is not None
    assert close_requests.is_close_request(filler + "just send it over")
    assert signals.find_callback_time(filler + "call me tomorrow at 3") is not None
    assert signals.is_noise("." * 100_000)
    assert not signals.is_noise("." * 100_000 + "x")


def test_an_opt_out_is_found_anywhere_in_the_do_not_call_window() -> None:
    filler = "we see patients all day " * 1000  # 24 KB, beyond the ordinary window
    assert intents.is_dnc_request("Please stop calling us. " + filler)
    assert intents.is_dnc_request(filler + " take me off your list")
    assert not intents.is_dnc_request(filler)
    far = "stop calling. " + "x " * DNC_WINDOW_CHARS
    assert not intents.is_dnc_request(far)  # the bound is real (32 KB ≈ half an hour of speech)


def test_a_constraint_cut_by_a_window_edge_is_not_an_opt_out() -> None:
    # wherever the windows fall, "don't call" is judged with the "before noon" that follows it
    for pad in range(0, 60, 7):
        text = "x" * pad + "don't call before noon " * 2000
        assert not intents.is_dnc_request(text)
        assert intents.is_dnc_request(text + " take us off your list")
