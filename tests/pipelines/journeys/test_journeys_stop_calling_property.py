"""Property: any number that said "stop calling" in any call is suppressed and in no queue afterwards.

Hypothesis draws a small world — numbers, several calls per number, caller lines mixing
do-not-call phrasings, emails, objections and noise, agent lines that themselves say "stop
calling" — and the real assets run on it: journeys → suppression list → call queue (the lead
group's own assets). The oracle is the shared vocabulary's `is_dnc_request` over caller lines.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import dagster as dg
import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.journeys.assets import customer_journeys, lead_status, line_signals
from assets.leads.assets import call_queue, suppression_list
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from tests.support.journeys import BASE_START, Call, Lead, agent, user, write_fixture
from vocabulary.intents import is_dnc_request

PHONES = [f"+1214555{100 + i:04d}" for i in range(12)]

STOP_PHRASES = [
    "stop calling",
    "Please stop calling us.",
    "don't call this number again",
    "take us off your list",
    "remove me from your list",
    "do not call us",
    "put us on your do not call list",
    "no more calls please",
    "STOP CALLING ME",
    "quit calling, thanks",
]
OTHER_LINES = [
    "hello?",
    "who is this?",
    "we close at 5",
    "call me back later",
    "not interested",
    "how much is it?",
    "jane@glowspa.com",
    "sure, it's sam at bright dental dot com",
    "info@clinic.com",
    "we're busy",
    "can you call back tomorrow",
    "yes",
    "send it over",
    "",
]
AGENT_LINES = [
    "Hi, this is Eve.",
    "I'll stop calling, sorry to bother you.",
    "Could I get an email?",
    "Noted — we won't call again.",
]

caller_line = st.one_of(
    st.sampled_from(STOP_PHRASES),
    st.sampled_from(OTHER_LINES),
    st.tuples(st.sampled_from(OTHER_LINES), st.sampled_from(STOP_PHRASES)).map(" ".join),
)
call_strategy = st.tuples(
    st.integers(min_value=0, max_value=len(PHONES) - 1),  # which number
    st.lists(caller_line, min_size=0, max_size=4),  # caller lines
    st.sampled_from(["outbound", "inbound"]),
    st.booleans(),  # metadata lead_id present
)


def _qualified_leads(path: Path) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            """
            CREATE OR REPLACE TABLE marts.qualified_leads AS
            SELECT 'L' || i AS lead_id, 'Clinic ' || i AS business_name, phone AS phone_e164, NULL::VARCHAR AS email,
                   NULL::VARCHAR AS website_domain, 'med_spa' AS vertical, 'Dallas' AS city, 'TX' AS state,
                   'America/Chicago' AS timezone, 80.0 - i AS score, ['fixture'] AS reasons, true AS is_synthetic,
                   'fixture' AS source
            FROM (SELECT unnest($phones) AS phone, generate_subscripts($phones, 1) AS i)
        """,
            {"phones": PHONES},
        )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(call_strategy, min_size=1, max_size=14))
def test_stop_calling_means_suppressed_and_never_queued(drawn_calls):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warehouse.duckdb"
        leads = [Lead(f"L{i + 1}", phone) for i, phone in enumerate(PHONES)]
        calls, said_stop = [], set()
        for n, (phone_idx, lines, direction, tagged) in enumerate(drawn_calls):
            phone = PHONES[phone_idx]
            transcript = [agent(AGENT_LINES[n % len(AGENT_LINES)], 0, 1)]
            for k, text in enumerate(lines):
                transcript += [
                    user(text, 2 + 3 * k, 3 + 3 * k),
                    agent(AGENT_LINES[(n + k) % len(AGENT_LINES)], 4 + 3 * k, 4.5 + 3 * k),
                ]
            if any(is_dnc_request(text) for text in lines):
                said_stop.add(phone)
            calls.append(
                Call(
                    f"call-{n}",
                    transcript,
                    start=BASE_START + timedelta(minutes=n),
                    direction=direction,
                    to_number=phone if direction == "outbound" else "+14155550100",
                    from_number="+14155550100" if direction == "outbound" else phone,
                    lead_id=f"L{phone_idx + 1}" if tagged else None,
                )
            )
        write_fixture(path, calls, leads)
        _qualified_leads(path)
        result = dg.materialize(
            [line_signals, customer_journeys, lead_status, suppression_list, call_queue],
            resources=build_resources(PipelineSettings(warehouse_path=path)),
        )
        assert result.success
        with duckdb.connect(str(path)) as conn:
            suppressed = {r[0] for r in conn.execute("SELECT phone_e164 FROM marts.suppression_list").fetchall()}
            queued = {r[0] for r in conn.execute("SELECT phone_e164 FROM marts.call_queue").fetchall()}
            dnc_leads = {
                r[0] for r in conn.execute("SELECT phone_e164 FROM marts.lead_status WHERE status = 'dnc'").fetchall()
            }
        assert said_stop <= suppressed
        assert not (said_stop & queued)
        # no over-suppression: the agent saying "stop calling" or "we close at 5" suppresses nobody
        assert suppressed == said_stop
        assert queued == set(PHONES) - said_stop
        assert dnc_leads <= said_stop
