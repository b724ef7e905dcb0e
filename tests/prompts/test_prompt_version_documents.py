"""Prompt version documents: builtin-v1 is the brain's default script; malformed or
unspeakable versions are refused with every problem named."""

from __future__ import annotations

import copy
import json

import pytest

from brain_service.conversation import lines as L
from brain_service.conversation.policy import BUILTIN_SCRIPT, PersonaContext
from brain_service.prompts import BUILTIN_PROMPT, BUILTIN_SYSTEM_PROMPT
from vocabulary.prompt_versions import (
    COMPLIANCE_LINES,
    PromptVersionError,
    builtin_version,
    iter_wordings,
    parse_version,
    validate_version,
)


def test_builtin_v1_is_what_the_brain_speaks_and_holds_no_compliance_line() -> None:
    doc = builtin_version()
    assert doc["version"] == "builtin-v1"
    assert doc["system_prompt"] == BUILTIN_SYSTEM_PROMPT == BUILTIN_PROMPT.system_prompt
    assert BUILTIN_SCRIPT.version == "builtin-v1" and not BUILTIN_SCRIPT.variants
    assert BUILTIN_SCRIPT.lines["email_ask"] == tuple(doc["lines"]["email_ask"]["say"])
    assert doc["parameters"]["max_turns"] == PersonaContext().max_turns == BUILTIN_SCRIPT.max_turns
    # the brain's own constants are exactly the compliance lines, and no version wording repeats one
    constants = {name for name in dir(L) if name.isupper()}
    assert (
        {name.lower() for name in constants}
        == {
            "disclosure",
            "ai_answer",
            "ai_answer_repeat",
            "dnc_close",
            "dnc_repeat_close",
            "callback_window_noted",
        }
        == set(COMPLIANCE_LINES)
    )
    spoken = {text for _, _, _, text in iter_wordings(doc)}
    assert not spoken & {getattr(L, name) for name in constants}


def _problems(doc: object) -> str:
    with pytest.raises(PromptVersionError) as caught:
        validate_version(doc, "test.json")
    return str(caught.value)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"\xff\xfe", "not valid UTF-8 JSON"),
        (b"{not json", "not valid UTF-8 JSON"),
        (b"[1, 2]", "expected a JSON object, got list"),
        (b'"text"', "expected a JSON object, got str"),
        (b"{}", "'schema_version' is a required property"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(raw: bytes, expected: str) -> None:
    with pytest.raises(PromptVersionError, match=expected) as caught:
        parse_version(raw, "versions/x.json")
    assert "versions/x.json" in str(caught.value)


def _builtin_with(**changes: object) -> dict:
    doc = copy.deepcopy(builtin_version())
    doc.update(changes)
    return doc


def test_schema_problems_name_their_path() -> None:
    doc = _builtin_with(version="has space")
    del doc["lines"]["routing"]
    doc["lines"]["value"]["say"] = []
    doc["parameters"]["max_email_asks"] = 0
    doc["surprise"] = 1
    message = _problems(doc)
    assert "version: 'has space' does not match" in message
    assert "lines: 'routing' is a required property" in message
    assert "lines.value.say: [] should be non-empty" in message
    assert "parameters.max_email_asks: 0 is less than the minimum of 1" in message
    assert "Additional properties are not allowed ('surprise' was unexpected)" in message


@pytest.mark.parametrize("name", COMPLIANCE_LINES)
def test_compliance_lines_cannot_be_set(name: str) -> None:
    doc = _builtin_with()
    doc["lines"][name] = {"say": ["Sure, we will call you again tomorrow."]}
    assert f"lines.{name}: a compliance line; a version cannot change it" in _problems(doc)


def test_a_compliance_line_is_refused_under_objections_too() -> None:
    doc = _builtin_with()
    doc["lines"]["objections"]["dnc_close"] = {"say": ["Okay."]}
    assert "lines.dnc_close: a compliance line" in _problems(doc)


@pytest.mark.parametrize(
    "key, text, expected",
    [
        ("routing", "Call us at 5551234567 today.", "digits the caller would hear as a number"),
        ("routing", "Who handles **new** leads?", "changed by the speech guard (markdown)"),
        ("routing", "Who handles leads? (smile)", "changed by the speech guard (stage_direction)"),
        ("routing", "Who handles leads? 😀", "changed by the speech guard (emoji)"),
        ("value", "We optimize your intake.", "changed by the speech guard (jargon)"),
        ("value", "Let me think step by step about this.", "rejected by the speech guard (reasoning_leak)"),
        (
            "value",
            "Our comprehensive multichannel communication infrastructure dramatically accelerates organizational responsiveness.",
            "readability grade",
        ),
        ("read_back", "Did I get that right?", "must say {email}"),
        ("routing", "What's the email, {email}?", "placeholder(s) {email} not filled for this line"),
        ("missed", "Sorry {persona}, I missed that.", "placeholder(s) {persona} not filled"),
        ("routing", "Who handles {leads?", "broken placeholder braces"),
    ],
)
def test_unspeakable_wordings_are_refused(key: str, text: str, expected: str) -> None:
    doc = _builtin_with()
    doc["lines"][key]["variants"] = [{"id": "b", "say": [text]}]
    message = _problems(doc)
    assert f"lines.{key}[b].say[0]" in message
    assert expected in message


def test_duplicate_variant_ids_are_refused() -> None:
    doc = _builtin_with()
    doc["lines"]["routing"]["variants"] = [{"id": "b", "say": ["Who runs the front desk?"]}] * 2
    assert "lines.routing.variants: duplicate variant ids" in _problems(doc)


def test_every_problem_is_reported_at_once() -> None:
    doc = _builtin_with()
    doc["lines"]["routing"]["say"] = ["Call 5551234567."]
    doc["lines"]["objections"]["price"]["say"] = ["It is **cheap**."]
    message = _problems(doc)
    assert "lines.routing.say[0]" in message and "lines.objections.price.say[0]" in message


def test_the_packaged_builtin_round_trips() -> None:
    doc = builtin_version()
    assert parse_version(json.dumps(doc).encode(), "x") == doc


def test_both_halves_read_the_same_schema_file() -> None:
    from contracts.schemas import PROMPT_VERSION_V1, load_schema
    from vocabulary.prompt_versions import SCHEMA_NAME, _validator

    assert SCHEMA_NAME == PROMPT_VERSION_V1
    assert _validator().schema == load_schema(PROMPT_VERSION_V1)
