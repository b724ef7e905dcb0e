"""Flesch-Kincaid grade of a spoken line, computed offline.

textstat 0.7's syllable counter looks words up in NLTK's cmudict and tries to *download* it when
absent (no network here, and a download attempt on the hot path is unacceptable). We keep
textstat's word and sentence counting and count syllables with pyphen's bundled English
hyphenation dictionary (a textstat dependency, fully offline) — the same fallback textstat uses for
words missing from cmudict.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pyphen import Pyphen
from textstat.backend.counts._count_sentences import count_sentences
from textstat.backend.selections._list_words import list_words

_HYPHENATOR = Pyphen(lang="en_US")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


@lru_cache(maxsize=8192)
def _syllables(word: str) -> int:
    by_hyphenation = len(_HYPHENATOR.positions(word)) + 1
    # pyphen never splits short words; vowel groups catch "idea" (3) / "area" (3) cases a bit better
    vowel_groups = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and vowel_groups > 1:
        vowel_groups -= 1
    return max(1, min(by_hyphenation if by_hyphenation > 1 else vowel_groups, max(vowel_groups, 1)))


def readability_grade(text: str) -> float:
    """Flesch-Kincaid grade level (0.39·words/sentence + 11.8·syllables/word − 15.59), floor 0."""
    words = list_words(text, lowercase=True)
    if not words:
        return 0.0
    sentences = max(1, count_sentences(text))
    syllables = sum(_syllables(w) for w in words)
    grade = 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59
    return round(max(0.0, float(grade)), 1)
