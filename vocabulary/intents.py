"""Do-not-call and AI-identity recognition on a caller's line.

Do-not-call wins over everything: the brain ends the call politely and records `dnc`, the
journeys assets put the number on the suppression list. Both use `is_dnc_request`.
"""

from __future__ import annotations

import re

_DNC_PATTERNS = [
    r"\bstop\s+(?:calling|call(?:ing)?\s+us|ringing|contacting|phoning)\b",
    r"\b(?:don'?t|do\s+not|never)\s+(?:ever\s+)?(?:call|contact|phone|ring)\b",
    r"\bremove\s+(?:me|us|this\s+number|our\s+number|my\s+number)\b",
    r"\btake\s+(?:me|us|this\s+number|our\s+number|my\s+number)\s+off\b",
    r"\b(?:put|add)\s+(?:me|us|this\s+number|our\s+number)\s+on\s+(?:your|the)\s+(?:do\s*not\s*call|dnc|no\s*call)\b",
    r"\bdo[\s-]*not[\s-]*call\s+list\b",
    r"\b(?:dnc|unsubscribe)\b",
    r"\bquit\s+calling\b",
    r"\bno\s+more\s+calls\b",
    r"\blose\s+(?:this|my|our)\s+number\b",
]
_DNC_RE = re.compile("|".join(_DNC_PATTERNS), re.IGNORECASE)

_AI_QUESTION_PATTERNS = [
    r"\bare\s+(?:you|u)\s+(?:an?\s+)?(?:real\s+)?(?:robot|bot|ai|a\.i\.?|artificial|machine|computer|recording|human|person|real|live\s+person|automated)\b",
    r"\b(?:is\s+this|am\s+i\s+(?:talking|speaking)\s+(?:to|with))\s+(?:an?\s+)?(?:real\s+)?(?:robot|bot|ai|a\.i\.?|machine|computer|recording|human|person|live\s+person|automated)\b",
    r"^\s*(?:a\.?i\.?|robot|bot|human|real\s+person)\s*\?\s*$",
    r"\b(?:robot|bot|ai|human|real\s+person)\s*\?\s*$",
    r"\bthis\s+(?:is\s+)?(?:an?\s+)?(?:robo[\s-]?call|automated\s+call)\b",
]
_AI_RE = re.compile("|".join(_AI_QUESTION_PATTERNS), re.IGNORECASE)


def is_dnc_request(text: str) -> bool:
    """True when the caller asks not to be called again, in any of the usual phrasings."""
    return bool(text) and _DNC_RE.search(text) is not None


def is_ai_question(text: str) -> bool:
    """True when the caller asks whether they are talking to a machine or a person."""
    return bool(text) and _AI_RE.search(text) is not None
