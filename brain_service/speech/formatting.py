"""Speakable digits and emails: the implementation lives in `vocabulary.speakable` (shared with the
prompt-version validation of the pipelines); re-exported here for the brain's speech package."""

from vocabulary.speakable import speak_digits, speakable_text

__all__ = ["speak_digits", "speakable_text"]
