"""One simulated caller: a scripted persona and the hook that lets it react to what it hears.

A `SimPersona` is a list of caller lines played one per agent turn, plus how the phone is answered
(`dial`: answered, no_answer, busy, failed). `expect` is the outcome the brain's call record must
carry; `dnc_at` marks the line where the caller asks not to be called (compliance is checked there);
`ai_at` the lines where the caller asks, of either polarity, whether it is a machine or a person (the
reply must say it is an AI and never claim to be a person). Line tokens:

* ``<remind>`` — the caller stays silent (the simulator sends `reminder_required`);
* ``<barge:first|second>`` — a request superseded at once by a longer line (barge-in);
* ``<hangup>`` optionally followed by words — the caller says those words (may be cut mid-sentence)
  and hangs up (`user_hangup`).

`reaction(heard, planned, context)` decides each line: `heard` is what the agent just said, `planned`
the next scripted line (None once the script is spent), `context` the call so far. The default
plays the script and hangs up at its end; a subclass, or a `react` callable, can give a persona
hidden preferences (e.g. only gives an email when the agent mentions a price) — the hook a prompt
refinement loop uses. Return a line, a token, or None to hang up. All randomness comes from
`context.rng`, seeded per call, so a persona behaves the same for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

DialResult = Literal["answered", "no_answer", "busy", "failed"]

REMIND = "<remind>"
HANGUP = "<hangup>"
BARGE = "<barge:"


@dataclass
class CallContext:
    """What a persona may look at when it decides: the call, the transcript so far, its own rng."""

    call: dict[str, Any]
    rng: random.Random
    turn: int = 0
    transcript: list[dict[str, Any]] = field(default_factory=list)
    memory: dict[str, Any] = field(default_factory=dict)  # free scratch space for stateful personas


Reaction = Callable[["SimPersona", str, "str | None", CallContext], "str | None"]


@dataclass(frozen=True)
class SimPersona:
    name: str
    kind: str
    lines: tuple[str, ...]
    expect: str
    email: str | None = None
    dnc_at: int | None = None
    call: dict[str, Any] = field(default_factory=dict)
    ai_at: tuple[int, ...] = ()  # line indexes asking "machine or person?" (the reply must say AI)
    dial: DialResult = "answered"
    react: Reaction | None = field(default=None, compare=False, repr=False)

    def reaction(self, heard: str, planned: str | None, context: CallContext) -> str | None:
        """The caller's next line after hearing `heard`; None hangs up."""
        if self.react is not None:
            return self.react(self, heard, planned, context)
        return planned
