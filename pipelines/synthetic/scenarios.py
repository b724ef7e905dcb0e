"""Conversation scenarios: every outcome a synthetic call can have, its rate, and its script.

A script is a list of steps — ``("agent", text)``, ``("user", text)`` or
``("tool", name, arguments)`` — built from the phrase banks with the call's own generator.
`SCENARIOS` holds the per-mille shares of all dials (realistic for cold calls to clinics);
`expected_outcome` is the `vocabulary.outcomes` value the journeys mapper must arrive at.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from pipelines.synthetic import phrases as P
from pipelines.synthetic.clinics import Clinic
from vocabulary.emails import speakable_email
from vocabulary.outcomes import Outcome

# scenario -> (per-mille rate, expected journey outcome)
SCENARIOS: dict[str, tuple[int, str]] = {
    "email_direct": (90, Outcome.EMAIL_CAPTURED.value),
    "email_generic_then_direct": (45, Outcome.EMAIL_CAPTURED.value),
    "email_generic": (35, Outcome.EMAIL_CAPTURED.value),
    "dnc": (45, Outcome.DNC.value),
    "dnc_after_email": (15, Outcome.DNC.value),
    "voicemail": (240, Outcome.VOICEMAIL.value),
    "not_interested": (140, Outcome.NOT_INTERESTED.value),
    "callback": (90, Outcome.CALLBACK.value),
    "no_answer": (200, Outcome.NO_ANSWER.value),
    "hang_up": (90, Outcome.OTHER.value),
    "error": (10, Outcome.OTHER.value),
}
SCENARIO_NAMES: tuple[str, ...] = tuple(SCENARIOS)
DNC_SCENARIOS = frozenset({"dnc", "dnc_after_email"})

Step = tuple  # ("agent"|"user", text) or ("tool", name, arguments)


def expected_outcome(scenario: str) -> str:
    return SCENARIOS[scenario][1]


@dataclass(frozen=True, slots=True)
class Script:
    steps: list[Step]
    disconnection_reason: str
    call_status: str = "ended"
    in_voicemail: bool = False
    captured_email: str = ""  # the address the caller gave last ("" if none)
    email_kind: str = ""  # direct | generic | ""


def spoken_email(rng: random.Random, address: str, clinic: Clinic) -> str:
    """A spoken rendering of ``address``: joined domain, domain as words, or spelled letters."""
    local, _, domain = address.partition("@")
    joined = speakable_email(address)
    forms = [joined]
    tld = domain.rsplit(".", 1)[-1]
    words = clinic.domain_words
    if "".join(words) + "." + tld == domain and len(words) <= 3 and all(w.isalpha() for w in words):
        local_spoken = joined.split(" at ", 1)[0]
        forms.append(f"{local_spoken} at {' '.join(words)} dot {tld}")
    if local.isalpha() and len(local) <= 6:
        forms.append(f"{' '.join(local)} at {joined.split(' at ', 1)[1]}")
    return rng.choice(forms)


class _Builder:
    def __init__(self, rng: random.Random, clinic: Clinic, prompt_version: str, to_number: str):
        self.rng = rng
        self.clinic = clinic
        self.prompt_version = prompt_version
        self.to_number = to_number
        self.steps: list[Step] = []
        self.objections: list[str] = []  # classes already raised (not repeated in one call)
        self.fields = {
            "name": clinic.name,
            "first": clinic.contact_first,
            "title": clinic.contact_title,
            "agent": P.AGENT_NAME,
            "company": P.AGENT_COMPANY,
        }

    def say(self, role: str, bank, **extra) -> None:
        text = self.rng.choice(bank)
        if "{" in text:
            text = text.format(**self.fields, **extra)
        self.line(role, text)

    def line(self, role: str, text: str) -> None:
        if self.steps and self.steps[-1][0] == role:
            # the same speaker keeps talking: one utterance, as Retell would transcribe it
            self.steps[-1] = (role, self.steps[-1][1] + " " + text)
        else:
            self.steps.append((role, text))

    def tool(self, name: str, **arguments) -> None:
        self.steps.append(("tool", name, arguments))

    def opening(self, engage: bool = True) -> None:
        """Pickup and opener; when ``engage``, the caller lets the agent go on (and maybe pitch)."""
        self.say("user", P.PICKUPS)
        self.say("agent", P.OPENERS[self.prompt_version])
        if engage:
            self.say("user", P.ENGAGED)
            self.say("agent", P.PITCHES)

    def objection(self, classes=P.OBJECTION_CLASSES_IN_EMAIL_CALLS) -> None:
        fresh = [c for c in classes if c not in self.objections] or list(classes)
        cls = self.rng.choice(fresh)
        lines, replies = P.OBJECTIONS[cls]
        self.say("user", lines)
        self.say("agent", replies)
        self.objections.append(cls)

    def maybe_objections(self, chance: float) -> None:
        for _ in range(2):
            if self.rng.random() < chance:
                self.objection()
        if self.rng.random() < 0.08:
            self.say("user", P.AI_QUESTIONS)
            self.say("agent", P.AI_ANSWERS)

    def give_email(self, bank, address: str) -> None:
        self.say("user", bank, email=address, spoken=spoken_email(self.rng, address, self.clinic))

    def readback(self, address: str) -> None:
        self.say("agent", P.READBACKS, spoken=speakable_email(address))

    def finish_friendly(self) -> None:
        if self.rng.random() < 0.7:
            self.say("user", P.THANKS_BYE)
        self.say("agent", P.AGENT_BYE)


def build_script(scenario: str, rng: random.Random, clinic: Clinic, prompt_version: str, to_number: str) -> Script:
    """The conversation of one call of ``scenario`` (deterministic in ``rng``)."""
    b = _Builder(rng, clinic, prompt_version, to_number)
    hangup = "user_hangup" if rng.random() < 0.35 else "agent_hangup"

    if scenario in ("email_direct", "email_generic_then_direct", "email_generic"):
        b.opening()
        b.maybe_objections(0.3)
        b.say("agent", P.ASK_EMAIL)
        if scenario == "email_direct":
            address, kind = clinic.direct_email, "direct"
            b.give_email(P.EMAIL_DIRECT_LINES, address)
        else:
            b.give_email(P.EMAIL_GENERIC_LINES, clinic.generic_email)
            b.say("agent", P.ASK_DIRECT)
            if scenario == "email_generic_then_direct":
                address, kind = clinic.direct_email, "direct"
                b.give_email(P.DIRECT_AFTER_GENERIC, address)
            else:
                address, kind = clinic.generic_email, "generic"
                b.say("user", P.KEEP_GENERIC)
        b.tool("log_outcome", outcome="email_captured", email=address, email_kind=kind)
        b.readback(address)
        b.finish_friendly()
        return Script(b.steps, hangup, captured_email=address, email_kind=kind)

    if scenario in DNC_SCENARIOS:
        b.opening(engage=scenario == "dnc_after_email")
        address = ""
        if scenario == "dnc_after_email":
            b.say("agent", P.ASK_EMAIL)
            address = clinic.direct_email if rng.random() < 0.6 else clinic.generic_email
            b.give_email(P.EMAIL_DIRECT_LINES, address)
            b.readback(address)
        elif rng.random() < 0.3:
            b.objection(("who_is_this",))
        b.say("user", P.DNC_REQUESTS)
        b.tool("mark_dnc", phone=to_number, reason="caller_request")
        b.say("agent", P.DNC_CONFIRMS)
        kind = ("generic" if address == clinic.generic_email else "direct") if address else ""
        return Script(b.steps, "agent_hangup", captured_email=address, email_kind=kind)

    if scenario == "voicemail":
        b.say("user", P.VOICEMAIL_GREETINGS)
        if rng.random() < 0.6:
            b.say("agent", P.VOICEMAIL_MESSAGES)
        return Script(b.steps, "voicemail_reached", in_voicemail=True)

    if scenario == "not_interested":
        b.opening()
        if rng.random() < 0.4:
            b.objection(("has_vendor", "price", "who_is_this"))
        b.say("user", P.NOT_INTERESTED)
        b.tool("log_outcome", outcome="not_interested")
        b.say("agent", P.GOODBYE_AFTER_REFUSAL)
        return Script(b.steps, hangup)

    if scenario == "callback":
        b.opening(engage=rng.random() < 0.4)
        line, when = rng.choice(P.CALLBACKS)
        b.line("user", line)
        b.tool("log_outcome", outcome="callback", callback_when=when)
        b.say("agent", P.CALLBACK_CONFIRMS, when=when)
        return Script(b.steps, hangup)

    if scenario == "no_answer":
        reason = rng.choices(("dial_no_answer", "dial_busy"), weights=(85, 15))[0]
        return Script([], reason, call_status="not_connected")

    if scenario == "hang_up":
        b.say("user", P.PICKUPS)
        b.say("agent", P.OPENERS[prompt_version])
        if rng.random() < 0.5:
            b.say("user", P.HANGUP_LINES)
        return Script(b.steps, "user_hangup")

    if scenario == "error":
        b.say("user", P.ERROR_LINES)
        reason = rng.choice(("error_llm_websocket_open", "error_llm_websocket_lost_connection", "error_unknown"))
        return Script(b.steps, reason, call_status="error")

    raise ValueError(f"unknown synthetic scenario {scenario!r}")
