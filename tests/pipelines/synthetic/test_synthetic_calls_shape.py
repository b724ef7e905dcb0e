"""Every synthetic call is a well-formed Retell get-call object whose parts agree with each other."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from retell.types.phone_call_response import PhoneCallResponse

from pipelines.synthetic import SCENARIOS
from vocabulary.outcomes import Outcome
from vocabulary.phones import is_fictional

REQUIRED = {
    "call_id",
    "agent_id",
    "agent_version",
    "call_type",
    "direction",
    "from_number",
    "to_number",
    "call_status",
    "start_timestamp",
    "end_timestamp",
    "duration_ms",
    "transcript",
    "transcript_object",
    "transcript_with_tool_calls",
    "call_analysis",
    "latency",
    "disconnection_reason",
    "call_cost",
    "metadata",
    "retell_llm_dynamic_variables",
}


def _calls(default_world):
    return [g.call for g in default_world[1]]


def test_every_call_validates_against_the_retell_sdk_model(default_world):
    for call in _calls(default_world):
        assert call.keys() >= REQUIRED, REQUIRED - call.keys()
        PhoneCallResponse.model_validate(call)  # the real SDK type: raises on a wrong shape
        assert call["call_type"] == "phone_call" and call["direction"] == "outbound"
        assert set(call["call_analysis"]) >= {
            "call_summary",
            "in_voicemail",
            "user_sentiment",
            "call_successful",
            "custom_analysis_data",
        }


def test_call_ids_unique_and_order_is_start_then_id(default_world):
    calls = _calls(default_world)
    assert len({c["call_id"] for c in calls}) == len(calls) == 200
    keys = [(c["start_timestamp"], c["call_id"]) for c in calls]
    assert keys == sorted(keys)


def test_timestamps_duration_and_window(default_world, default_config):
    as_of_ms = default_config.as_of_epoch_ms
    first_day = default_config.as_of - dt.timedelta(days=default_config.days)
    for call in _calls(default_world):
        assert call["end_timestamp"] - call["start_timestamp"] == call["duration_ms"] > 0
        assert call["start_timestamp"] < as_of_ms
        start = dt.datetime.fromtimestamp(call["start_timestamp"] / 1000, dt.UTC).date()
        assert first_day <= start < default_config.as_of


def test_word_timings_are_monotonic_and_inside_the_call(default_world):
    for call in _calls(default_world):
        duration_s = call["duration_ms"] / 1000
        previous_end = 0.0
        for utterance in call["transcript_object"]:
            words = utterance["words"]
            assert words, utterance
            assert " ".join(w["word"] for w in words) == utterance["content"]
            for word in words:
                assert previous_end <= word["start"] < word["end"] <= duration_s, (call["call_id"], word)
                previous_end = word["end"]


def test_transcript_text_and_tool_list_agree_with_transcript_object(default_world):
    for call in _calls(default_world):
        objects = call["transcript_object"]
        expected = "\n".join(("Agent: " if u["role"] == "agent" else "User: ") + u["content"] for u in objects)
        assert call["transcript"] == expected
        utterances = [item for item in call["transcript_with_tool_calls"] if item["role"] in ("agent", "user")]
        assert utterances == objects
        tools = [item for item in call["transcript_with_tool_calls"] if item["role"].startswith("tool_call")]
        invocations = [t for t in tools if t["role"] == "tool_call_invocation"]
        results = {t["tool_call_id"] for t in tools if t["role"] == "tool_call_result"}
        assert {t["tool_call_id"] for t in invocations} == results


def test_e2e_latency_values_are_the_measured_first_response_gaps(default_world):
    """latency.e2e.values = agent start - end of the user line before it (word timings, in ms)."""
    for call in _calls(default_world):
        gaps = []
        objects = call["transcript_object"]
        for before, after in zip(objects, objects[1:], strict=False):
            if before["role"] == "user" and after["role"] == "agent":
                gaps.append(round(after["words"][0]["start"] * 1000) - round(before["words"][-1]["end"] * 1000))
        if not gaps:
            assert call["latency"] == {}
            continue
        e2e, llm = call["latency"]["e2e"], call["latency"]["llm"]
        assert e2e["values"] == gaps
        assert (
            e2e["num"] == len(gaps) and e2e["min"] <= e2e["p50"] <= e2e["p90"] <= e2e["p95"] <= e2e["p99"] <= e2e["max"]
        )
        assert all(l_value < e_value for l_value, e_value in zip(llm["values"], e2e["values"], strict=True))


def test_first_response_latencies_cover_every_band(default_world):
    bands = Counter()
    for g in default_world[1]:
        values = g.call["latency"].get("e2e", {}).get("values")
        if values and g.scenario != "voicemail":
            first = values[0]
            bands[
                "excellent" if first < 700 else "good" if first < 1000 else "warning" if first < 1500 else "poor"
            ] += 1
    assert set(bands) == {"excellent", "good", "warning", "poor"}, bands


def test_every_scenario_and_outcome_present_at_default_size(default_world):
    generated = default_world[1]
    assert {g.scenario for g in generated} == set(SCENARIOS)
    # `interrupted` is the brain's crash-recovery outcome, never one a Retell call is generated with
    assert {g.expected_outcome for g in generated} == {o.value for o in Outcome} - {Outcome.INTERRUPTED.value}
    reasons = {g.call["disconnection_reason"] for g in generated}
    assert {"user_hangup", "agent_hangup", "voicemail_reached", "dial_no_answer"} <= reasons
    assert {g.call["call_status"] for g in generated} == {"ended", "not_connected", "error"}


def test_campaigns_prompt_versions_and_days_are_spread(default_world):
    calls = _calls(default_world)
    assert len({c["metadata"]["campaign_id"] for c in calls}) == 2
    assert len({c["metadata"]["prompt_version"] for c in calls}) == 2
    days = {dt.datetime.fromtimestamp(c["start_timestamp"] / 1000, dt.UTC).date() for c in calls}
    assert len(days) >= 10


def test_unconnected_calls_have_no_conversation(default_world):
    for g in default_world[1]:
        if g.call["call_status"] == "not_connected":
            assert g.call["transcript"] == "" and g.call["transcript_object"] == []
            assert g.call["call_cost"]["combined_cost"] == 0
            assert g.call["disconnection_reason"] in {"dial_no_answer", "dial_busy"}


def test_voicemail_flag_matches_the_scenario(default_world):
    for g in default_world[1]:
        assert g.call["call_analysis"]["in_voicemail"] == (g.scenario == "voicemail")


def test_numbers_are_fictional_and_everything_is_flagged_synthetic(default_world):
    clinics, generated = default_world
    phone_of = {c.lead_id: c.phone for c in clinics}
    for g in generated:
        call = g.call
        assert is_fictional(call["from_number"]) and is_fictional(call["to_number"])
        assert call["metadata"]["synthetic"] is True
        assert phone_of[call["metadata"]["lead_id"]] == call["to_number"]
        assert set(call["metadata"]) >= {"lead_id", "campaign_id", "prompt_version"}
    assert len({c.phone for c in clinics}) == len(clinics)
    assert all(is_fictional(c.phone) for c in clinics)


def test_a_lead_that_asked_not_to_be_called_is_never_called_again(default_world):
    dnc_at: dict[str, int] = {}
    for g in default_world[1]:  # sorted by start
        lead = g.call["metadata"]["lead_id"]
        assert lead not in dnc_at, f"{lead} called again after asking not to be"
        if g.expected_outcome == "dnc":
            dnc_at[lead] = g.call["start_timestamp"]
    assert dnc_at


def test_attempt_numbers_count_calls_per_lead(default_world):
    seen: Counter = Counter()
    for g in default_world[1]:
        lead = g.call["metadata"]["lead_id"]
        seen[lead] += 1
        assert g.call["metadata"]["attempt_number"] == seen[lead]


@pytest.mark.parametrize("n_calls", [0, 1, 5, 11, 37])
def test_small_worlds_are_valid(n_calls):
    from pipelines.synthetic import SyntheticConfig, generate_call_set

    generated = generate_call_set(SyntheticConfig.build(n_calls=n_calls, n_clinics=3))
    assert len(generated) == n_calls
    for g in generated:
        PhoneCallResponse.model_validate(g.call)
    if n_calls >= len(SCENARIOS):
        # a 3-lead world allows at most 2 do-not-call requests
        assert sum(g.expected_outcome == "dnc" for g in generated) <= 2
