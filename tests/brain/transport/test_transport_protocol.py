"""Wire format: parsing every inbound type and building every outbound type, with strict types."""

from __future__ import annotations

import json

import pytest

from brain_service.transport import protocol


def test_parse_every_interaction_type():
    assert (
        protocol.parse_inbound('{"interaction_type":"ping_pong","timestamp":1730000000000}').timestamp == 1730000000000
    )
    details = protocol.parse_inbound(
        '{"interaction_type":"call_details","call":{"call_id":"c","metadata":{"lead_id":"L"}}}'
    )
    assert details.call["metadata"] == {"lead_id": "L"}
    update = protocol.parse_inbound(
        '{"interaction_type":"update_only","transcript":[{"role":"user","content":"Hello","words":[{"word":"Hello","start":0.1,"end":0.4}]}],"turntaking":"user_turn"}'
    )
    assert update.turntaking == "user_turn" and update.transcript[0].content == "Hello"
    request = protocol.parse_inbound(
        '{"interaction_type":"response_required","response_id":7,"transcript":[{"role":"user","content":"Pricing?"}],"new_field":1}'
    )
    assert (request.kind, request.response_id, request.transcript[0].role) == ("response", 7, "user")
    reminder = protocol.parse_inbound('{"interaction_type":"reminder_required","response_id":8,"transcript":[]}')
    assert (reminder.kind, reminder.response_id) == ("reminder", 8)
    assert isinstance(protocol.parse_inbound('{"interaction_type":"clear"}'), protocol.UnknownFrame)


def test_transcript_is_bounded_and_words_optional():
    entries = [
        {"role": "user", "content": str(i), "words": [{"word": str(i), "start": 0, "end": 1}]} for i in range(50)
    ]
    transcript, bad = protocol.parse_transcript(entries, 10, keep_words=False)
    assert [u.content for u in transcript] == [str(i) for i in range(40, 50)] and bad == 0
    assert transcript[0].words == ()
    transcript, _ = protocol.parse_transcript(entries, 10, keep_words=True)
    assert transcript[0].words == ({"word": "40", "start": 0, "end": 1},)


def test_update_only_is_recognised_without_parsing():
    assert protocol.looks_like_update_only('{"interaction_type":"update_only","transcript":[]}')
    assert protocol.looks_like_update_only('{ "interaction_type" : "update_only" , "transcript": []}')
    assert not protocol.looks_like_update_only('{"transcript":[],"interaction_type":"update_only"}')
    assert not protocol.looks_like_update_only('{"interaction_type":"update_only_v2"}')
    assert not protocol.looks_like_update_only('{"interaction_type":"response_required","response_id":1}')
    text = '{"interaction_type":"update_only","transcript":[{"role":"user","content":"say \\"turntaking\\": \\"user_turn\\""}]}'
    assert protocol.scan_turntaking(text) is None  # quoted inside content, not a key
    assert (
        protocol.scan_turntaking('{"interaction_type":"update_only","transcript":[],"turntaking":"user_turn"}')
        == "user_turn"
    )


def test_every_outbound_type_matches_the_protocol():
    assert json.loads(
        protocol.config_frame(auto_reconnect=True, call_details=True, transcript_with_tool_calls=True)
    ) == {
        "response_type": "config",
        "config": {"auto_reconnect": True, "call_details": True, "transcript_with_tool_calls": True},
    }
    assert json.loads(protocol.ping_frame(1730000000123)) == {"response_type": "ping_pong", "timestamp": 1730000000123}
    assert json.loads(protocol.response_frame(7, "Got it.", False)) == {
        "response_type": "response", "response_id": 7, "content": "Got it.", "content_complete": False,
    }  # fmt: skip
    full = json.loads(
        protocol.response_frame(
            7,
            "",
            True,
            no_interruption_allowed=True,
            end_call=False,
            transfer_number="+15550001111",
            digit_to_press="1",
            show_transferee_as_caller=True,
        )
    )
    assert (
        full["transfer_number"] == "+15550001111"
        and full["show_transferee_as_caller"] is True
        and full["digit_to_press"] == "1"
    )
    assert json.loads(protocol.agent_interrupt_frame(10, "Hold on", False, no_interruption_allowed=True)) == {
        "response_type": "agent_interrupt", "interrupt_id": 10, "content": "Hold on", "content_complete": False, "no_interruption_allowed": True,
    }  # fmt: skip
    assert json.loads(
        protocol.update_agent_frame(
            responsiveness=0.8, interruption_sensitivity=0.5, reminder_trigger_ms=15000, reminder_max_count=2
        )
    ) == {
        "response_type": "update_agent",
        "agent_config": {
            "responsiveness": 0.8,
            "interruption_sensitivity": 0.5,
            "reminder_trigger_ms": 15000,
            "reminder_max_count": 2,
        },
    }
    assert json.loads(protocol.tool_call_invocation_frame("t1", "get_pricing", {"service_id": "general"})) == {
        "response_type": "tool_call_invocation", "tool_call_id": "t1", "name": "get_pricing", "arguments": '{"service_id":"general"}',
    }  # fmt: skip
    assert json.loads(protocol.tool_call_result_frame("t1", '{"price_usd":120}')) == {
        "response_type": "tool_call_result", "tool_call_id": "t1", "content": '{"price_usd":120}',
    }  # fmt: skip
    assert json.loads(protocol.metadata_frame({"k": "v", "n": 1})) == {
        "response_type": "metadata",
        "metadata": {"k": "v", "n": 1},
    }
    assert json.loads(protocol.response_frame(1, "café ✓", False))["content"] == "café ✓"


@pytest.mark.parametrize(
    "build",
    [
        lambda: protocol.response_frame(1, "x", "true"),
        lambda: protocol.response_frame("1", "x", True),
        lambda: protocol.response_frame(True, "x", True),
        lambda: protocol.response_frame(1, None, True),
        lambda: protocol.response_frame(1, "x", True, end_call="yes"),
        lambda: protocol.agent_interrupt_frame(1.5, "x", True),
        lambda: protocol.ping_frame("1"),
        lambda: protocol.config_frame(auto_reconnect=1),
        lambda: protocol.tool_call_result_frame("t", "c", successful="no"),
    ],
)
def test_builders_reject_wrong_types(build):
    with pytest.raises(TypeError):
        build()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"responsiveness": 1.5},
        {"interruption_sensitivity": -0.1},
        {"reminder_trigger_ms": 0},
        {"reminder_max_count": -1},
    ],
)
def test_update_agent_rejects_out_of_range(kwargs):
    with pytest.raises(ValueError):
        protocol.update_agent_frame(**kwargs)


def test_word_timings_are_cut_before_decoding_without_changing_the_result():
    entries = [
        {"role": "agent", "content": "Hi, is this the clinic?", "words": [{"word": "Hi,", "start": 0.1, "end": 0.3}]},
        {"words": [{"word": "yes", "start": 1.0, "end": 1.2}], "role": "user", "content": "yes"},
        {"role": "user", "content": 'tricky "words": [1] inside', "words": [{"word": "a]b", "start": 2, "end": 3}]},
        {"role": "user", "content": "nested", "words": [{"word": "x", "alt": ["y", "z"]}, {"word": "w"}]},
        {"role": "user", "content": "empty", "words": []},
    ]
    text = json.dumps({"interaction_type": "response_required", "response_id": 3, "transcript": entries})
    fast = protocol.parse_inbound(text, keep_words=False)
    assert [(u.role, u.content) for u in fast.transcript] == [(e["role"], e["content"]) for e in entries]
    kept = protocol.parse_inbound(text, keep_words=True)
    assert kept.transcript[3].words == ({"word": "x", "alt": ["y", "z"]}, {"word": "w"})
