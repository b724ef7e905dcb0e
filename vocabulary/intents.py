"""Do-not-call and voicemail-greeting recognition on a caller's line (AI-identity questions:
`vocabulary.ai_questions`, re-exported here for existing callers).

Do-not-call wins over everything: the brain ends the call politely and records `dnc`, the
journeys assets put the number on the suppression list. Both use `is_dnc_request`, which reads the
newest `DNC_WINDOW_CHARS` of a line in recogniser-sized windows (`vocabulary.text_window`); the other
recognisers read only the newest `MAX_RECOGNISER_CHARS`.
"""

from __future__ import annotations

import re

from vocabulary.ai_questions import is_ai_question
from vocabulary.call_windows import without_call_windows
from vocabulary.text_window import DNC_WINDOW_CHARS, newest, windows

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
    r"\btake\s+(?:me|us|this\s+number|our\s+number|my\s+number)\s+(?:out|of{1,2})\b",
    r"\b(?:off|from)\s+(?:your|the)\s+(?:call(?:ing)?\s+)?list\b",
    r"\b(?:don'?t|do\s+not)\s+(?:ever\s+)?(?:want|need)\s+(?:any\s+)?(?:more\s+)?(?:calls|to\s+be\s+called)\b",
    r"\bstop\s+(?:it\s+)?with\s+the\s+calls\b",
    r"\bleave\s+(?:me|us)\s+alone\b",
    r"\bnever\s+(?:call|contact|phone)\b",
]
__all__ = ["is_ai_question", "is_dnc_request", "is_voicemail_greeting"]

_DNC_RE = re.compile("|".join(_DNC_PATTERNS), re.IGNORECASE)

# Answering-machine greetings (never a live person offering to take a message).
_VOICEMAIL_PATTERNS = [
    r"\b(?:after|at)\s+the\s+(?:tone|beep)\b",
    r"\bplease\s+leave\s+(?:a|your|us\s+a)\s+(?:brief\s+|short\s+|detailed\s+)?(?:message|name)\b",
    r"\bleave\s+(?:a|your)\s+(?:brief\s+|short\s+|detailed\s+)?(?:message|name)\s+(?:and|after|at|with)\b",
    r"\b(?:reached|this\s+is)\s+the\s+voice\s*mail\b",
    r"\bvoice\s*mail\s*box\b|\bmailbox\s+(?:is\s+full|of)\b",
    r"\brecord\s+your\s+message\b",
    r"\b(?:not\s+available|unable\s+to\s+(?:take|answer)\s+your\s+call)\b.*\b(?:leave|message|tone|beep)\b",
    r"\bforwarded\s+to\s+(?:an\s+)?(?:automatic\s+)?voice\s*(?:mail|message)\b",
]
_VOICEMAIL_RE = re.compile("|".join(_VOICEMAIL_PATTERNS), re.IGNORECASE)


def is_dnc_request(text: str) -> bool:
    """True when the caller asks not to be called again, in any of the usual phrasings.

    A scheduling constraint ("don't call before noon", `vocabulary.call_windows`) is not an opt-out;
    any other opt-out in the same line still is.
    """
    if not text or not isinstance(text, str):
        return False
    for window, settled in windows(newest(text, DNC_WINDOW_CHARS)):
        if any(m.start() < settled for m in _DNC_RE.finditer(without_call_windows(window))):
            return True
    return False


def is_voicemail_greeting(text: str) -> bool:
    """True for an answering machine's greeting ("... leave a message after the tone")."""
    return bool(text) and _VOICEMAIL_RE.search(newest(text)) is not None
