"""Call outcomes: the one vocabulary the brain records and the journeys assets resolve.

`OUTCOME_PRECEDENCE` is the fixed order in which a call's outcome is decided when several
signals are present (a caller who gave an email and then said "stop calling" is `dnc`).
`callback` covers both a time to call back ("tomorrow at 3") and a window not to call in ("don't
call before noon", `vocabulary.call_windows`) — a scheduling constraint is never `dnc`.
`interrupted` is a call the brain finished from its journal after a crash (no reconnect came):
it ranks below every business outcome, so an email, a do-not-call or a callback said before the
crash is still the outcome; it only says "we do not know how this call would have ended".
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    DNC = "dnc"
    EMAIL_CAPTURED = "email_captured"
    CALLBACK = "callback"
    NOT_INTERESTED = "not_interested"
    VOICEMAIL = "voicemail"
    INTERRUPTED = "interrupted"
    NO_ANSWER = "no_answer"
    OTHER = "other"


# Highest precedence first.
OUTCOME_PRECEDENCE: tuple[Outcome, ...] = (
    Outcome.DNC,
    Outcome.EMAIL_CAPTURED,
    Outcome.CALLBACK,
    Outcome.NOT_INTERESTED,
    Outcome.VOICEMAIL,
    Outcome.INTERRUPTED,
    Outcome.NO_ANSWER,
    Outcome.OTHER,
)

OUTCOME_RANK: dict[str, int] = {o.value: i for i, o in enumerate(OUTCOME_PRECEDENCE)}

# Lead statuses derived from outcomes (marts.lead_status).
LEAD_STATUSES: tuple[str, ...] = ("dnc", "email_captured", "not_interested", "callback", "open")


def resolve_outcome(candidates: set[str] | list[str] | tuple[str, ...]) -> Outcome:
    """The highest-precedence outcome among ``candidates`` (unknown values are ignored)."""
    best: Outcome = Outcome.OTHER
    for value in candidates:
        rank = OUTCOME_RANK.get(str(value))
        if rank is not None and rank < OUTCOME_RANK[best.value]:
            best = OUTCOME_PRECEDENCE[rank]
    return best


def is_outcome(value: object) -> bool:
    return isinstance(value, str) and value in OUTCOME_RANK
