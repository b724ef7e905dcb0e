"""Scheduling constraints: "don't call before noon / on Mondays / during lunch" is not an opt-out.

A caller who says when *not* to call is telling us when to call back, not asking never to be
called: `find_call_window(text)` returns that window ("before noon", "on Mondays", "during lunch")
and `without_call_windows(text)` removes such phrases, so `vocabulary.intents.is_dnc_request`
reads only what is left. Conservative on purpose: only "don't / do not / never / please don't"
+ call / phone / ring / contact (+ me / us / here) + a time or day qualifier counts, and a phrase
that goes on with "again", "ever", "at all", "anymore" ("don't call before noon or ever again"),
"after today" or "until we call you" stays an opt-out. Any other opt-out in the same line
("don't call before noon — actually, take us off your list") still wins.

Reads only the newest `vocabulary.text_window.MAX_RECOGNISER_CHARS` of a line
(`without_call_windows` is linear and used on every window `is_dnc_request` reads).
"""

from __future__ import annotations

import re

from vocabulary.text_window import newest

_NUMBER = r"(?:\d{1,2}(?::\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_CLOCK = rf"(?:{_NUMBER}(?:\s*(?:a\.?m\.?|p\.?m\.?|o'?clock|thirty|fifteen|forty[\s-]five))?)"
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_PART = r"(?:mornings?|afternoons?|evenings?|nights?|weekends?|weekdays?|lunch(?:\s*time)?|noon|midday|the\s+weekend)"
_TIME = rf"(?:{_CLOCK}|noon|midday|lunch(?:\s*time)?|(?:the\s+)?{_PART}|(?:we|i|the\s+office|the\s+clinic)\s+(?:open|close)s?)"
_QUALIFIER = (
    rf"(?:before|after|until|till|til|past|earlier\s+than|later\s+than)\s+(?!today\b|this\b|now\b|that\b|(?:we|i)\s+call){_TIME}"
    rf"|between\s+{_TIME}\s+and\s+{_TIME}"
    rf"|on\s+(?:a\s+)?(?:{_DAY}|weekends?|the\s+weekend|weekdays?)(?:\s+or\s+{_DAY})?"
    rf"|{_DAY}(?:\s+or\s+{_DAY})?"
    rf"|(?:during|over|at|around|in\s+the\s+middle\s+of)\s+(?:the\s+)?(?:lunch(?:\s*(?:time|hour|break))?|noon|midday"
    r"|business\s+hours|office\s+hours|clinic\s+hours|work(?:ing)?\s+hours|the\s+day|the\s+week|appointments"
    r"|surgery|(?:our\s+)?(?:busy|rush)\s+(?:hours?|time)|(?:the\s+)?morning(?:\s+rush)?)"
    rf"|at\s+{_CLOCK}"
    r"|in\s+the\s+(?:mornings?|afternoons?|evenings?)|(?:first\s+thing\s+)?(?:mornings|afternoons|evenings)"
    r"|(?:so|this|that)\s+(?:early|late)|(?:early|late)\s+in\s+the\s+day"
    r"|(?:today|tonight|tomorrow|this\s+(?:week|morning|afternoon))"
    r"|(?:while|when)\s+(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:with\s+(?:a\s+)?(?:patients?|clients?)|busy|open|closed)"
)
# Said after the window in the same sentence, these turn it back into an opt-out
# ("don't call today or tomorrow or ever", "don't call before noon, or any other time").
_OPT_OUT_TAIL_RE = re.compile(
    r"\b(?:ever|again|at\s+all|any\s*more|period|never|any\s+(?:other\s+)?(?:time|day)|anytime|other\s+days?|all\s+day)\b",
    re.IGNORECASE,
)
_TAIL_CHARS = 80
_WINDOW_RE = re.compile(
    r"\b(?:please\s+)?(?:don'?t|do\s+not|never)\s+(?:ever\s+)?(?:call|phone|ring|contact)(?:ing)?"
    r"(?:\s+(?:me|us|here|this\s+number|the\s+(?:office|clinic|front\s+desk)))?"
    rf"\s+(?P<window>(?:{_QUALIFIER}))\b",
    re.IGNORECASE,
)


def find_call_window(text: str) -> str | None:
    """When the caller asks us not to call ("before noon", "on Mondays", "during lunch"), or None."""
    if not text or not isinstance(text, str):
        return None
    window = newest(text)
    for m in _WINDOW_RE.finditer(window):
        if _is_constraint(window, m):
            return re.sub(r"\s+", " ", m.group("window")).strip()
    return None


def without_call_windows(text: str) -> str:
    """``text`` with every scheduling constraint blanked out (same length, so positions keep)."""
    return _WINDOW_RE.sub(lambda m: " " * len(m.group(0)) if _is_constraint(text, m) else m.group(0), text)


def _is_constraint(text: str, m: re.Match[str]) -> bool:
    """The rest of the sentence (bounded) does not turn the window back into an opt-out."""
    tail = re.split(r"[.!?;]", text[m.end() : m.end() + _TAIL_CHARS], maxsplit=1)[0]
    return _OPT_OUT_TAIL_RE.search(tail) is None
