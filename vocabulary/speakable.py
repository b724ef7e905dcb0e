"""Speakable text for Retell's TTS: digits read one by one with spaced dashes, emails in words.

* Phone numbers and codes (4+ digits, not a year) become "2 - 1 - 3 - 4" — Retell's documented
  pause syntax (spaced dashes); prices ("$120"), times ("3:30") and short numbers stay as written.
* Email addresses become "jane at glowspa dot com".
* No SSML.
"""

from __future__ import annotations

import re

from vocabulary.emails import replace_literal_emails, speakable_email

_PHONE_RE = re.compile(r"(?<![\w$])(?:\+?1[\s.\-]?)?\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}(?!\w)")
_CODE_RE = re.compile(r"(?<![\w$.:,])\d{4,}(?![\w.:]\d)")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _dashed(digits: str) -> str:
    return " - ".join(digits)


def speak_digits(text: str) -> str:
    """Phone numbers and 4+ digit codes read digit by digit: "2 - 1 - 3 - 4"."""
    text = _PHONE_RE.sub(lambda m: _dashed(re.sub(r"\D", "", m.group(0))), text)

    def code(m: re.Match[str]) -> str:
        value = m.group(0)
        return value if _YEAR_RE.fullmatch(value) else _dashed(value)

    return _CODE_RE.sub(code, text)


def speakable_text(text: str) -> str:
    """Emails spoken as words, then digits spaced."""
    text = replace_literal_emails(text, lambda address: speakable_email(address.lower()))
    return speak_digits(text)
