"""The conversations speak the shared vocabularies: objections, do-not-call, voicemail, emails."""

from __future__ import annotations

import random

import pytest

from pipelines.synthetic import generate_clinics
from pipelines.synthetic import phrases as P
from pipelines.synthetic.scenarios import DNC_SCENARIOS, spoken_email
from vocabulary.emails import find_email, is_generic_email
from vocabulary.intents import is_dnc_request, is_voicemail_greeting
from vocabulary.objections import OBJECTION_CLASSES, classify_objection, objections_in

FIELDS = {"name": "Glow Med Spa", "first": "Jane", "title": "owner", "agent": P.AGENT_NAME, "company": P.AGENT_COMPANY}


def _user_lines(call):
    return [u["content"] for u in call["transcript_object"] if u["role"] == "user"]


def _agent_lines(call):
    return [u["content"] for u in call["transcript_object"] if u["role"] == "agent"]


@pytest.mark.parametrize("cls", sorted(P.OBJECTIONS))
def test_every_objection_line_is_classified_as_its_class(cls):
    for line in P.OBJECTIONS[cls][0]:
        assert classify_objection(line) == cls, line


def test_refusals_and_callbacks_are_objections():
    for line in P.NOT_INTERESTED:
        assert classify_objection(line) == "not_interested", line
    for line, _ in P.CALLBACKS:
        assert set(objections_in(line)) & {"bad_time", "busy", "not_decision_maker"}, line
        assert not is_dnc_request(line), line


def test_every_dnc_phrasing_is_recognised():
    for line in P.DNC_REQUESTS:
        assert is_dnc_request(line), line


def test_every_voicemail_greeting_is_recognised():
    for line in P.VOICEMAIL_GREETINGS:
        assert is_voicemail_greeting(line.format(**FIELDS)), line


def test_user_lines_trip_recognisers_only_where_the_scenario_says(default_world):
    for g in default_world[1]:
        for line in _user_lines(g.call):
            assert is_dnc_request(line) == (g.scenario in DNC_SCENARIOS and line in _dnc_lines()), (g.scenario, line)
            assert is_voicemail_greeting(line) == (g.scenario == "voicemail"), (g.scenario, line)


def _dnc_lines():
    return set(P.DNC_REQUESTS)


def test_every_objection_class_is_heard_at_default_size(default_world):
    heard = {cls for g in default_world[1] for line in _user_lines(g.call) for cls in objections_in(line)}
    assert heard == set(OBJECTION_CLASSES)


def test_caller_emails_are_found_on_user_lines_and_match_the_truth(default_world):
    literal = spoken = 0
    for g in default_world[1]:
        found = [m for m in (find_email(line) for line in _user_lines(g.call)) if m]
        if not g.captured_email:
            assert found == [], (g.scenario, found)
            continue
        assert found[-1].address == g.captured_email, (g.scenario, [m.address for m in found])
        literal += sum(not m.spoken for m in found)
        spoken += sum(m.spoken for m in found)
        if g.scenario == "email_generic_then_direct":
            assert is_generic_email(found[0].address) and not is_generic_email(found[-1].address)
        if g.scenario == "email_generic":
            assert [is_generic_email(m.address) for m in found] == [True]
    assert literal and spoken


def test_every_spoken_form_of_every_clinic_address_is_recognised():
    """Spoken forms ("jane at glow med spa dot com", spelled letters) parse back to the address."""
    rng = random.Random(7)
    for clinic in generate_clinics(42, 300):
        for address in (clinic.generic_email, clinic.direct_email):
            for _ in range(4):
                form = spoken_email(rng, address, clinic)
                for template in P.EMAIL_DIRECT_LINES + P.EMAIL_GENERIC_LINES + P.DIRECT_AFTER_GENERIC:
                    line = template.format(email=address, spoken=form)
                    match = find_email(line)
                    assert match is not None and match.address == address, (line, match)


def test_dnc_after_email_calls_say_an_email_before_stopping(default_world):
    calls = [g for g in default_world[1] if g.scenario == "dnc_after_email"]
    assert calls
    for g in calls:
        lines = _user_lines(g.call)
        assert find_email(lines[-2]) and is_dnc_request(lines[-1])


def test_agent_says_voicemail_in_calls_that_never_reached_one(default_world):
    trap = [
        g
        for g in default_world[1]
        if g.scenario != "voicemail" and any("voicemail" in line.lower() for line in _agent_lines(g.call))
    ]
    assert trap
    assert all(not g.call["call_analysis"]["in_voicemail"] for g in trap)


def test_dnc_calls_log_the_request_as_a_tool_call(default_world):
    for g in default_world[1]:
        names = [t["name"] for t in g.call["transcript_with_tool_calls"] if t["role"] == "tool_call_invocation"]
        if g.scenario in DNC_SCENARIOS:
            assert names == ["mark_dnc"]
        elif g.expected_outcome in ("email_captured", "callback", "not_interested"):
            assert names == ["log_outcome"]
        else:
            assert names == []
