"""Speech shaping: sentence streaming, guards, readability and speakable digits/emails.

Everything here works on whole sentences (never on single model tokens) and is pure and fast.
"""

from brain_service.speech.formatting import speak_digits, speakable_text
from brain_service.speech.guards import GuardResult, guard_sentence
from brain_service.speech.readability import readability_grade
from brain_service.speech.sentences import SentenceStream, join_chunk, split_sentences

__all__ = [
    "GuardResult",
    "SentenceStream",
    "guard_sentence",
    "join_chunk",
    "readability_grade",
    "speak_digits",
    "speakable_text",
    "split_sentences",
]
