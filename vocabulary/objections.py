"""Objection classes: one taxonomy for the playbook, the journeys assets and the reports.

`classify_objection(text)` returns the first matching class for a caller's line, or None. Both
functions read the newest `vocabulary.text_window.MAX_RECOGNISER_CHARS` of the line.
"""

from __future__ import annotations

import re
from enum import StrEnum

from vocabulary.text_window import newest


class Objection(StrEnum):
    NOT_DECISION_MAKER = "not_decision_maker"
    NOT_INTERESTED = "not_interested"
    PRICE = "price"
    BUSY = "busy"
    HAS_VENDOR = "has_vendor"
    BAD_TIME = "bad_time"
    WHO_IS_THIS = "who_is_this"


OBJECTION_CLASSES: tuple[str, ...] = tuple(o.value for o in Objection)

# Ordered: the first class whose pattern matches wins.
_PATTERNS: list[tuple[Objection, str]] = [
    (
        Objection.NOT_DECISION_MAKER,
        r"\b(?:i'?m|i\s+am)\s+(?:not|just)\s+(?:the\s+)?(?:manager|owner|decision|person|one)\b"
        r"|\bnot\s+the\s+(?:decision[\s-]*maker|manager|owner|right\s+person)\b"
        r"|\b(?:manager|owner|doctor|boss)\s+(?:is|isn'?t|is\s+not)\s+(?:not\s+)?(?:in|here|available|around|out)\b"
        r"|\byou(?:'d|\s+would)\s+(?:need|have)\s+to\s+(?:talk|speak)\s+(?:to|with)\b"
        r"|\b(?:i\s+)?(?:can'?t|cannot)\s+make\s+(?:that|those)\s+decisions?\b"
        r"|\bjust\s+the\s+(?:receptionist|front\s+desk)\b",
    ),
    (
        Objection.NOT_INTERESTED,
        r"\bnot\s+(?:really\s+)?interested\b|\bno\s+interest\b|\bwe'?re\s+(?:good|fine|all\s+set)\b"
        r"|\bno\s+thanks?\b|\bno\s+thank\s+you\b|\bnot\s+for\s+us\b|\bdon'?t\s+need\s+(?:it|that|this|anything)\b",
    ),
    (
        Objection.PRICE,
        r"\bhow\s+much\b|\bprice\b|\bpricing\b|\bcost(?:s)?\b|\bexpensive\b|\bbudget\b|\bafford\b|\bfees?\b",
    ),
    (
        Objection.HAS_VENDOR,
        r"\balready\s+(?:have|use|using|work\s+with|got)\b|\bwe\s+(?:use|have)\s+(?:a|an|some)\s+"
        r"(?:service|system|company|vendor|answering|receptionist|agency)\b|\bwe'?ve\s+got\s+(?:someone|a\s+service|a\s+system)\b"
        r"|\b(?:under|in\s+a)\s+contract\b",
    ),
    (
        Objection.BUSY,
        r"\b(?:i'?m|we'?re|i\s+am|we\s+are|it'?s)\s+(?:really\s+|very\s+|super\s+|pretty\s+)?(?:busy|swamped|slammed)\b"
        r"|\bwith\s+a\s+(?:patient|client)\b|\bin\s+a\s+meeting\b|\bno\s+time\b|\bmake\s+it\s+quick\b",
    ),
    (
        Objection.BAD_TIME,
        r"\bbad\s+time\b|\bnot\s+a\s+good\s+time\b|\bcall\s+(?:me\s+|us\s+)?(?:back|later|tomorrow|next\s+week)\b"
        r"|\b(?:can|could)\s+you\s+call\s+(?:back|later)\b|\btry\s+(?:again\s+)?(?:later|tomorrow)\b",
    ),
    (
        Objection.WHO_IS_THIS,
        r"\bwho\s+(?:is\s+this|are\s+you|is\s+calling|'?s\s+calling|'?s\s+this)\b|\bwhat\s+(?:is\s+this|company)\b"
        r"|\bis\s+this\s+(?:a\s+)?(?:sales|solicitation|telemarketing)\b|\bwhat\s+are\s+you\s+selling\b"
        r"|\bwhat'?s\s+this\s+about\b",
    ),
]
_COMPILED = [(cls, re.compile(p, re.IGNORECASE)) for cls, p in _PATTERNS]


def classify_objection(text: str) -> Objection | None:
    """The objection class a caller's line expresses, or None."""
    if not text:
        return None
    text = newest(text)
    for cls, pattern in _COMPILED:
        if pattern.search(text):
            return cls
    return None


def objections_in(text: str) -> list[Objection]:
    """Every objection class present in ``text`` (for multi-class reporting)."""
    if not text:
        return []
    text = newest(text)
    return [cls for cls, pattern in _COMPILED if pattern.search(text)]
