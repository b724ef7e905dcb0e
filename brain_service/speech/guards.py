"""Sentence guards: the implementation lives in `vocabulary.speech_guards` (the same guards a prompt
version's lines must pass at publish); re-exported here for the brain's speech package."""

from vocabulary.speech_guards import JARGON, MAX_WORDS, GuardResult, guard_sentence

__all__ = ["JARGON", "MAX_WORDS", "GuardResult", "guard_sentence"]
