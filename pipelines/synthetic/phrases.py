"""Phrase banks of the synthetic conversations: what callers and the agent say.

Caller lines are chosen so the shared vocabularies recognise them — every objection line is
classified by `vocabulary.objections`, every do-not-call line by `vocabulary.intents.is_dnc_request`,
every answering-machine greeting by `is_voicemail_greeting` (the tests prove each one) — and no
other caller line trips those recognisers. Agent lines sometimes say "voicemail" in calls that
never reached one: a trap for any journey logic that reads the agent's words.

Placeholders: {name} business, {first} contact first name, {title} contact title, {when} callback
time, {email} literal address, {spoken} spoken address, {agent} agent name, {company} its company.
"""

from __future__ import annotations

AGENT_NAME = "Eve"
AGENT_COMPANY = "Lumen Reception"

PICKUPS = (
    "Hello?",
    "Hi, {name}, this is {first}.",
    "Thank you for calling {name}, how can I help you?",
    "Good morning, {name}.",
    "{name}, front desk.",
    "Hello, {name}, {first} speaking.",
)

# Openers per prompt version; the "voicemail" ones are the agent-word trap.
OPENERS = {
    "syn-v1": (
        "Hi, this is {agent} from {company}. We help clinics like {name} answer the patients who call after hours, so nobody ends up in voicemail. Do you have thirty seconds?",
        "Hi there, it's {agent} with {company}. Quick question, when a patient calls {name} after six, do they get a person or voicemail?",
        "Hi, this is {agent} from {company}, I'm an AI assistant calling about how {name} handles after-hours calls. Is now an okay time?",
    ),
    "syn-v2": (
        "Hi, it's {agent} from {company}, quick one: who handles the phones at {name} after hours?",
        "Hey, {agent} here from {company}. We book the patients who call {name} after hours. Got a second?",
        "Hi, {agent} from {company}. Do missed calls at {name} go to voicemail in the evenings?",
    ),
}

ENGAGED = (
    "Um, okay, go ahead.",
    "That would be me, I'm the {title}.",
    "Sure, I have a minute.",
    "They go to the answering machine, I think.",
    "Okay, what do you have?",
)

PITCHES = (
    "We answer every missed and after-hours call within a ring or two and book the consult straight into your calendar.",
    "Most clinics lose a few consults a week to missed calls. We pick those up live, day and night, and book them.",
    "We answer missed calls for you and text the patient back, so a voicemail never costs you a booking.",
)

ASK_EMAIL = (
    "What's the best email to send a one-page overview to?",
    "Could I send a short overview by email? What address should I use?",
    "Happy to keep it short. Where should I email the details?",
)

# Objection exchanges: (class, caller lines, agent replies). Classes are vocabulary.objections values.
OBJECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "price": (
        ("How much does it cost?", "What's the pricing on that?", "Sounds expensive, what does it run?"),
        (
            "It's a flat monthly fee that usually pays for itself with one or two booked consults. I can send the numbers.",
        ),
    ),
    "busy": (
        ("I'm with a patient, make it quick.", "We're slammed today, so quickly please.", "I'm really busy right now."),
        ("Totally, I'll be quick.", "Of course, thirty seconds."),
    ),
    "has_vendor": (
        (
            "We already have an answering service.",
            "We already use a receptionist service for that.",
            "We're under contract with another company.",
        ),
        ("Makes sense. Most of our clinics had one too; we catch the calls that still go to voicemail after hours.",),
    ),
    "who_is_this": (
        ("Sorry, who is this again?", "What company is this?", "Is this a sales call?"),
        ("It's {agent} from {company}. I'm an AI assistant, and I'm calling about after-hours call coverage.",),
    ),
    "not_decision_maker": (
        (
            "I'm not the manager, I just answer the phones.",
            "You'd need to talk to the owner about that.",
            "I can't make those decisions.",
        ),
        ("No problem, could I send a short overview you can pass along?",),
    ),
}
OBJECTION_CLASSES_IN_EMAIL_CALLS = ("price", "busy", "has_vendor", "who_is_this", "not_decision_maker")

AI_QUESTIONS = ("Wait, am I talking to a robot?", "Are you a real person?", "Is this an AI?")
AI_ANSWERS = ("Yes, I'm an AI assistant with {company}. I'll keep it short.",)

NOT_INTERESTED = (
    "We're not interested, thanks.",
    "No thanks, we're all set.",
    "Honestly, it's not for us.",
    "We don't need that, thank you.",
    "Not really interested.",
)
GOODBYE_AFTER_REFUSAL = ("Understood, thanks for your time. Have a great day.", "No problem at all. Take care.")

# Callback requests: objection classes bad_time / busy / not_decision_maker.
CALLBACKS = (
    ("I'm with a patient, can you call back tomorrow afternoon?", "tomorrow afternoon"),
    ("It's a bad time, try again next week.", "next week"),
    ("The owner isn't in today, call back Thursday morning.", "Thursday morning"),
    ("Can you call me back after lunch?", "after lunch"),
    ("Not a good time, could you call back later today?", "later today"),
)
CALLBACK_CONFIRMS = ("Of course, I'll call back {when}. Thanks!", "Sure thing, talk to you {when}.")

# Do-not-call requests (each recognised by vocabulary.intents.is_dnc_request).
DNC_REQUESTS = (
    "Please stop calling us.",
    "Take us off your list.",
    "Put us on your do not call list.",
    "Don't call this number again.",
    "Remove this number, please.",
    "Quit calling here.",
    "No more calls, please.",
    "Lose this number.",
    "We get these all the time, stop calling.",
    "Actually, you know what, take me off your list.",
)
DNC_CONFIRMS = (
    "Understood, I've removed this number and we won't call again. Sorry for the interruption.",
    "Of course. You won't hear from us again. Have a good day.",
)

VOICEMAIL_GREETINGS = (
    "Hi, you've reached {name}. We're with patients or closed right now. Please leave a message after the tone.",
    "Thank you for calling {name}. We are unable to take your call, please leave your name and number after the beep.",
    "You have reached the voicemail of {name}. Please leave a message and we'll call you back.",
)
VOICEMAIL_MESSAGES = (
    "Hi, this is {agent} from {company} calling for {name} about after-hours call coverage. I'll try you again soon, thanks!",
    "Hello, {agent} with {company} here. We help clinics answer patients after hours. I'll call back another time.",
)

HANGUP_LINES = ("Hello? Hello?", "Sorry, you're breaking up.", "Hang on... hello?")
ERROR_LINES = ("Hello?", "Hello? Anyone there?")

# How callers give an address: literal and spoken templates.
EMAIL_DIRECT_LINES = (
    "Sure, it's {email}.",
    "You can send it to {email}.",
    "Just send it over to {email}.",
    "Yeah, it's {spoken}.",
    "Send it to {spoken}, thanks.",
    "Okay, write this down, {spoken}.",
)
EMAIL_GENERIC_LINES = (
    "Just send it to {email}, that's our main inbox.",
    "Use {spoken}, everyone checks that one.",
    "We use {email} for everything.",
)
ASK_DIRECT = (
    "Thanks! Is there a direct address for whoever runs the front desk, so it doesn't get buried?",
    "Got it. Could I also get your direct email, so it reaches you and not a shared inbox?",
)
DIRECT_AFTER_GENERIC = (
    "Fine, send it to me directly, {email}.",
    "Okay, mine is {spoken}.",
    "Sure, it's {spoken}.",
)
KEEP_GENERIC = ("The main inbox is best, we all read it.", "I'd rather you use the general one.")
READBACKS = (
    "Perfect, that's {spoken}. I'll send it over today.",
    "Great, I have {spoken}. You'll see it in a few minutes.",
)
THANKS_BYE = ("Thanks, bye.", "Sounds good, bye.", "Okay, thank you.")
AGENT_BYE = ("Thanks {first}, have a great day!", "Thanks so much, take care!")
