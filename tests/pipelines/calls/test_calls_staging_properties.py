"""One bad value never fails a whole batch: staging of calls over arbitrary strings in every field.

Hypothesis writes Retell call objects and brain call records whose every field is an arbitrary
string (numbers such as "anonymous", "+266696687", "+15550001111", timestamps, costs, metadata,
transcripts, tool calls) into real `raw.retell_calls` / `raw.brain_calls` tables and builds the
staging tables (staging.calls, transcript_lines, tool_events) with the real SQL and UDFs. Every
build must succeed and keep one staging.calls row per call; an unusable number is NULL.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.landing.staging import build_staging_tables
from pipelines.platform.sql import run_sql_file

RETELL_FIELDS = [
    "agent_id",
    "call_type",
    "direction",
    "call_status",
    "from_number",
    "to_number",
    "start_timestamp",
    "end_timestamp",
    "duration_ms",
    "disconnection_reason",
    "call_analysis",
    "call_cost",
    "latency",
    "metadata",
    "retell_llm_dynamic_variables",
    "transcript",
    "transcript_object",
    "transcript_with_tool_calls",
]
BRAIN_FIELDS = [
    "lead_id",
    "campaign_id",
    "from_number",
    "to_number",
    "direction",
    "prompt_version",
    "outcome",
    "email",
    "close_reason",
]
NASTY = ["anonymous", "+266696687", "+15550001111", "", " ", "null", "NaN", "\u0000", "9" * 200, "+1 (214) 302-0151"]

text = st.one_of(st.sampled_from(NASTY), st.text(max_size=40))
nested = st.one_of(text, st.dictionaries(st.sampled_from(["e2e", "llm", "p50", "lead_id", "synthetic"]), text))


def _retell(call_id: str, values: dict) -> str:
    return json.dumps({"call_id": call_id, **values})


def _stage(conn, retell_rows: list[dict], brain_rows: list[dict]) -> None:
    run_sql_file(conn, "raw/retell_calls.sql")
    run_sql_file(conn, "raw/brain_calls.sql")
    conn.execute("DELETE FROM raw.retell_calls")
    conn.execute("DELETE FROM raw.brain_calls")
    for i, values in enumerate(retell_rows):
        conn.execute(
            "INSERT INTO raw.retell_calls VALUES (?, ?, 'api', ['api'], 'f.jsonl', NULL, NULL, NULL, false, 0, 0,"
            " now()::TIMESTAMP, now()::TIMESTAMP)",
            [f"c{i}", _retell(f"c{i}", values)],
        )
    for i, values in enumerate(brain_rows):
        conn.execute(
            "INSERT INTO raw.brain_calls VALUES (?, ?, 'b.json', now()::TIMESTAMP, now()::TIMESTAMP, false, 0,"
            " now()::TIMESTAMP, now()::TIMESTAMP)",
            [f"c{i * 2}", json.dumps({"call_id": f"c{i * 2}", **values})],
        )
    build_staging_tables(conn)


@pytest.mark.parametrize("number", ["anonymous", "+266696687", "+15550001111", "12", "+", "abc" * 30])
def test_one_unparseable_number_does_not_fail_the_batch(number):
    good = {"from_number": "+12143020151", "to_number": "2143020152"}
    with duckdb.connect() as conn:
        _stage(conn, [good, {"from_number": number, "to_number": number}], [{"from_number": number}])
        rows = dict(conn.execute("SELECT call_id, from_number_e164 FROM staging.calls").fetchall())
    assert rows["c0"] == "+12143020151"
    assert rows["c1"] in (None, "+15550001111")  # 555-1111 is neither valid nor fictional (555-01xx)
    assert rows["c1"] is None or number == "+15550001111"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    retell_rows=st.lists(st.fixed_dictionaries({}, optional={f: nested for f in RETELL_FIELDS}), max_size=4),
    brain_rows=st.lists(st.fixed_dictionaries({}, optional={f: text for f in BRAIN_FIELDS}), max_size=3),
)
def test_arbitrary_strings_in_every_field_never_fail_staging(retell_rows, brain_rows):
    with duckdb.connect() as conn:
        _stage(conn, retell_rows, brain_rows)
        calls = conn.execute("SELECT count(*), count(DISTINCT call_id) FROM staging.calls").fetchone()
        numbers = conn.execute(
            "SELECT from_number_e164, to_number_e164 FROM staging.calls "
            "WHERE from_number_e164 IS NOT NULL OR to_number_e164 IS NOT NULL"
        ).fetchall()
    expected = {f"c{i}" for i in range(len(retell_rows))} | {f"c{i * 2}" for i in range(len(brain_rows))}
    assert calls == (len(expected), len(expected))
    assert all(n is None or n.startswith("+") for pair in numbers for n in pair)
