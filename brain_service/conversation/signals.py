"""Small, fast readings of one caller line that only the conversation needs.

Business vocabularies (do-not-call, AI questions, voicemail greetings, objections, emails) live in
`vocabulary/`; this module only adds conversational signals: yes / no / backchannel / noise, a
callback time and a decision maker's name. Like every recogniser, each reading sees only the newest
`vocabulary.text_window.MAX_RECOGNISER_CHARS` of the line, so its cost per turn is bounded.
"""

from __future__ import annotations

import re

from vocabulary.text_window import newest

_AFFIRMATIVE_RE = re.compile(
    r"^\s*(?:yes|yeah|yea|yep|yup|ya|sure|ok(?:ay)?|k|right|correct|exactly|absolutely|definitely|"
    r"mm[\s-]*hmm+|mhm+|uh[\s-]*huh|go\s+ahead|sounds\s+good|that'?s\s+(?:right|correct|it)|"
    r"you\s+got\s+it|perfect|of\s+course|alright|all\s+right|certainly|i\s+guess|why\s+not|fine|great|cool|"
    r"please\s+do|that\s+works|yes\s+please)\b",
    re.IGNORECASE,
)
_NEGATIVE_RE = re.compile(
    r"^\s*(?:no|nope|nah|not\s+really|not\s+quite|wrong|incorrect|that'?s\s+(?:not\s+right|wrong|not\s+it)|"
    r"negative|not\s+exactly|no\s+that'?s\s+not)\b",
    re.IGNORECASE,
)
_BACKCHANNEL_RE = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|ok(?:ay)?|k|right|sure|mm[\s-]*hmm+|mhm+|uh[\s-]*huh|got\s+it|alright|"
    r"all\s+right|i\s+see|gotcha|cool|fine)[\s.!,?]*$",
    re.IGNORECASE,
)
# Possessive quantifiers: the leading blanks and the trailing punctuation never trade characters
# (the greedy form backtracked quadratically on a long run of dots followed by a letter).
_NOISE_RE = re.compile(
    r"^\s*+(?:\(?unintelligible(?:\s+audio)?\)?|um+|uh+|hmm+|ah+|er+|huh|\.+|,+|-+|\?+)?+[\s.!?,]*+$", re.IGNORECASE
)
_GREETING_RE = re.compile(
    r"^\s*(?:hello|hi|hey|hiya|good\s+(?:morning|afternoon|evening))[\s.!,?]*(?:\w+[\s.!,?]*)?$", re.IGNORECASE
)

_DAY = r"(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next\s+week|this\s+(?:afternoon|evening|week)|later\s+(?:today|this\s+week))"
_TIME = r"(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|noon|(?:in\s+the\s+)?(?:morning|afternoon|evening)|(?:after|before|around)\s+\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+o'?clock)?)"
_CALLBACK_RE = re.compile(
    rf"\b(?:{_DAY}(?:\s+{_TIME})?(?:\s+{_DAY})?|(?:after|before|around)\s+\d{{1,2}}(?::\d{{2}})?\s*(?:a\.?m\.?|p\.?m\.?)?|in\s+(?:an?|one|two|a\s+couple\s+of)\s+(?:hours?|days?|weeks?))",
    re.IGNORECASE,
)
_NAME = r"((?:(?i:dr|doctor|mr|mrs|ms)\.?\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)"
_DECISION_MAKER_RES = [
    re.compile(rf"\b(?i:her|his|their|the\s+(?:manager|owner|doctor)'?s?)\s+(?i:name)\s+(?i:is)\s+{_NAME}"),
    re.compile(rf"\b(?i:talk|speak)\s+(?i:to|with)\s+{_NAME}"),
    re.compile(rf"\b(?i:ask)\s+(?i:for)\s+{_NAME}"),
    re.compile(rf"\b(?i:manager|owner|decision\s+maker|office\s+manager|practice\s+manager)\s+(?i:is)\s+{_NAME}"),
    re.compile(rf"\b{_NAME}\s+(?i:is|would\s+be)\s+(?i:the|our)\s+(?i:manager|owner|one\s+you\s+want|person)"),
    re.compile(rf"\b{_NAME}\s+(?i:handles|makes|decides|runs)\b"),
]
_NOT_A_NAME = frozenset(
    {"I", "She", "He", "They", "We", "You", "It", "That", "This", "The", "Our", "My", "No", "Yes", "Sure", "Okay"}
)


def is_affirmative(text: str) -> bool:
    return bool(text) and _AFFIRMATIVE_RE.search(newest(text)) is not None and not is_negative(text)


def is_negative(text: str) -> bool:
    return bool(text) and _NEGATIVE_RE.search(newest(text)) is not None


def is_backchannel(text: str) -> bool:
    """A short acknowledgement ("yep", "okay", "right", "mm-hmm") with nothing else in it."""
    return bool(text) and _BACKCHANNEL_RE.match(newest(text)) is not None


def is_noise(text: str) -> bool:
    """Nothing usable: empty, "(unintelligible audio)", "um", punctuation."""
    return not text or _NOISE_RE.match(newest(text)) is not None


def is_greeting_only(text: str) -> bool:
    window = newest(text)
    return bool(text) and len(window) == len(text) and _GREETING_RE.match(window) is not None and len(text.split()) <= 4


def find_callback_time(text: str) -> str | None:
    """A callback time as said ("tomorrow at 3", "after 2 pm", "next week"), or None."""
    if not text:
        return None
    m = _CALLBACK_RE.search(newest(text))
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else None


def find_decision_maker(text: str) -> str | None:
    """The decision maker's name when the caller gives one ("her name is Sarah")."""
    if not text:
        return None
    window = newest(text)
    for pattern in _DECISION_MAKER_RES:
        m = pattern.search(window)
        if m:
            name = m.group(1).strip()
            first = name.split()[0].rstrip(".")
            if first not in _NOT_A_NAME:
                return name
    return None
