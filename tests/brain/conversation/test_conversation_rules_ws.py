"""Every deterministic rule over the real websocket (playbook mode), each with several phrasings.

The brain runs under uvicorn on a loopback port; a Retell-shaped client sends cumulative
transcripts. Each test also reads back the call record and validates it against the schema.
"""

from __future__ import annotations

import json

import pytest

DNC_PHRASES = [
    "Stop calling me.",
    "please remove me from your list",
    "take me off your list",
    "do not call this number again",
    "hang up and stop calling me",
    "Are you a robot? Stop calling me.",
    "Never call here again.",
    "put us on your do not call list",
]


def tool_names(reply) -> list[str]:  # type: ignore[no-untyped-def]
    return [f["name"] for f in reply.tools if f["response_type"] == "tool_call_invocation"]


async def test_greeting_names_persona_company_business_and_discloses_ai(brain, dial) -> None:
    call = await dial(brain, "call_greet", {"retell_llm_dynamic_variables": {"business_name": "Glow Spa"}})
    greeting = call.replies[0].text
    assert "Cassidy" in greeting and "Eve" in greeting and "Glow Spa" in greeting
    assert "AI" in greeting
    assert greeting.rstrip().endswith("?")
    assert ".Do" not in greeting and "  " not in greeting


async def test_greeting_without_disclosure_and_custom_persona(brain_with, dial) -> None:
    brain = brain_with(agent_disclose_ai_at_start=False, agent_persona_name="Riley", agent_company_name="Acme")
    call = await dial(brain)
    assert "Riley" in call.replies[0].text and "Acme" in call.replies[0].text
    assert "AI" not in call.replies[0].text


@pytest.mark.parametrize("phrase", DNC_PHRASES)
async def test_dnc_closes_politely_with_no_follow_up(brain, dial, data_dir, record_of, phrase: str) -> None:
    call = await dial(brain, f"call_dnc_{DNC_PHRASES.index(phrase)}")
    await call.say("Yep.")
    reply = await call.say(phrase)
    assert reply.end_call is True
    assert "won't call" in reply.text.lower() or "don't call" in reply.text.lower()
    names = tool_names(reply)
    assert "mark_dnc" in names and "log_call_outcome" in names
    assert "set_follow_up_plan" not in names
    logged = [json.loads(f["arguments"]) for f in reply.tools if f.get("name") == "log_call_outcome"]
    assert logged[0]["outcome"] == "dnc"
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "dnc"
    assert not any(t["name"] == "set_follow_up_plan" for t in record["tool_events"])


async def test_dnc_wins_over_a_pending_email(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain, "call_dnc_after_email")
    reply = await call.say("it's jane at glowspa dot com")
    assert "jane at glowspa dot com" in reply.text
    reply = await call.say("actually, you know what, stop calling us")
    assert reply.end_call and "set_follow_up_plan" not in tool_names(reply)
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "dnc" and record["email"] is None


async def test_dnc_after_the_goodbye_is_still_honoured(brain, dial) -> None:
    call = await dial(brain, "call_dnc_twice")
    first = await call.say("stop calling")
    again = await call.say("I said stop calling!")  # caller spoke over the goodbye: close again, no new tools
    assert first.end_call and again.end_call
    assert again.text.strip() and tool_names(again) == []


@pytest.mark.parametrize(
    "question",
    [
        "Are you a robot?",
        "AI?",
        "Am I talking to a human?",
        "is this a real person or AI?",
        "are you a bot",
        "Are you real?",
    ],
)
async def test_ai_question_gets_a_truthful_answer_then_continues(brain, dial, question: str) -> None:
    call = await dial(brain)
    reply = await call.say(question)
    assert "AI" in reply.text
    assert "human" not in reply.text.lower().replace("not a person", "")
    assert reply.end_call is False
    assert reply.text.rstrip().endswith("?")  # carries on with the current question


@pytest.mark.parametrize(
    ("spoken", "read_back"),
    [
        ("sure, it's jane at glow spa dot com", "jane at glowspa dot com"),
        ("j a n e at glowspa dot com", "jane at glowspa dot com"),
        ("jane underscore doe at glow dash spa dot co dot uk", "jane underscore doe at glow dash spa dot co dot uk"),
        ("send it to jane@glowspa.com", "jane at glowspa dot com"),
    ],
)
async def test_email_is_read_back_and_captured_on_yes(
    brain, dial, data_dir, record_of, spoken: str, read_back: str
) -> None:
    call = await dial(brain)
    reply = await call.say(spoken)
    assert read_back in reply.text and "right?" in reply.text
    assert "@" not in reply.text
    assert reply.end_call is False
    done = await call.say("Yes, that's right.")
    assert done.end_call is True and read_back in done.text
    assert set(tool_names(done)) == {"log_call_outcome", "set_follow_up_plan"}
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "email_captured"
    assert record["email"] == spoken.split("send it to ")[-1] if "@" in spoken else record["email"]
    assert record["email_confirmed"] is True and record["email_is_generic"] is False


@pytest.mark.parametrize("correction", ["No, that's wrong.", "nope", "not quite"])
async def test_email_correction_asks_again(brain, dial, data_dir, record_of, correction: str) -> None:
    call = await dial(brain)
    await call.say("it's jane at glowspa dot com")
    again = await call.say(correction)
    assert "spell" in again.text.lower() and again.end_call is False
    fixed = await call.say("j a y n e at glowspa dot com")
    assert "jayne at glowspa dot com" in fixed.text
    done = await call.say("yep")
    assert done.end_call
    await call.close()
    assert record_of(data_dir, call.call_id)["email"] == "jayne@glowspa.com"


async def test_correction_with_the_new_address_in_one_line(brain, dial) -> None:
    call = await dial(brain)
    await call.say("jane at glowspa dot com")
    fixed = await call.say("no, it's jayne at glowspa dot com")
    assert "jayne at glowspa dot com" in fixed.text and not fixed.end_call


@pytest.mark.parametrize("generic", ["info at glowspa dot com", "frontdesk@glowspa.com", "contact at glow spa dot com"])
async def test_generic_inbox_gets_one_push_then_a_direct_address(
    brain, dial, data_dir, record_of, generic: str
) -> None:
    call = await dial(brain)
    push = await call.say(generic)
    assert "direct" in push.text.lower() and not push.end_call
    reply = await call.say("oh sure, it's mary at glowspa dot com")
    assert "mary at glowspa dot com" in reply.text
    await call.say("yes")
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["email"] == "mary@glowspa.com" and record["email_is_generic"] is False


@pytest.mark.parametrize("decline", ["No, just use that one.", "that's the only one", "info at glowspa dot com"])
async def test_generic_inbox_is_accepted_the_second_time(brain, dial, data_dir, record_of, decline: str) -> None:
    call = await dial(brain)
    await call.say("info at glowspa dot com")
    reply = await call.say(decline)
    assert "info at glowspa dot com" in reply.text and "right?" in reply.text
    done = await call.say("yes")
    assert done.end_call
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "email_captured" and record["email"] == "info@glowspa.com"
    assert record["email_is_generic"] is True


@pytest.mark.parametrize(
    "greeting",
    [
        "Hi, you've reached Glow Spa. Please leave a message after the tone.",
        "Leave your name and number and we will call you back.",
        "You have reached the voicemail of Dr. Patel. Please leave a message.",
    ],
)
async def test_voicemail_leaves_a_short_message_and_ends(brain, dial, data_dir, record_of, greeting: str) -> None:
    call = await dial(brain)
    reply = await call.say(greeting)
    assert reply.end_call is True
    assert "Cassidy" in reply.text and len(reply.text.split()) <= 25
    await call.close()
    assert record_of(data_dir, call.call_id)["outcome"] == "voicemail"


async def test_empty_voicemail_message_hangs_up_without_words(brain_with, dial) -> None:
    brain = brain_with(agent_voicemail_message="")
    call = await dial(brain)
    reply = await call.say("Please leave a message after the beep.")
    assert reply.end_call is True and reply.text == ""


async def test_they_go_to_voicemail_is_a_person_not_a_machine(brain, dial) -> None:
    call = await dial(brain)
    await call.say("Yep.")
    await call.say("the owner does")
    reply = await call.say("They go to voicemail.")
    assert reply.end_call is False


@pytest.mark.parametrize("ack", ["Yep.", "Okay.", "Right.", "Mm-hmm.", "uh huh", "yeah", "sure"])
async def test_backchannels_after_a_question_are_answers_never_dead_air(brain, dial, ack: str) -> None:
    call = await dial(brain)
    reply = await call.say(ack)
    assert reply.text.strip() and reply.text.rstrip().endswith("?")
    assert "leads" in reply.text  # moved on to the routing question
    again = await call.say(ack)
    assert again.text.strip() and again.text != reply.text
    assert call.dead_air == 0


async def test_reminders_nudge_without_advancing(brain, dial) -> None:
    call = await dial(brain)
    routing = await call.say("Yep.")
    first = await call.remind()
    second = await call.remind()
    assert first.text.strip() and second.text.strip()
    assert "after hours" not in first.text and "after hours" not in second.text
    assert "leads" in second.text  # repeats the current (routing) question
    nxt = await call.say("the office manager does")
    assert "after hours" in nxt.text or "after you close" in nxt.text
    assert routing.text != nxt.text


async def test_noise_is_met_with_a_repeat_not_silence(brain, dial) -> None:
    call = await dial(brain)
    for noise in ["(unintelligible audio)", "um", ""]:
        reply = await call.say(noise)
        assert reply.text.startswith("Sorry, I missed that.")
    assert call.dead_air == 0


@pytest.mark.parametrize(
    ("line", "must_mention"),
    [
        ("I'm not the manager.", "email"),
        ("How much does it cost?", "email"),
        ("I'm really busy right now.", "email"),
        ("We already have an answering service.", "manager"),
        ("Who is this?", "Eve"),
        ("Not a good time.", "call back"),
        ("We're not interested.", "email"),
    ],
)
async def test_objections_steer_back_to_the_email(
    brain, dial, data_dir, record_of, line: str, must_mention: str
) -> None:
    call = await dial(brain)
    reply = await call.say(line)
    assert must_mention in reply.text and not reply.end_call
    await call.close()
    assert record_of(data_dir, call.call_id)["objections"]


async def test_not_interested_twice_closes_politely(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain)
    await call.say("Not interested.")
    reply = await call.say("No thanks, really not interested.")
    assert reply.end_call and "set_follow_up_plan" not in tool_names(reply)
    await call.close()
    assert record_of(data_dir, call.call_id)["outcome"] == "not_interested"


async def test_callback_time_is_recorded(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain)
    await call.say("It's a bad time.")
    reply = await call.say("Call back tomorrow at 3.")
    assert reply.end_call and "tomorrow at 3" in reply.text
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "callback" and record["callback_time"] == "tomorrow at 3"


async def test_decision_maker_name_is_recorded_and_used(brain, dial, data_dir, record_of) -> None:
    call = await dial(brain)
    await call.say("Yep.")
    reply = await call.say("You'd want to talk to Linda, she's the office manager.")
    assert "Linda" in reply.text and "email" in reply.text
    await call.close()
    assert record_of(data_dir, call.call_id)["decision_maker"] == "Linda"


async def test_superseded_request_does_not_advance_the_script_and_no_stale_frames(brain, dial) -> None:
    call = await dial(brain)
    reply = await call.barge("Yep", "Yep, go ahead.")
    assert "leads" in reply.text  # one stage forward, not two
    assert call.stale_frames == 0


async def test_same_response_id_twice_replays_without_new_side_effects(brain, dial) -> None:
    call = await dial(brain)
    call.transcript.append({"role": "user", "content": "stop calling me"})
    payload = json.dumps({"interaction_type": "response_required", "response_id": 5, "transcript": call.transcript})
    call.latest_requested = 5
    await call.ws.send(payload)
    first = await call._read_reply(5, 5.0)
    await call.ws.send(payload)
    second = await call._read_reply(5, 5.0)
    assert first.text == second.text and first.end_call and second.end_call
    assert "mark_dnc" in tool_names(first) and tool_names(second) == []


async def test_reconnect_resumes_instead_of_greeting_again(brain_with, dial, data_dir, record_of) -> None:
    brain = brain_with(brain_reconnect_grace_s=5)
    call = await dial(brain, "call_reconnect")
    await call.say("Yep.")
    await call.close()
    again = await dial(brain, "call_reconnect", expect_begin=False)
    again.transcript = list(call.transcript)
    again.next_id = call.next_id
    reply = await again.say("the owner handles that")
    assert "Hi," not in reply.text  # no second greeting: the script resumes where it was
    assert "after hours" in reply.text or "after you close" in reply.text
    await again.say("stop calling")
    await again.close()
    record = record_of(data_dir, "call_reconnect")
    assert record["reconnects"] >= 1 and record["outcome"] == "dnc"


@pytest.mark.parametrize(
    "details",
    [
        {"metadata": "not-a-dict", "retell_llm_dynamic_variables": ["x"]},
        {"metadata": {"lead_id": {"nested": 1}, "campaign_id": 7, "synthetic": "true"}},
        {"from_number": 12345, "to_number": None, "metadata": {"business_name": "x" * 5000}},
    ],
)
async def test_malformed_call_details_do_not_break_the_call(brain, dial, data_dir, record_of, details) -> None:
    call = await dial(brain, call=details)
    reply = await call.say("stop calling")
    assert reply.end_call
    await call.close()
    record = record_of(data_dir, call.call_id)
    assert record["outcome"] == "dnc"


async def test_record_carries_lead_campaign_prompt_and_latencies(brain, dial, data_dir, record_of) -> None:
    call = await dial(
        brain,
        "call_meta",
        {
            "metadata": {"lead_id": "lead_42", "campaign_id": "camp_7", "synthetic": True},
            "retell_llm_dynamic_variables": {"business_name": "Glow Spa", "contact_name": "Jen"},
        },
    )
    await call.say("Yep.")
    await call.say("jane at glowspa dot com")
    await call.say("correct")
    await call.close()
    record = record_of(data_dir, "call_meta")
    assert (record["lead_id"], record["campaign_id"], record["synthetic"]) == ("lead_42", "camp_7", True)
    assert record["business_name"] == "Glow Spa" and record["contact_name"] == "Jen"
    assert record["prompt_version"] == "builtin-v1" and record["persona"] == "Cassidy"
    roles = [t["role"] for t in record["turns"]]
    assert roles[:3] == ["agent", "user", "agent"] and roles.count("user") == 3
    assert [lat["response_id"] for lat in record["latencies"]] == [0, 1, 2, 3]
    assert all(lat["first_chunk_ms"] is not None for lat in record["latencies"])
    assert record["close_reason"] == "agent_end_call" and record["end_call_by_agent"] is True
    assert record["started_at"] <= record["ended_at"]
