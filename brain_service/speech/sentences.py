"""Sentence streaming: model deltas in, whole sentences out, spacing kept between chunks.

Retell starts speaking at the first complete sentence, and concatenates the ``content`` of the
chunks of one response as-is. So a reply is emitted one sentence per chunk, and every chunk after
the first starts with a single space (`join_chunk`) — "Okay.Could you" was a bug of the original.
Commas and conjunctions are never touched.

A sentence ends at ``.``, ``!`` or ``?`` (optionally followed by closing quotes) followed by
whitespace; abbreviations ("Dr.", "e.g.") and dotted tokens ("glowspa.com", "3.5") do not end one.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "e.g", "i.e", "vs", "etc", "approx", "no", "jr", "sr"})
_BOUNDARY_RE = re.compile(r"[.!?]+[\"')\]]*\s+")


def _is_abbreviation(text: str, dot_index: int) -> bool:
    start = dot_index
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot_index].lower()
    return text[dot_index] == "." and word in _ABBREVIATIONS


class SentenceStream:
    """Feed text deltas; get back the sentences they complete."""

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = ""

    def feed(self, delta: str) -> list[str]:
        if not delta:
            return []
        self._buffer += delta
        out: list[str] = []
        search_from = 0
        while True:
            m = _BOUNDARY_RE.search(self._buffer, search_from)
            if m is None:
                break
            if _is_abbreviation(self._buffer, m.start()):
                search_from = m.end()
                continue
            sentence = re.sub(r"\s+", " ", self._buffer[: m.end()]).strip()
            self._buffer = self._buffer[m.end() :]
            search_from = 0
            if sentence:
                out.append(sentence)
        return out

    def flush(self) -> str | None:
        """The trailing text with no final punctuation yet (end of stream)."""
        rest = re.sub(r"\s+", " ", self._buffer).strip()
        self._buffer = ""
        return rest or None

    @property
    def pending(self) -> str:
        return self._buffer


def split_sentences(text: str) -> list[str]:
    """Whole text -> sentences (same rules as the stream)."""
    stream = SentenceStream()
    out = stream.feed(text + " ")
    rest = stream.flush()
    if rest:
        out.append(rest)
    return out


def join_chunk(sentence: str, *, first: bool) -> str:
    """The chunk content for ``sentence``: later chunks carry exactly one leading space."""
    sentence = sentence.strip()
    return sentence if first else " " + sentence
