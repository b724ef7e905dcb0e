"""Guards on whole model sentences before they are spoken.

A sentence is cleaned (markdown, stage directions, brackets, emoji, jargon) or rejected outright
(reasoning leaks, prompt talk, too long, too hard to follow on a phone). The guard never truncates
a sentence mid-way: a rejected sentence is simply not spoken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vocabulary.readability import readability_grade
from vocabulary.speakable import speakable_text

_REASONING_RE = re.compile(
    r"\blet\s+me\s+think\b|\b(?:here'?s|here\s+is)\s+my\s+(?:reasoning|thinking|plan)\b|\bstep\s+by\s+step\b"
    r"|\bmy\s+(?:thought\s+process|reasoning)\b|\bi\s+(?:will|should|need\s+to|must)\s+(?:reason|respond|reply|steer)\b"
    r"|\bas\s+an?\s+(?:ai\s+)?language\s+model\b|\b(?:system\s+)?prompt\b|\binstructions?\b"
    r"|\bthe\s+(?:user|caller)\s+(?:said|says|asked|wants|is)\b|\b(?:thinking|thought|reasoning|analysis)\s*:"
    r"|</?\s*(?:thought|think|thinking)\s*>|\bplaybook\b|\bstage\s*:|\bobjection\s+class\b",
    re.IGNORECASE,
)
_STAGE_DIRECTION_RE = re.compile(r"\*[^*]{1,60}\*|\([^)]{0,80}\)|\[[^\]]{0,80}\]|\{[^}]{0,80}\}|<[^>]{0,80}>")
_MARKDOWN_RE = re.compile(r"[*_`#>|~]+")
_LIST_MARKER_RE = re.compile(r"^\s*(?:[-•]\s+|\d+[.)]\s+)")
_EMOJI_RE = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\U00002b00-\U00002bff\ufe0f\u200d]"
)
JARGON: dict[str, str] = {
    "eligibility": "fit",
    "procedure": "treatment",
    "procedures": "treatments",
    "consultation": "visit",
    "optimize": "improve",
    "utilize": "use",
    "facilitate": "help",
    "initiate": "start",
    "leverage": "use",
    "synergy": "teamwork",
    "escalate": "pass on",
    "intake": "front desk calls",
    "capacity": "call volume",
    "throughput": "flow",
    "bandwidth": "time",
    "operational": "day-to-day",
    "diagnostic": "check",
    "omnichannel": "every channel",
    "streamline": "simplify",
    "solution": "service",
    "solutions": "services",
    "ROI": "return",
    "KPI": "goal",
    "KPIs": "goals",
}
_JARGON_RE = re.compile(r"\b(" + "|".join(re.escape(k) for k in JARGON) + r")\b", re.IGNORECASE)
MAX_WORDS = 28
_SHORT_SENTENCE_WORDS = 6


@dataclass(frozen=True, slots=True)
class GuardResult:
    text: str | None  # None: do not speak this sentence
    reasons: tuple[str, ...] = field(default=())

    @property
    def rejected(self) -> bool:
        return self.text is None


def guard_sentence(sentence: str, *, max_grade: float = 8.0) -> GuardResult:
    """Clean or reject one whole sentence of model text."""
    reasons: list[str] = []
    text = sentence or ""
    if _REASONING_RE.search(text):
        return GuardResult(None, ("reasoning_leak",))
    unbolded = re.sub(r"\*\*|__", "", text)
    cleaned = _STAGE_DIRECTION_RE.sub(" ", unbolded)
    if unbolded != text:
        reasons.append("markdown")
    if cleaned != unbolded:
        reasons.append("stage_direction")
    stripped = _LIST_MARKER_RE.sub("", cleaned)
    stripped = _MARKDOWN_RE.sub("", stripped)
    if stripped != cleaned and "markdown" not in reasons:
        reasons.append("markdown")
    no_emoji = _EMOJI_RE.sub("", stripped)
    if no_emoji != stripped:
        reasons.append("emoji")
    plain = _JARGON_RE.sub(lambda m: JARGON.get(m.group(0), JARGON.get(m.group(0).lower(), m.group(0))), no_emoji)
    if plain != no_emoji:
        reasons.append("jargon")
    plain = re.sub(r"\s+", " ", plain).strip()
    plain = re.sub(r"\s+([,.!?;:])", r"\1", plain)
    if not re.search(r"[A-Za-z]", plain):
        return GuardResult(None, (*reasons, "empty"))
    words = plain.split()
    if len(words) > MAX_WORDS:
        return GuardResult(None, (*reasons, "too_long"))
    if len(words) >= _SHORT_SENTENCE_WORDS and readability_grade(plain) > max_grade:
        return GuardResult(None, (*reasons, "readability"))
    return GuardResult(speakable_text(plain), tuple(reasons))
