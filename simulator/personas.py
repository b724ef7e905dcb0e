"""The caller catalogue: scripted front desks of clinics answering a cold call.

`PERSONAS` is the conversational set played by `make eval` (every one answers; `expect` is the
outcome the brain's call record must carry). `DIAL_PERSONAS` adds what only a phone network does:
no answer, busy, a caller who hangs up mid-sentence. `CATALOG` is both, the simulator's default
draw. Line tokens (``<remind>``, ``<barge:a|b>``, ``<hangup>``) are described in `simulator/persona.py`.
"""

from __future__ import annotations

from simulator.persona import SimPersona

P = SimPersona
PERSONAS: tuple[SimPersona, ...] = (
    # --- cooperative ---------------------------------------------------------------------------
    P(
        "cooperative_literal",
        "cooperative",
        ("Yeah, sure.", "Our office manager, Linda.", "Jane at glowspa dot com.", "Yes."),
        "email_captured",
        "jane@glowspa.com",
    ),
    P(
        "cooperative_backchannels",
        "cooperative",
        ("Yep.", "Okay.", "Right.", "Mm-hmm.", "sure, it's jane at glow spa dot com", "yep"),
        "email_captured",
        "jane@glowspa.com",
    ),
    P(
        "cooperative_fast_email",
        "cooperative",
        ("Sure, just send it to mike@brightsmile.com", "That's right."),
        "email_captured",
        "mike@brightsmile.com",
    ),
    P(
        "cooperative_dot_co_uk",
        "cooperative",
        ("Go ahead.", "Me, I guess.", "It's anna underscore lee at glow dash spa dot co dot uk", "correct"),
        "email_captured",
        "anna_lee@glow-spa.co.uk",
    ),
    P(
        "cooperative_dotted_name",
        "cooperative",
        ("Sure.", "jane dot doe at gmail dot com", "yes that's it"),
        "email_captured",
        "jane.doe@gmail.com",
    ),
    P(
        "cooperative_after_value",
        "cooperative",
        (
            "Yes.",
            "The owner does.",
            "They usually wait till morning.",
            "Yeah that would help.",
            "It's sam at smile dental dot com",
            "Yep, that's right.",
        ),
        "email_captured",
        "sam@smiledental.com",
    ),
    # --- spelled / spoken ------------------------------------------------------------------------
    P(
        "spelled_letters",
        "spelled",
        ("Okay.", "j a n e at glowspa dot com", "yes"),
        "email_captured",
        "jane@glowspa.com",
    ),
    P(
        "spelled_dashes",
        "spelled",
        ("Sure.", "It's K-A-T-E at luxe med spa dot com", "uh huh"),
        "email_captured",
        "kate@luxemedspa.com",
    ),
    P(
        "spelled_digits",
        "spelled",
        ("Yep.", "Try dr 2 at bright smile dot com", "Yes, correct."),
        "email_captured",
        "dr2@brightsmile.com",
    ),
    P(
        "spoken_at_sign",
        "spoken",
        ("Sure.", "lisa at sign aesthetics plus dot com", "yep"),
        "email_captured",
        "lisa@aestheticsplus.com",
    ),
    # --- generic inbox -------------------------------------------------------------------------------
    P(
        "generic_then_direct",
        "generic",
        ("Sure.", "Send it to info at glowspa dot com.", "Oh, okay, it's mary at glowspa dot com", "yes"),
        "email_captured",
        "mary@glowspa.com",
    ),
    P(
        "generic_twice_accepted",
        "generic",
        ("Okay.", "frontdesk@glowspa.com", "No, just use that one.", "Yes."),
        "email_captured",
        "frontdesk@glowspa.com",
    ),
    P(
        "generic_repeated",
        "generic",
        ("Yep.", "contact at derma clinic dot com", "contact at derma clinic dot com", "right"),
        "email_captured",
        "contact@dermaclinic.com",
    ),
    # --- corrections -------------------------------------------------------------------------------
    P(
        "correction_then_spell",
        "correction",
        ("Sure.", "jane at glowspa dot com", "No, that's wrong.", "j a y n e at glowspa dot com", "yes"),
        "email_captured",
        "jayne@glowspa.com",
    ),
    P(
        "correction_inline",
        "correction",
        ("Yep.", "It's jon at spa dot com", "no it's john at spa dot com", "yes"),
        "email_captured",
        "john@spa.com",
    ),
    # --- gatekeepers / not decision maker -----------------------------------------------------------
    P(
        "gatekeeper_gives_email",
        "gatekeeper",
        ("I'm just the receptionist.", "You'd have to email the manager, it's beth at glow dot com", "yes"),
        "email_captured",
        "beth@glow.com",
    ),
    P(
        "gatekeeper_names_manager",
        "gatekeeper",
        ("Yeah?", "You should talk to Dr. Patel.", "patel at smile care dot com", "that's right"),
        "email_captured",
        "patel@smilecare.com",
    ),
    P(
        "not_decision_maker_callback",
        "not_decision_maker",
        (
            "I'm not the owner.",
            "She's not in. Call back tomorrow at 3.",
        ),
        "callback",
    ),
    P("gatekeeper_no_email", "gatekeeper", ("We don't give out emails.", "No.", "No.", "No.", "No."), "not_interested"),
    # --- objections ------------------------------------------------------------------------------------
    P(
        "price_push",
        "price",
        ("How much does it cost?", "Just tell me the price.", "Fine, send it to ops at glowspa dot com", "yes"),
        "email_captured",
        "ops@glowspa.com",
    ),
    P(
        "busy_then_email",
        "busy",
        ("I'm really busy right now.", "ok it's tina at skin lab dot com", "yes"),
        "email_captured",
        "tina@skinlab.com",
    ),
    P(
        "has_vendor",
        "vendor",
        ("We already have an answering service.", "I guess, it's amy at glow dot com", "Yep."),
        "email_captured",
        "amy@glow.com",
    ),
    P(
        "who_is_this",
        "who",
        ("Who is this?", "Okay.", "The owner.", "ron at ron dental dot com", "yes"),
        "email_captured",
        "ron@rondental.com",
    ),
    P("bad_time_callback", "bad_time", ("It's a bad time.", "Try me next week."), "callback"),
    P("not_interested_twice", "not_interested", ("Not interested.", "No thanks, really."), "not_interested"),
    P(
        "angry_not_interested",
        "angry",
        ("Ugh, what now?", "We're not interested!", "I said no thank you."),
        "not_interested",
    ),
    # --- AI questions ---------------------------------------------------------------------------------------
    P(
        "robot_question_then_email",
        "robot",
        ("Are you a robot?", "Okay, fine.", "jane at glowspa dot com", "yes"),
        "email_captured",
        "jane@glowspa.com",
        ai_at=(0,),
    ),
    P(
        "ai_short_question",
        "robot",
        ("AI?", "Huh. Okay.", "Send it to leo at clinic one dot com", "yes"),
        "email_captured",
        "leo@clinicone.com",
        ai_at=(0,),
    ),
    P(
        "human_question",
        "robot",
        ("Am I talking to a human?", "Is this a real person or AI?", "stop calling"),
        "dnc",
        dnc_at=2,
        ai_at=(0, 1),
    ),
    # the same question asked the other way round ("a real person?") gets the same truthful answer
    P(
        "real_person_question_then_email",
        "robot",
        ("Am I talking to a real person?", "Okay, sure.", "The owner, Dana.", "dana at bright smile dot com", "yes"),
        "email_captured",
        "dana@brightsmile.com",
        ai_at=(0,),
    ),
    P(
        "live_human_question_not_interested",
        "robot",
        ("Is this a live human?", "Hm. We're not interested.", "No thanks."),
        "not_interested",
        ai_at=(0,),
    ),
    P(
        "actual_person_statement_then_email",
        "robot",
        ("Sure.", "You're an actual person, right?", "Okay. Send it to mo at clinic one dot com", "yes"),
        "email_captured",
        "mo@clinicone.com",
        ai_at=(1,),
    ),
    P(
        "someone_real_question_twice",
        "robot",
        (
            "Is there a real person on the line?",
            "Wait, so am I speaking to someone real?",
            "Fine. The manager.",
            "It's kim at glow spa dot com",
            "correct",
        ),
        "email_captured",
        "kim@glowspa.com",
        ai_at=(0, 1),
    ),
    P(
        "asks_for_a_human_then_dnc",
        "robot",
        ("Can I talk to a real person?", "Then stop calling us."),
        "dnc",
        dnc_at=1,
        ai_at=(0,),
    ),
    # --- scheduling constraints: a callback preference, never a do-not-call ------------------------------
    P(
        "schedule_constraint_callback",
        "schedule",
        ("Yeah.", "Just don't call us during lunch.", "The owner.", "Not sure."),
        "callback",
    ),
    P(
        "schedule_constraint_then_email",
        "schedule",
        ("Okay.", "Sure, but don't call before noon.", "jane at glowspa dot com", "yes"),
        "email_captured",
        "jane@glowspa.com",
    ),
    P(
        "schedule_constraint_then_real_opt_out",
        "schedule",
        ("Sure.", "Don't call on Mondays.", "Actually, just take us off your list."),
        "dnc",
        dnc_at=2,
    ),
    # --- silence / noise ------------------------------------------------------------------------------------
    P(
        "silence_then_answer",
        "silence",
        ("<remind>", "<remind>", "Sorry, yes?", "The manager.", "eva at spa dot com", "yes"),
        "email_captured",
        "eva@spa.com",
    ),
    P(
        "noise_then_answer",
        "silence",
        ("(unintelligible audio)", "um", "Yeah, go ahead.", "max at glow dot com", "yes"),
        "email_captured",
        "max@glow.com",
    ),
    P(
        "hello_hello",
        "silence",
        ("Hello?", "Hello? Who's this?", "Oh, okay.", "It's zoe at derm dot com", "yes"),
        "email_captured",
        "zoe@derm.com",
    ),
    P(
        "barge_in",
        "barge",
        ("<barge:Yep|Yep, go ahead.>", "the owner", "<barge:send it to|send it to nina at glow dot com>", "yes"),
        "email_captured",
        "nina@glow.com",
    ),
    # --- voicemail --------------------------------------------------------------------------------------------
    P(
        "voicemail_tone",
        "voicemail",
        ("Hi, you've reached Glow Spa. Please leave a message after the tone.",),
        "voicemail",
    ),
    P("voicemail_beep", "voicemail", ("Leave your name and number after the beep.",), "voicemail"),
    P("voicemail_mailbox_full", "voicemail", ("The mailbox is full and cannot accept messages.",), "voicemail"),
    # --- do-not-call in many phrasings ----------------------------------------------------------------------------
    P("dnc_stop_calling", "dnc", ("Stop calling me.",), "dnc", dnc_at=0),
    P(
        "dnc_remove_me",
        "dnc",
        (
            "Yeah?",
            "Remove me from your list.",
        ),
        "dnc",
        dnc_at=1,
    ),
    P("dnc_take_off_list", "dnc", ("Take us off your list, please.",), "dnc", dnc_at=0),
    P(
        "dnc_do_not_call",
        "dnc",
        (
            "Sure.",
            "Actually, do not call this number again.",
        ),
        "dnc",
        dnc_at=1,
    ),
    P("dnc_hang_up", "dnc", ("Hang up and stop calling me.",), "dnc", dnc_at=0),
    P("dnc_robot_combo", "dnc", ("Are you a robot? Stop calling me.",), "dnc", dnc_at=0),
    P(
        "dnc_after_email",
        "dnc",
        (
            "Sure.",
            "jane at glowspa dot com",
            "Wait, no. Stop calling us.",
        ),
        "dnc",
        dnc_at=2,
    ),
    P(
        "dnc_never_again",
        "dnc",
        (
            "Who is this?",
            "Never call here again.",
        ),
        "dnc",
        dnc_at=1,
    ),
    P("dnc_leave_alone", "dnc", ("Leave us alone!",), "dnc", dnc_at=0),
    P("dnc_put_on_list", "dnc", ("Put me on your do not call list.",), "dnc", dnc_at=0),
    P(
        "dnc_angry",
        "dnc",
        (
            "I'm busy.",
            "I SAID STOP CALLING!",
        ),
        "dnc",
        dnc_at=1,
    ),
    P(
        "dnc_no_more_calls",
        "dnc",
        (
            "Okay.",
            "The owner.",
            "We don't want any more calls.",
        ),
        "dnc",
        dnc_at=2,
    ),
)

# Only the phone network produces these; `make eval` (which needs a brain record per persona) skips them.
DIAL_PERSONAS: tuple[SimPersona, ...] = (
    P("no_answer", "no_answer", (), "no_answer", dial="no_answer"),
    P("line_busy", "busy_line", (), "busy", dial="busy"),
    P("hangs_up_mid_sentence", "hangup", ("Yeah?", "<hangup>Sorry, I have to"), "hangup"),
    P("hangs_up_at_once", "hangup", ("<hangup>",), "hangup"),
)

CATALOG: tuple[SimPersona, ...] = PERSONAS + DIAL_PERSONAS
