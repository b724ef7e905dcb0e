"""Revenue-ops formulas against hand-computed fixtures (seed notes §10, fixed where it was wrong).

The main fixture reproduces §10's verified example — |A| = 10, 3 captures (2 direct), 5 close
requests with 2 successes, first-response p95 900 ms, turns p50 4, time-to-capture p50 30 s →
objective score 33.82 — split over two days, two campaigns and two prompt versions, plus three
calls that must NOT count as answered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from assets.journeys.assets import customer_journeys, line_signals
from assets.revenue_ops.assets import call_features, revenue_ops_daily, revenue_ops_summary
from tests.support.journeys import BASE_START, Call, agent, materialize, query, user, write_fixture
from tests.support.warehouse import connect

ASSETS = [line_signals, customer_journeys, call_features, revenue_ops_daily, revenue_ops_summary]
DAY1, DAY2 = BASE_START, BASE_START + timedelta(days=1)


def answered(call_id, later_user_lines, *, day=DAY1, e2e=None, first="hi", fr_ms=900.0, **kw):
    """An answered call: agent greets, the caller's first utterance ends at 2.0 s, the agent replies
    ``fr_ms`` later; then each later caller line (text, end_s) follows an agent line."""
    lines = [
        agent("Hi, this is Eve from Lumen.", 0.0, 1.5),
        user(first, 1.0, 2.0),
        agent("Great — quick question.", 2.0 + fr_ms / 1000.0, 3.5),
    ]
    t = 4.0
    for text, end_s in later_user_lines:
        lines.append(user(text, t, end_s))
        lines.append(agent("Got it.", end_s + 0.5, end_s + 1.0))
        t = end_s + 1.5
    camp, prompt = ("camp-a", "v1") if day == DAY1 else ("camp-b", "v2")
    return Call(call_id, lines, start=day, e2e_p50=e2e, llm_p50=300.0, campaign_id=camp, prompt_version=prompt, **kw)


def section10_world() -> list[Call]:
    return [
        # day 1 — captures and closes
        answered("A1", [("ok who is this?", 5), ("just send it over", 9), ("jane@glowspa.com", 20)], e2e=500),
        answered("A2", [("sure", 5), ("send it to me", 9), ("it's sam at bright dental dot com", 30)], e2e=600),
        answered(
            "A3", [("sure", 5), ("send it over", 9), ("no", 12), ("um", 14), ("info@brightdental.com", 45)], e2e=700
        ),
        Call(
            "A4",
            [
                agent("Hi, you can write to hello@eve.ai", 0, 1.5),
                user("hi", 1.0, 2.0),
                agent("So...", 2.9, 3.5),
                user("can you just email me", 4, 6),
            ],
            start=DAY1,
            e2e_p50=800,
            llm_p50=300.0,
        ),
        answered("A5", [("hang up now", 6)], e2e=900),
        # day 2 — objections, no capture
        answered("A6", [], first="how much does it cost?", day=DAY2, e2e=1000),
        answered("A7", [], first="who is this?", day=DAY2, e2e=1100),
        answered("A8", [], first="we're not interested", day=DAY2, e2e=1200),
        answered("A9", [], first="call me back tomorrow", day=DAY2, e2e=1300),
        answered("A10", [], first="hello?", day=DAY2, e2e=1400),
        # never answered: not connected, agent-only voicemail, still ongoing (with an email!)
        Call("B1", [], status="not_connected", disconnection_reason="dial_no_answer", duration_s=None, start=DAY1),
        Call("B2", [agent("Hi, leaving a voicemail", 0, 3)], in_voicemail=True, start=DAY1),
        Call(
            "B3",
            [agent("Hi", 0, 1), user("jane@glowspa.com", 1, 2), agent("thanks", 5, 6)],
            status="ongoing",
            start=DAY1,
            e2e_p50=9999,
        ),
    ]


def _row(path, table, where, params=()):
    """The single row of ``table`` matching ``where``, as a dict (table/where are test literals)."""
    with connect(path) as conn:
        cur = conn.execute(f"SELECT * FROM {table} WHERE {where}", list(params))
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture(scope="module")
def world(tmp_path_factory, module_warehouse_backend):
    """The §10 world, materialized once for the read-only tests of this module."""
    path = tmp_path_factory.mktemp("section10") / "warehouse.duckdb"
    write_fixture(path, section10_world())
    materialize(path, ASSETS)
    return path


def test_per_call_features(world):
    rows = {
        r[0]: r[1:]
        for r in query(
            world,
            """
        SELECT call_id, answered, email_captured, direct_email_captured, time_to_email_capture_s,
               turns_to_capture, close_requested, close_to_email_success, first_response_latency_ms
        FROM marts.call_features""",
        )
    }
    assert rows["A1"] == (True, True, True, 20.0, 4, True, True, 900.0)
    assert rows["A2"] == (True, True, True, 30.0, 4, True, True, 900.0)
    assert rows["A3"] == (True, True, False, 45.0, 6, True, False, 900.0)
    assert rows["A4"] == (True, False, False, None, None, True, False, 900.0)  # agent's email is no capture
    assert rows["A10"] == (True, False, False, None, None, False, False, 900.0)
    assert rows["B1"][0] is False and rows["B2"][0] is False and rows["B3"][0] is False


def test_overall_scorecard_matches_section_10(world):
    s = _row(world, "marts.revenue_ops_summary", "grain = 'all'")
    assert (s["calls"], s["ended_calls"], s["answered_calls"]) == (13, 11, 10)
    assert (s["email_captures"], s["direct_email_captures"], s["generic_email_captures"]) == (3, 2, 1)
    assert s["email_capture_rate"] == 0.3
    assert s["direct_email_capture_rate"] == 0.2
    assert (s["close_requests"], s["close_successes"]) == (5, 2)
    assert s["close_request_rate"] == 0.5
    assert s["close_to_email_rate"] == 0.4
    assert s["time_to_email_capture_p50_s"] == 30.0
    assert s["time_to_email_capture_p95_s"] == pytest.approx(43.5)  # 30 + 0.9 * (45 - 30)
    assert s["turns_to_capture_p50"] == 4.0
    assert s["turns_to_capture_p95"] == pytest.approx(5.8)  # 4 + 0.9 * (6 - 4)
    assert s["first_response_latency_p50_ms"] == 900.0
    assert s["first_response_latency_p95_ms"] == 900.0
    assert s["first_response_latency_band"] == "good"
    assert s["retell_e2e_p50_ms"] == 950.0  # median of 500..1400, B3 excluded
    assert s["retell_llm_p50_ms"] == 300.0
    assert s["objection_counts"] == {"bad_time": 1, "not_interested": 1, "price": 1, "who_is_this": 2}
    assert s["objective_score"] == 33.82


def test_daily_and_campaign_grains(world):
    d1 = _row(world, "marts.revenue_ops_daily", "grain = 'day' AND day = ?", [DAY1.date()])
    assert (d1["calls"], d1["answered_calls"], d1["email_captures"]) == (8, 5, 3)
    assert (d1["email_capture_rate"], d1["direct_email_capture_rate"], d1["close_request_rate"]) == (0.6, 0.4, 1.0)
    assert d1["objective_score"] == 38.82
    d2 = _row(world, "marts.revenue_ops_daily", "grain = 'day' AND day = ?", [DAY2.date()])
    assert (d2["calls"], d2["answered_calls"], d2["email_captures"], d2["email_capture_rate"]) == (5, 5, 0, 0.0)
    assert d2["time_to_email_capture_p50_s"] is None and d2["turns_to_capture_p50"] is None
    assert d2["objective_score"] == 14.4
    by_day_campaign = _row(
        world,
        "marts.revenue_ops_daily",
        "grain = 'day_campaign_prompt' AND day = ? AND campaign_id = 'camp-b' AND prompt_version = 'v2'",
        [DAY2.date()],
    )
    assert by_day_campaign["answered_calls"] == 5
    camp_a = _row(world, "marts.revenue_ops_summary", "grain = 'campaign' AND campaign_id = 'camp-a'")
    assert (camp_a["calls"], camp_a["answered_calls"], camp_a["objective_score"]) == (8, 5, 38.82)
    v2 = _row(world, "marts.revenue_ops_summary", "grain = 'prompt_version' AND prompt_version = 'v2'")
    assert v2["objective_score"] == 14.4


def test_quantiles_trim_eight_percent(warehouse_path):
    # 13 answered calls, first-response 100..1300 ms: drop = floor(13 * 0.08) = 1 from each end.
    calls = [answered(f"Q{i:02d}", [], fr_ms=100.0 * i) for i in range(1, 14)]
    write_fixture(warehouse_path, calls)
    materialize(warehouse_path, ASSETS)
    s = _row(warehouse_path, "marts.revenue_ops_summary", "grain = 'all'")
    assert s["first_response_latency_p50_ms"] == 700.0  # untrimmed: v[6] of 13
    assert s["first_response_latency_p95_ms"] == 1150.0  # trimmed 200..1200: 9.5 -> 1100 + 0.5 * 100
    assert s["first_response_latency_band"] == "warning"
    assert s["objective_score"] == 10.62


def test_true_zero_is_not_missing(warehouse_path):
    zero = [answered("Z", [], fr_ms=0.0)]
    write_fixture(warehouse_path, zero)
    materialize(warehouse_path, ASSETS)
    assert _row(warehouse_path, "marts.revenue_ops_summary", "grain = 'all'")["objective_score"] == 20.91
    untimed = [Call("U", [agent("Hi", None, None), user("hi", None, None), agent("So", None, None)])]
    write_fixture(warehouse_path, untimed)
    materialize(warehouse_path, ASSETS)
    s = _row(warehouse_path, "marts.revenue_ops_summary", "grain = 'all'")
    assert s["first_response_latency_p95_ms"] is None and s["first_response_latency_band"] == "unknown"
    assert s["objective_score"] == 10.91


def test_overlapping_agent_is_not_a_reply_latency(warehouse_path):
    barge = Call("X", [user("hello there", 1.0, 3.0), agent("Hi!", 2.5, 3.5)])
    write_fixture(warehouse_path, [barge])
    materialize(warehouse_path, ASSETS)
    assert query(warehouse_path, "SELECT first_response_latency_ms FROM marts.call_features") == [(None,)]


def test_empty_corpus_scores_zero(warehouse_path):
    write_fixture(warehouse_path, [])
    materialize(warehouse_path, ASSETS)
    assert query(warehouse_path, "SELECT count(*) FROM marts.revenue_ops_summary") == [(0,)]
