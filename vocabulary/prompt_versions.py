"""Prompt versions: validate a version document (schema + the speech guards) — pure, no I/O beyond
reading the packaged schema and the built-in version.

A version (`contracts/schemas/prompt_version.v1.schema.json`) holds the Gemini system prompt, every
playbook line with optional challenger variants, and the playbook parameters. `validate_version`
checks, and reports every problem at once with its path:

* the JSON Schema (unknown keys, missing lines, wrong types);
* compliance lines (AI disclosure, the answers to "are you a robot?", the do-not-call closes) are
  not part of a version — a document that tries to set one is refused by name;
* placeholders: each line may use only the slots the playbook fills for it, and lines that read
  something back must use theirs (`{email}` in the read-back, `{time}` in the callback close);
* the speech guards the brain applies to spoken text (`vocabulary.speech_guards`): with its slots
  filled, every wording must pass `guard_sentence` unchanged (no markdown, stage directions,
  emoji, jargon, reasoning talk, at most `MAX_WORDS` words), read at grade ≤ `MAX_GRADE`, and hold no
  digits that the brain would have to space out (`speak_digits` leaves it as is).

The schema and `builtin-v1` are data files of the `contracts` package (`contracts/schemas/`,
`contracts/prompts/`), read as package resources. Both halves use it: the pipelines before a candidate is stored and before publish, the brain when it
loads `active.json` (a version that fails never reaches a call).
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from vocabulary.readability import readability_grade
from vocabulary.speakable import speak_digits
from vocabulary.speech_guards import guard_sentence

BUILTIN_VERSION = "builtin-v1"
SCHEMA_NAME = "prompt_version.v1"  # contracts/schemas/<name>.schema.json
MAX_GRADE = 8.0
COMPLIANCE_LINES = (
    "disclosure",
    "ai_answer",
    "ai_answer_repeat",
    "dnc_close",
    "dnc_repeat_close",
    "callback_window_noted",  # the promise not to call in a window the caller named
)

_CONTEXT_SLOTS = frozenset({"persona", "company", "business"})
# line key -> (allowed placeholders, required placeholders); lines not listed: the context slots.
_SLOTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "read_back": (frozenset({"email"}), frozenset({"email"})),
    "read_back_recheck": (frozenset({"email"}), frozenset({"email"})),
    "email_captured_close": (frozenset({"email"}), frozenset({"email"})),
    "generic_declined_read_back": (frozenset({"email"}), frozenset({"email"})),
    "callback_close": (frozenset({"time"}), frozenset({"time"})),
    "decision_maker_ask": (frozenset({"name"}), frozenset({"name"})),
    "missed": (frozenset(), frozenset()),
    "reminder_first": (frozenset(), frozenset()),
    "reminder_again": (frozenset(), frozenset()),
    "reminder_confirm": (frozenset(), frozenset()),
    "generic_push": (frozenset(), frozenset()),
    "ask_spell": (frozenset(), frozenset()),
    "ask_spell_again": (frozenset(), frozenset()),
    "not_interested_close": (frozenset(), frozenset()),
    "give_up_close": (frozenset(), frozenset()),
    "already_closed": (frozenset(), frozenset()),
    "max_turns_close": (frozenset(), frozenset()),
    "stall_sentence": (frozenset(), frozenset()),
    "resume": (frozenset(), frozenset()),
}
SAMPLE_VALUES = {
    "persona": "Cassidy",
    "company": "Eve",
    "business": "Glow Spa",
    "email": "jane at glowspa dot com",
    "name": "Linda",
    "time": "tomorrow at three",
}


class PromptVersionError(ValueError):
    """A version document is not acceptable; `problems` lists every reason with its path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:40])
        more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
        super().__init__(f"{source}: not a valid prompt version ({len(problems)} problem(s)):\n{shown}{more}")


def iter_wordings(doc: dict[str, Any]) -> Iterator[tuple[str, str, int, str]]:
    """Every wording of a version: (line key, variant id, position in its rotation, text).

    Objection answers have keys ``objections.<class>``; the incumbent wording's id is ``base``.
    """
    lines = doc.get("lines", {})
    for key, line in _iter_lines(lines):
        for i, text in enumerate(line.get("say", [])):
            yield key, "base", i, text
        for variant in line.get("variants", []):
            for i, text in enumerate(variant.get("say", [])):
                yield key, variant.get("id", "?"), i, text


def _iter_lines(lines: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for key, line in lines.items():
        if key == "objections" and isinstance(line, dict):
            for cls, answer in line.items():
                if isinstance(answer, dict):
                    yield f"objections.{cls}", answer
        elif isinstance(line, dict):
            yield key, line


def placeholders(text: str) -> set[str]:
    """The `{slot}` names in ``text``; ValueError on stray braces."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def wording_problems(key: str, text: str) -> list[str]:
    """Why one wording of line ``key`` cannot be spoken as written (empty: it can)."""
    allowed, required = _SLOTS.get(key, (_CONTEXT_SLOTS, frozenset()))
    try:
        used = placeholders(text)
    except ValueError as exc:
        return [f"broken placeholder braces ({exc})"]
    problems = []
    if unknown := sorted(used - allowed):
        problems.append(f"placeholder(s) {', '.join('{' + u + '}' for u in unknown)} not filled for this line")
    if missing := sorted(required - used):
        problems.append(f"must say {', '.join('{' + m + '}' for m in missing)}")
    if problems:
        return problems
    spoken = text.format(**SAMPLE_VALUES)
    if speak_digits(spoken) != spoken:
        problems.append("digits the caller would hear as a number; write them out or space them")
    guarded = guard_sentence(spoken, max_grade=MAX_GRADE)
    if guarded.rejected:
        problems.append(f"rejected by the speech guard ({', '.join(guarded.reasons)})")
    elif guarded.reasons:
        problems.append(f"changed by the speech guard ({', '.join(guarded.reasons)})")
    grade = readability_grade(spoken)
    if grade > MAX_GRADE:
        problems.append(f"readability grade {grade} > {MAX_GRADE}")
    return problems


def validate_version(doc: Any, source: str = "prompt version") -> dict[str, Any]:
    """``doc`` if it is a valid, speakable version; else `PromptVersionError` with every problem."""
    if not isinstance(doc, dict):
        raise PromptVersionError(source, [f"expected a JSON object, got {type(doc).__name__}"])
    problems: list[str] = []
    lines = doc.get("lines")
    if isinstance(lines, dict):
        for name in COMPLIANCE_LINES:
            if name in lines or (isinstance(lines.get("objections"), dict) and name in lines["objections"]):
                problems.append(f"lines.{name}: a compliance line; a version cannot change it")
    validator = _validator()
    for error in sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = ".".join(str(p) for p in error.absolute_path) or "(document)"
        if any(f"'{name}'" in error.message for name in COMPLIANCE_LINES) and path == "lines":
            continue  # already reported by name above
        problems.append(f"{path}: {error.message[:300]}")
    if problems:
        raise PromptVersionError(source, problems)
    for key, line in _iter_lines(doc["lines"]):
        ids = [v["id"] for v in line.get("variants", [])]
        if len(ids) != len(set(ids)):
            problems.append(f"lines.{key}.variants: duplicate variant ids")
    for key, variant, i, text in iter_wordings(doc):
        where = f"lines.{key}" + ("" if variant == "base" else f"[{variant}]") + f".say[{i}]"
        problems += [f"{where} {text!r}: {p}" for p in wording_problems(key, text)]
    if problems:
        raise PromptVersionError(source, problems)
    return doc


def parse_version(raw: bytes, source: str = "prompt version") -> dict[str, Any]:
    """Decode and validate a version file's bytes (UTF-8 JSON)."""
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PromptVersionError(source, [f"not valid UTF-8 JSON ({exc})"]) from exc
    return validate_version(doc, source)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    # The schema is data of the `contracts` package, read as a resource: the vocabulary imports no
    # code of `contracts` (tests/deploy/test_layering.py), both read the same file.
    text = resources.files("contracts").joinpath("schemas", f"{SCHEMA_NAME}.schema.json").read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def builtin_version_bytes() -> bytes:
    """The packaged `builtin-v1` document, byte for byte."""
    return resources.files("contracts").joinpath("prompts", f"{BUILTIN_VERSION}.json").read_bytes()


@cache
def _builtin_text() -> str:
    return builtin_version_bytes().decode("utf-8")


def builtin_version() -> dict[str, Any]:
    """A fresh copy of the validated `builtin-v1` document."""
    return validate_version(json.loads(_builtin_text()), f"{BUILTIN_VERSION}.json")
