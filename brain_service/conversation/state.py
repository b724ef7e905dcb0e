"""Per-call conversation state: the playbook stage and what the caller has told us so far.

`CallState` is a small value object; the policy returns a new one per turn, and the call
commits it only once the turn actually started speaking (a superseded request changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    OPEN = "open"  # greeting asked "do you have a quick second?"
    ROUTING = "routing"  # who handles new leads / follow-up
    PROBLEM = "problem"  # what happens to after-hours calls
    VALUE = "value"  # reply in under a minute, even after hours
    EMAIL = "email"  # ask for the manager's email
    CONFIRM_EMAIL = "confirm_email"  # read back, waiting for yes / correction
    CLOSED = "closed"  # said goodbye with end_call


STAGE_ORDER: tuple[Stage, ...] = (Stage.OPEN, Stage.ROUTING, Stage.PROBLEM, Stage.VALUE, Stage.EMAIL)


def next_stage(stage: Stage) -> Stage:
    if stage in STAGE_ORDER and stage is not Stage.EMAIL:
        return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]
    return stage


@dataclass(frozen=True, slots=True)
class CallState:
    stage: Stage = Stage.OPEN
    greeted: bool = False
    agent_turns: int = 0
    user_turns_seen: int = 0
    pending_email: str | None = None  # read back, awaiting confirmation
    generic_candidate: str | None = None  # a shared inbox offered before we asked for a direct one
    generic_asked: bool = False
    email: str | None = None  # confirmed
    email_corrections: int = 0
    email_asks: int = 0
    objections: tuple[str, ...] = ()
    objection_counts: tuple[tuple[str, int], ...] = ()
    callback_time: str | None = None
    callback_window: str | None = None  # when not to call, as said ("before noon", "on Mondays")
    decision_maker: str | None = None
    ai_disclosed: bool = False
    outcome: str | None = None  # a hard outcome decided in-call (vocabulary.outcomes)
    close_kind: str | None = None  # why we closed: dnc, voicemail, email, callback, not_interested, max_turns
    reminders_in_row: int = 0
    noise_in_row: int = 0
    tools_done: tuple[str, ...] = field(default=())

    def evolve(self, **changes: Any) -> CallState:
        return replace(self, **changes)

    def objection_count(self, name: str) -> int:
        return dict(self.objection_counts).get(name, 0)

    def with_objection(self, name: str) -> CallState:
        counts = dict(self.objection_counts)
        counts[name] = counts.get(name, 0) + 1
        objections = self.objections if name in self.objections else (*self.objections, name)
        return self.evolve(objections=objections, objection_counts=tuple(sorted(counts.items())))
