"""Close requests: a caller asking to wrap the call up ("just send it over", "close this out").

The revenue-ops objective (close_request_rate, close_to_email_rate) counts the calls where the
caller asked to close, and whether a direct email followed. The original matched a bare "close",
so "we close at 5" counted; here only explicit wrap-up phrasings do. Reads the newest
`vocabulary.text_window.MAX_RECOGNISER_CHARS` of the line.
"""

from __future__ import annotations

import re

from vocabulary.text_window import newest

_CLOSE_PATTERNS = [
    r"\bclose\s+(?:this|it|that|the\s+call)\s+out\b",
    r"\bclose\s+(?:this|the)\s+call\b",
    r"\b(?:just\s+)?send\s+(?:it|this|that)(?:\s+over|\s+to\s+me|\s+through)?\b",
    r"\bsend\s+(?:me|us)\s+(?:the|an?|that|some|your)\s+(?:email|info|information|details|deck|link|overview)\b",
    r"\b(?:just\s+)?(?:email|e-mail)\s+(?:me|us|it)\b",
    r"\bshoot\s+(?:me|us)\s+an?\s+(?:email|e-mail)\b",
    r"\bhang\s+up(?:\s+now)?\b",
    r"\bend\s+(?:this|the)\s+call\b",
    r"\b(?:wrap|let'?s\s+wrap)\s+(?:this|it)\s+up\b",
]
_CLOSE_RE = re.compile("|".join(_CLOSE_PATTERNS), re.IGNORECASE)


def is_close_request(text: str) -> bool:
    """True when the caller asks to wrap up the call or to just be sent the information."""
    return bool(text) and isinstance(text, str) and _CLOSE_RE.search(newest(text)) is not None
