"""The bounded window of caller text every recogniser reads.

A caller does not spell an email, ask "are you a robot?" or give a callback time in 10 KB of
speech, but a hostile or broken transcript can carry megabytes in one line. Every recogniser in
`vocabulary/` and in the conversation's signals therefore reads only the newest
``MAX_RECOGNISER_CHARS`` characters of a line (`newest`), so its cost per turn is bounded whatever
the input — the rule is: no per-turn work grows faster than linearly with the input.

Do-not-call reads a larger window: missing an opt-out said early in a long monologue is worse than a
few milliseconds, so `is_dnc_request` walks the newest ``DNC_WINDOW_CHARS`` (about half an hour of
uninterrupted speech, far more than one utterance) in overlapping recogniser-sized `windows`. The
overlap is longer than any do-not-call phrase with its context, and a match near an older
window's cut is left to the newer window that sees how it goes on; the cost stays bounded
(~8 ms for a full window on the reference machine).
"""

from __future__ import annotations

from collections.abc import Iterator

MAX_RECOGNISER_CHARS = 2000
DNC_WINDOW_CHARS = 32_768
# Longer than any phrase a recogniser matches in one piece ("put us on your do not call list").
WINDOW_OVERLAP_CHARS = 200
# How far into a cut window we look for a space to avoid starting in the middle of a word.
_WORD_EDGE_CHARS = 40


def _word_start(text: str, start: int) -> int:
    """``start``, moved past a partly cut word when a space is near (never beyond the edge window)."""
    if start == 0 or text[start - 1].isspace():
        return start
    for index in range(start, min(start + _WORD_EDGE_CHARS, len(text))):
        if text[index].isspace():
            return index + 1
    return start


def newest(text: str, limit: int = MAX_RECOGNISER_CHARS) -> str:
    """The last ``limit`` characters of ``text``, starting at a word edge when one is near."""
    if len(text) <= limit:
        return text
    return text[_word_start(text, len(text) - limit) :]


def windows(
    text: str, size: int = MAX_RECOGNISER_CHARS, overlap: int = WINDOW_OVERLAP_CHARS
) -> Iterator[tuple[str, int]]:
    """The whole of ``text`` as overlapping windows of at most ``size`` characters, newest first.

    Each comes with its *settled* length: a match starting at or after it may be cut off by the
    window's end (a "don't call" whose "before noon" is in the next window), so only the newer
    window, which holds that stretch and what follows it, judges it. The newest window is settled
    to its end.
    """
    if size <= overlap + _WORD_EDGE_CHARS:
        raise ValueError("window size must exceed the overlap and the word edge")
    end = len(text)
    settled_margin = 0
    while True:
        start = max(0, end - size)
        window = text[_word_start(text, start) : end]
        yield window, max(0, len(window) - settled_margin)
        if start == 0:
            return
        end = start + overlap
        settled_margin = overlap - _WORD_EDGE_CHARS
