"""Flesch-Kincaid grade: the implementation lives in `vocabulary.readability` (shared with the
prompt-version validation of the pipelines); re-exported here for the brain's speech package."""

from vocabulary.readability import readability_grade

__all__ = ["readability_grade"]
