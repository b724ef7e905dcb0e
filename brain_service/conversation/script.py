"""A call's script: the words of its pinned prompt version, one wording per line, and its parameters.

`CallScript.for_call(version, call_id)` resolves every editable line of a validated version document
(`vocabulary.prompt_versions`) to the wording this call hears: a line with challenger variants is
assigned by `contracts.prompt_assignment.assign_variant` (a stable hash of the call id salted with
the line key), so a call hears one wording of each line throughout and a reconnect hears the same.
A wording is a list of sentences used in turn when the line is said again (`say(key, n)`).

Compliance lines (AI disclosure, the answers to "are you a robot?", the do-not-call closes, the
call-window promise) are not here: they stay the constants of `brain_service/conversation/lines.py`.

`ScriptUse` wraps a script for one decision and remembers which lines it used, so the call record
can say which wording (variant id) each agent turn carried.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from brain_service.conversation.state import Stage
from contracts.prompt_assignment import assign_variant
from vocabulary.prompt_versions import iter_wordings

BASE_VARIANT = "base"
# the playbook stage whose question a line asks (the email stage asks `email_ask`)
STAGE_LINE = {
    Stage.OPEN: "open",
    Stage.ROUTING: "routing",
    Stage.PROBLEM: "problem",
    Stage.VALUE: "value",
    Stage.EMAIL: "email_ask",
}


@dataclass(frozen=True, slots=True)
class CallScript:
    version: str
    lines: Mapping[str, tuple[str, ...]]  # line key -> the sentences of the wording this call hears
    variants: Mapping[str, str]  # line key -> variant id, for the lines that have challengers
    ask_email_after: Stage = Stage.VALUE
    max_email_asks: int = 4
    max_turns: int = 24

    @classmethod
    def for_call(cls, document: Mapping[str, Any], call_id: str) -> CallScript:
        wordings: dict[str, dict[str, list[str]]] = {}
        for key, variant, _, text in iter_wordings(dict(document)):
            wordings.setdefault(key, {}).setdefault(variant, []).append(text)
        lines: dict[str, tuple[str, ...]] = {}
        variants: dict[str, str] = {}
        for key, by_variant in wordings.items():
            chosen = BASE_VARIANT
            if len(by_variant) > 1:
                chosen = assign_variant(call_id, key, sorted(by_variant))
                variants[key] = chosen
            lines[key] = tuple(by_variant[chosen])
        params = document.get("parameters", {})
        return cls(
            version=str(document["version"]),
            lines=lines,
            variants=variants,
            ask_email_after=Stage(params.get("ask_email_after", Stage.VALUE.value)),
            max_email_asks=int(params.get("max_email_asks", 4)),
            max_turns=int(params.get("max_turns", 24)),
        )

    def say(self, key: str, n: int = 0) -> str:
        """The ``n``-th use of line ``key`` (its sentences in turn)."""
        options = self.lines[key]
        return options[n % len(options)]

    def variant(self, key: str) -> str:
        return self.variants.get(key, BASE_VARIANT)

    def next_stage(self, stage: Stage) -> Stage:
        """The stage after ``stage``: the email ask comes right after `ask_email_after`."""
        order = (Stage.OPEN, Stage.ROUTING, Stage.PROBLEM, Stage.VALUE, Stage.EMAIL)
        if stage is Stage.EMAIL or stage not in order:
            return stage
        if stage is self.ask_email_after or order.index(stage) >= order.index(self.ask_email_after):
            return Stage.EMAIL
        return order[order.index(stage) + 1]


@dataclass(slots=True)
class ScriptUse:
    """One decision's view of the script: the same words, and the keys it used, in order."""

    script: CallScript
    used: list[str] = field(default_factory=list)

    def say(self, key: str, n: int = 0) -> str:
        if key not in self.used:
            self.used.append(key)
        return self.script.say(key, n)
