"""Everything the deterministic playbook says, in one place (plain words, grade ≤ 8).

Lines are short, one idea each, and always steer back to the manager's email. Placeholders:
{persona}, {company}, {business}, {email} (already speakable), {name}, {time}.
`tests/brain/conversation/test_conversation_lines.py` checks every line's readability.
"""

from __future__ import annotations

GREETING = "Hi, this is {persona} with {company}."
GREETING_WITH_BUSINESS = "Hi, is this {business}? This is {persona} with {company}."
DISCLOSURE = "I'm an AI assistant."
OPENER_QUESTION = "Do you have a quick second?"
RESUME = "Sorry, we got cut off."

STAGE_QUESTIONS = {
    "open": ["Do you have a quick second?", "Is now an okay time for one quick question?"],
    "routing": ["Who handles new patient leads and follow up there?", "Who takes care of new leads for you?"],
    "problem": [
        "When someone calls after hours and gets voicemail, how fast do they hear back?",
        "What happens when a new lead calls after you close?",
    ],
    "value": [
        "We help clinics reply to new leads in under a minute, even after hours. Would a short summary help?",
        "We answer new leads in under a minute, day or night. Can I send you a short summary?",
    ],
    "email": [
        "What's the best email for the manager, so I can send a short summary?",
        "Where should I send it? What's the manager's email?",
        "Could I get the manager's email for that summary?",
    ],
}
ACK = ["Got it.", "Thanks.", "Great.", "Sure."]

# No "yes"/"no": the same words answer "are you a robot?" and "am I talking to a real person?".
AI_ANSWER = "I'm an AI assistant, not a person, calling for {company}."
AI_ANSWER_REPEAT = "I'm an AI, not a person."

DNC_CLOSE = "Understood. I'll make sure we don't call you again. Goodbye."
DNC_REPEAT_CLOSE = "Sure, we won't call again. Bye."

VOICEMAIL_DEFAULT = "Hi, this is {persona} from {company}. I'll try you again soon. Thanks, bye."

MISSED = "Sorry, I missed that."
REMINDER_FIRST = "Are you still there?"
REMINDER_AGAIN = "Sorry, I asked:"
REMINDER_CONFIRM = "Did I get that email right?"

READ_BACK = "Great, that's {email}. Did I get that right?"
READ_BACK_RECHECK = "Just to check, is it {email}?"
GENERIC_PUSH = "I can send it there. Is there a direct email for the manager, though?"
ASK_SPELL = "Sorry about that. Could you spell the email for me?"
ASK_SPELL_AGAIN = "My mistake. Could you say the email one more time, slowly?"
EMAIL_CAPTURED_CLOSE = "Perfect, I'll send a short summary to {email} today. Thanks so much, have a great day!"
GENERIC_DECLINED_READ_BACK = "No problem, I'll use {email}. Did I get that right?"

OBJECTION_LINES = {
    "not_decision_maker": [
        "No problem. Who's the best person for this, and what's their email?",
        "That's okay. Could you share the manager's email so I can send it there?",
    ],
    "not_interested": [
        "Totally fair. Could I just send a short summary to the manager's email?",
    ],
    "price": [
        "It depends on your call volume, so I'd put the numbers in a short email. What's the manager's email?",
        "I can send the pricing in writing. What's the best email for the manager?",
    ],
    "busy": [
        "I'll be quick. What's the best email to send a short summary to?",
        "No worries. Just the manager's email and I'll let you go.",
    ],
    "has_vendor": [
        "Good to hear. A lot of clinics compare us side by side. Could I send a short summary to the manager?",
        "Makes sense. What's the manager's email, so they can compare?",
    ],
    "bad_time": [
        "No problem. When's a better time to call back? Or I can just email a short summary.",
        "Sure. What time works better for a call back?",
    ],
    "who_is_this": [
        "I'm {persona}, an AI assistant with {company}. We help clinics answer new leads in under a minute. Who handles that for you?",
        "It's {persona} with {company}. We help clinics reply to new leads fast, even after hours.",
    ],
}
NOT_INTERESTED_CLOSE = "No problem at all. Thanks for your time, and have a good day."
CALLBACK_WINDOW_NOTED = "Got it, we won't call {time}."
CALLBACK_CLOSE = "Got it, I'll call back {time}. Thanks, talk soon!"
DECISION_MAKER_ASK = "Thanks. What's the best email for {name}?"
GIVE_UP_CLOSE = "No worries, I'll let you go. Thanks for your time, have a good day."
ALREADY_CLOSED = "Thanks again. Goodbye."
MAX_TURNS_CLOSE = "I'll let you go now. Thanks for your time, have a good day."
STALL_SENTENCE = "Anyway, what's the best email for the manager?"
