"""customer_journeys: outcome precedence, user-only email detection, lead join, outcome_ts.

Each case is a hand-made call materialized through the real assets on a real DuckDB file.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from assets.journeys.assets import customer_journeys, lead_status, line_signals
from tests.support.journeys import BASE_START, Call, Lead, Line, agent, materialize, query, user, write_fixture

JOURNEY_ASSETS = [line_signals, customer_journeys, lead_status]

CASES = [
    # (case id, call, expected outcome, expected captured email)
    (
        "dnc_beats_email",
        Call(
            "c", [agent("Who handles marketing?", 0, 2), user("jane@glowspa.com, and stop calling us after this", 3, 6)]
        ),
        "dnc",
        "jane@glowspa.com",
    ),
    (
        "dnc_after_spoken_email",
        Call(
            "c",
            [
                user("it's jane at glow spa dot com", 1, 4),
                agent("Thanks!", 4.5, 5),
                user("actually take me off your list", 6, 8),
            ],
        ),
        "dnc",
        "jane@glowspa.com",
    ),
    (
        "agent_says_voicemail",
        Call("c", [agent("Sorry, I will leave a voicemail then", 0, 2), user("hello?", 3, 3.5)]),
        "other",
        None,
    ),
    ("agent_only_voicemail_words_no_user", Call("c", [agent("I'll try your voicemail", 0, 2)]), "no_answer", None),
    (
        "in_voicemail_flag",
        Call("c", [agent("Hi, this is Eve from Lumen", 0, 2)], in_voicemail=True, disconnection_reason="agent_hangup"),
        "voicemail",
        None,
    ),
    (
        "voicemail_disconnection",
        Call(
            "c",
            [user("You've reached Glow Spa, leave a message after the tone", 0, 4)],
            in_voicemail=None,
            disconnection_reason="voicemail_reached",
        ),
        "voicemail",
        None,
    ),
    (
        "generic_then_direct",
        Call(
            "c",
            [
                user("send it to info@glowspa.com", 1, 3),
                agent("Anyone directly?", 3.5, 5),
                user("or jane@glowspa.com works", 6, 8),
            ],
        ),
        "email_captured",
        "jane@glowspa.com",
    ),
    ("generic_only", Call("c", [user("use frontdesk@glowspa.com", 1, 3)]), "email_captured", "frontdesk@glowspa.com"),
    (
        "agent_spoken_email_is_not_a_capture",
        Call("c", [agent("You can reach us at hello@eve.ai", 0, 3), user("okay, bye", 4, 5)]),
        "other",
        None,
    ),
    (
        "callback_beats_not_interested",
        Call("c", [user("we're not interested right now", 1, 3), user("maybe call back next week", 4, 6)]),
        "callback",
        None,
    ),
    (
        "not_interested_beats_voicemail",
        Call("c", [user("no thanks, not interested", 1, 3)], in_voicemail=True),
        "not_interested",
        None,
    ),
    (
        "no_answer_dial",
        Call("c", [], status="not_connected", disconnection_reason="dial_no_answer", duration_s=None),
        "no_answer",
        None,
    ),
    ("mark_dnc_tool", Call("c", [user("ok", 1, 2)], tools=["mark_dnc"]), "dnc", None),
    ("analysis_says_dnc", Call("c", [user("ok", 1, 2)], analysis_outcome="do_not_call"), "dnc", None),
    ("brain_callback", Call("c", [user("sure", 1, 2)], brain_outcome="callback"), "callback", None),
    (
        "brain_email_fallback",
        Call("c", [user("j a n e at glowspa", 1, 2)], brain_outcome="email_captured", brain_email="jane@glowspa.com"),
        "email_captured",
        "jane@glowspa.com",
    ),
    ("brain_voicemail_word_is_not_enough", Call("c", [user("hi", 1, 2)], brain_outcome="voicemail"), "other", None),
]


@pytest.fixture(scope="module")
def precedence_world(tmp_path_factory, module_warehouse_backend):
    """Every case as its own call (call_id = case id, own number), materialized once."""
    path = tmp_path_factory.mktemp("precedence") / "warehouse.duckdb"
    calls = []
    for n, (case, call, _, _) in enumerate(CASES):
        call.call_id = case
        call.to_number = f"+1214555{n:04d}"
        calls.append(call)
    write_fixture(path, calls)
    materialize(path, JOURNEY_ASSETS)
    return path


@pytest.mark.parametrize("case,call,expected,email", CASES, ids=[c[0] for c in CASES])
def test_outcome_precedence(precedence_world, case, call, expected, email):
    [(outcome, captured, follow_up)] = query(
        precedence_world,
        "SELECT outcome, captured_email, follow_up_allowed FROM marts.customer_journeys WHERE call_id = ?",
        [case],
    )
    assert outcome == expected
    assert captured == email
    assert follow_up is (expected != "dnc")


def test_generic_flag_and_objections(warehouse_path):
    calls = [
        Call("generic", [user("info@glowspa.com", 1, 2)]),
        Call("direct", [user("info@glowspa.com", 1, 2), user("jane@glowspa.com", 3, 4)]),
        Call("objections", [user("who is this? how much does it cost?", 1, 3), user("we're not interested", 4, 5)]),
    ]
    write_fixture(warehouse_path, calls)
    materialize(warehouse_path, JOURNEY_ASSETS)
    rows = dict(
        (r[0], r[1:])
        for r in query(
            warehouse_path,
            "SELECT call_id, captured_email_is_generic, objections, objection_count FROM marts.customer_journeys",
        )
    )
    assert rows["generic"][0] is True
    assert rows["direct"][0] is False
    assert rows["objections"][1] == ["not_interested", "price", "who_is_this"]
    assert rows["objections"][2] == 3


def test_lead_join_metadata_first_then_phone(warehouse_path):
    leads = [Lead("L-meta", "+12145550111"), Lead("L-phone", "+12145550122"), Lead("L-other", "+12145550133")]
    calls = [
        # metadata lead_id wins even though the dialled number belongs to another lead
        Call("by-id", [user("hi", 1, 2)], lead_id="L-meta", to_number="+12145550133"),
        # unknown metadata lead_id: falls back to the dialled number
        Call("by-phone", [user("hi", 1, 2)], lead_id="L-gone", to_number="+12145550122"),
        # inbound: the caller's number is the contact
        Call(
            "inbound",
            [user("hi", 1, 2)],
            direction="inbound",
            from_number="+12145550111",
            to_number="+14155550100",
            lead_id=None,
        ),
        Call("nobody", [user("hi", 1, 2)], lead_id=None, to_number="+12145550199"),
    ]
    write_fixture(warehouse_path, calls, leads)
    materialize(warehouse_path, JOURNEY_ASSETS)
    rows = {
        r[0]: r[1:]
        for r in query(
            warehouse_path, "SELECT call_id, lead_id, lead_match, contact_number_e164 FROM marts.customer_journeys"
        )
    }
    assert rows["by-id"] == ("L-meta", "lead_id", "+12145550133")
    assert rows["by-phone"] == ("L-phone", "phone", "+12145550122")
    assert rows["inbound"] == ("L-meta", "phone", "+12145550111")
    assert rows["nobody"] == (None, None, "+12145550199")


def test_outcome_ts_is_call_end_never_now(warehouse_path):
    start = BASE_START
    calls = [
        Call("ended", [user("hi", 1, 2)], start=start, duration_s=42.0),
        Call("no-end", [user("hi", 1, 2)], start=start, duration_s=30.0, end=None, status="error"),
        Call("nothing", [], start=start, duration_s=None, status="not_connected"),
    ]
    write_fixture(warehouse_path, calls)
    before = datetime.utcnow()
    materialize(warehouse_path, JOURNEY_ASSETS)
    rows = dict(query(warehouse_path, "SELECT call_id, outcome_ts FROM marts.customer_journeys"))
    assert rows["ended"] == start + timedelta(seconds=42)
    assert rows["no-end"] == start + timedelta(seconds=30)
    assert rows["nothing"] == start
    assert all(ts < before for ts in rows.values())


def test_malformed_lines_are_harmless(warehouse_path):
    calls = [
        Call(
            "odd",
            [
                user(None, None, None),
                user("", 1, 1),
                user("\u0000\ufffd 🙂 @@ at dot", 2, 3),
                Line("transfer_target", "stop calling", 1.0, 2.0),
                user("x" * 5000, 4, 5),
            ],
        )
    ]
    write_fixture(warehouse_path, calls)
    materialize(warehouse_path, JOURNEY_ASSETS)
    [(outcome, turns)] = query(warehouse_path, "SELECT outcome, user_turns FROM marts.customer_journeys")
    # a non-user role saying "stop calling" is not the caller: no dnc
    assert outcome == "other"
    assert turns == 4


def test_journeys_rerun_is_idempotent(warehouse_path):
    write_fixture(warehouse_path, [Call(f"c{i}", [user("jane@glowspa.com", 1, 2)]) for i in range(5)])
    materialize(warehouse_path, JOURNEY_ASSETS)
    materialize(warehouse_path, JOURNEY_ASSETS)
    assert query(warehouse_path, "SELECT count(*), count(DISTINCT call_id) FROM marts.customer_journeys") == [(5, 5)]
