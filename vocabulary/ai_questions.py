"""AI-identity questions: is the caller asking whether they are talking to a machine or a person?

The answer must not depend on the question's polarity: "are you a robot?", "am I talking to a real
person?", "is this a live human?", "you're not a bot, are you?" and "can I speak to a real person?"
all get the same truthful answer (an AI assistant). So the recogniser works by meaning, not by
sentence: a *reference to who is speaking* (you / this / that / it / am I talking to / is there
someone on the line) near a *word about its nature*, either machine-like (robot, bot, AI, computer,
recording, automated, software, virtual assistant, …) or human-like (a human, a person, someone
real, a live agent, real, alive, …). Look-alikes stay out: "real estate", "in person", "the
person who handles billing", "is anybody there?" (silence, not identity), "is this a real offer?".

Reads only the newest `vocabulary.text_window.MAX_RECOGNISER_CHARS` of a line.
"""

from __future__ import annotations

import re

from vocabulary.text_window import newest

# What a machine is called.
_MACHINE = (
    r"(?:ro)?bots?|chat\s*bots?|a\.?\s?i\b\.?|artificial(?:\s+intelligence)?|machines?|computers?|recordings?"
    r"|recorded(?:\s+(?:message|voice|call))?|automated|automatic|auto[\s-]?dialer|software"
    r"|virtual\s+(?:assistant|agent|receptionist)|voice\s+assistant|chat\s*gpt|gpt|siri|alexa"
    r"|robo[\s-]?call(?:er)?|synthetic(?:\s+voice)?|fake\s+(?:voice|person)|an?\s+algorithm"
)
# A human-like noun, optionally qualified ("a real live person", "an actual human being").
_QUALIFIER = r"(?:real|actual|live|living|genuine|flesh[\s-]+and[\s-]+blood)"
_HUMAN_NOUN = (
    r"(?:human(?:\s+beings?)?|humans|persons?|people|voice|agent|rep(?:resentative)?|operator|one|being|guy|lady)"
)
_HUMAN = (
    rf"(?:{_QUALIFIER}\s+)+{_HUMAN_NOUN}\b"
    r"|human(?:\s+beings?)?\b|(?:a|an)\s+persons?\b|a\s+people\s+person\b"
    r"|(?:someone|somebody|anyone|anybody)\s+(?:real|actual|live|human)\b"
    r"|alive\b|real\b(?!\s+(?:estate|quick|fast|soon|busy|bad|good|nice|problem|offer|deal|company|business))"
    r"|for\s+real\b|actually\s+(?:a\s+)?(?:human|person)\b"
)
_NATURE = rf"(?:{_MACHINE}|{_HUMAN})"
# Words allowed between the reference and the nature word ("are you even a real …", "is this, like, a …").
_GAP = r"(?:[\s,]+(?:a|an|some|even|really|actually|honestly|just|like|kind|sort|of|still|talking|speaking|me|now|truly|by\s+any\s+chance|not|or))*[\s,]+"

# Where a caller places the other party: "on the line", "there", "talking".
_PRESENT = r"(?:on\s+(?:the|this)\s+(?:line|phone|call|other\s+end)|there|talking)\b"

_PATTERNS = [
    # "are you a robot / real / human / an actual person / for real / software?", "r u a bot"
    rf"\b(?:are|r)\s+(?:you|u|ya)(?:\s+guys)?{_GAP}(?:{_NATURE})",
    # "is this / that / it / this thing / this call / the voice a live human / a recording / automated?"
    rf"\b(?:is|was)\s+(?:this|that|it|this\s+thing|this\s+call|this\s+voice|the\s+voice|the\s+caller){_GAP}(?:{_NATURE})",
    # "is there a real person on the line?", "is a human on the line", "is someone actually there?"
    rf"\b(?:is|are)\s+(?:there\s+)?(?:a|an|any)?\s*(?:{_QUALIFIER}\s+)?(?:human|person|people)\s+{_PRESENT}",
    rf"\b(?:someone|somebody|anybody|anyone)\s+(?:real|actual|actually|live|human)\s+{_PRESENT}",
    # "am I talking / speaking / chatting to a real person / someone real / a bot?", "who am I speaking with, a person or a robot?"
    rf"\b(?:am\s+i|i'?m)\s+(?:talking|speaking|chatting|on(?:\s+the\s+(?:phone|line))?)(?:\s+(?:to|with))?{_GAP}(?:{_NATURE}|(?:someone|somebody)\s+real)",
    rf"\bwho\s+am\s+i\s+(?:talking|speaking)\s+(?:to|with)\b.{{0,40}}\b(?:{_MACHINE}|{_QUALIFIER}\s+{_HUMAN_NOUN}|human|a\s+person)\b",
    # "you're a real person, right?", "you're not a robot, are you?", "you sound like a machine", "this is a robocall"
    rf"\b(?:you'?re|you\s+are|ur|this\s+is|that'?s|it'?s|(?:you\s+)?sounds?\s+like){_GAP}(?:{_MACHINE}|(?:{_QUALIFIER}\s+)+{_HUMAN_NOUN}\b|human\b)",
    # "can I talk to a real person?", "I want to speak to a human", "let me speak with a live person", "get me a human"
    rf"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a|an|some)?\s*(?:{_QUALIFIER}\s+{_HUMAN_NOUN}|human(?:\s+being)?|(?:someone|somebody)\s+(?:real|human|live))\b",
    rf"\b(?:get|put)\s+me\s+(?:to\s+|through\s+to\s+)?(?:a|an)\s+(?:{_QUALIFIER}\s+)?(?:human|person)\b",
    # short forms: "AI?", "Robot?", "human or machine?", "is this person real?"
    r"^\s*(?:a\.?i\.?|robot|bot|human|real\s+person|person|machine|recording|automated)\s*\??\s*$",
    r"\b(?:robot|bot|ai|human|real\s+person)\s*\?\s*$",
    r"\b(?:person|voice|human|you|this)\s+(?:even\s+)?real\s*\?",
    r"\bhuman\s+or\s+(?:a\s+)?(?:robot|machine|computer|ai|bot)\b|\b(?:robot|machine|computer|ai|bot)\s+or\s+(?:a\s+)?(?:human|person|real)\b",
]
_AI_RE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)


def is_ai_question(text: str) -> bool:
    """True when the caller asks (or checks) whether they are talking to a machine or a person."""
    return bool(text) and isinstance(text, str) and _AI_RE.search(newest(text)) is not None
