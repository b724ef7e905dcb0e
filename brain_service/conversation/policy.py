"""The deterministic layer: decides every turn's action and its playbook words, before any model.

Precedence on a caller line (first match wins):

1. do-not-call (`vocabulary.intents.is_dnc_request`) -> polite close, `end_call`, outcome `dnc`,
   `mark_dnc` + `log_call_outcome`, and never a follow-up plan;
2. an answering machine's greeting (early in the call) -> voicemail message, `end_call`;
3. noise / unintelligible -> "Sorry, I missed that." + the current question (no advance);
4. an email (literal or spoken) or a pending read-back -> read back / confirm / generic inbox rule;
5. "are you a robot?" / "am I talking to a real person?" (`vocabulary.ai_questions`) -> the same
   truthful answer whatever the polarity, then the current question;
5b. "don't call before noon / on Mondays / during lunch" (`vocabulary.call_windows`) is a callback
   preference, not a do-not-call: it is recorded as the call's `callback_window` (outcome `callback`
   when nothing better happens; noted before rule 4 so an email in the same line never loses it),
   acknowledged, and the conversation carries on;
6. an objection class (`vocabulary.objections`) -> its line, steering back to the email;
7. yes / backchannel / anything else -> advance one playbook stage.

The words come from the call's script (`ctx.script`, the pinned prompt version's wording of each
line: `brain_service/conversation/script.py`) and its parameters (`ask_email_after`,
`max_email_asks`, `max_turns`); compliance lines are the constants of `lines.py`. Each `Decision`
names the script lines it used (`line_keys`), so the call record can say which wording was spoken.

`decide` is pure: it returns a `Decision` with the lines, the new `CallState`, the tools to log and
whether a model may re-phrase the lines (`model_goal` set) — hard outcomes are never model-phrased.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from brain_service.conversation import lines as L
from brain_service.conversation.script import STAGE_LINE, CallScript, ScriptUse
from brain_service.conversation.signals import (
    find_callback_time,
    find_decision_maker,
    is_affirmative,
    is_backchannel,
    is_greeting_only,
    is_negative,
    is_noise,
)
from brain_service.conversation.state import CallState, Stage
from brain_service.conversation_contract import TurnRequest
from vocabulary.ai_questions import is_ai_question
from vocabulary.call_windows import find_call_window, without_call_windows
from vocabulary.emails import find_email, is_generic_email, speakable_email
from vocabulary.intents import is_dnc_request, is_voicemail_greeting
from vocabulary.objections import Objection, classify_objection
from vocabulary.outcomes import Outcome
from vocabulary.prompt_versions import builtin_version

VOICEMAIL_WINDOW_USER_TURNS = 2
BUILTIN_SCRIPT = CallScript.for_call(builtin_version(), "")


@dataclass(frozen=True, slots=True)
class PersonaContext:
    persona: str = "Cassidy"
    company: str = "Eve"
    business: str | None = None
    contact: str | None = None
    disclose_at_start: bool = True
    voicemail_message: str | None = None  # None: the script's `voicemail` line; "": hang up silently
    max_turns: int = 24  # the operator's ceiling; the script's `max_turns` applies when lower
    script: CallScript = BUILTIN_SCRIPT
    words: ScriptUse | None = None  # set by `decide` for one decision

    def say(self, key: str, n: int = 0) -> str:
        """Line ``key`` of the script (its ``n``-th sentence), noted as used by this decision."""
        return self.words.say(key, n) if self.words is not None else self.script.say(key, n)

    def fill(self, line: str, **extra: str) -> str:
        values = {"persona": self.persona, "company": self.company, "business": self.business or "your clinic"}
        values.update(extra)
        return line.format(**values)


@dataclass(frozen=True, slots=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.name}:{self.arguments.get('outcome', '')}"


@dataclass(frozen=True, slots=True)
class Decision:
    action: str  # rule that fired, e.g. "dnc", "read_back", "stage:routing"
    lines: tuple[str, ...]  # the playbook's words (also the fallback for a model turn)
    state: CallState
    end_call: bool = False
    tools: tuple[ToolCall, ...] = field(default=())
    model_goal: str | None = None  # set: a model may phrase this turn toward this goal
    line_keys: tuple[str, ...] = ()  # the script lines this decision used, in order


def _stage_question(state: CallState, ctx: PersonaContext, n: int | None = None) -> str:
    stage = state.stage if state.stage in STAGE_LINE else Stage.EMAIL
    index = state.email_asks if stage is Stage.EMAIL and n is None else (n or 0)
    return ctx.fill(ctx.say(STAGE_LINE[stage], index))


def _outcome_tool(outcome: Outcome, state: CallState, **extra: Any) -> ToolCall:
    args: dict[str, Any] = {
        "outcome": outcome.value,
        "email": state.email,
        "callback_time": state.callback_time,
        "callback_window": state.callback_window,
        "decision_maker": state.decision_maker,
        "objection": state.objections[-1] if state.objections else None,
    }
    args.update(extra)
    return ToolCall("log_call_outcome", args)


def greeting(state: CallState, ctx: PersonaContext) -> Decision:
    if state.greeted:  # a reconnect re-asked for the begin message: resume, never re-greet
        current = ctx.say("reminder_confirm") if state.stage is Stage.CONFIRM_EMAIL else _stage_question(state, ctx)
        return Decision("resume", (ctx.say("resume"), current), state.evolve(agent_turns=state.agent_turns + 1))
    first = ctx.fill(ctx.say("greeting_with_business" if ctx.business else "greeting"))
    out = [first]
    if ctx.disclose_at_start:
        out.append(L.DISCLOSURE)
    out.append(ctx.fill(ctx.say("opener")))
    new = state.evolve(greeted=True, agent_turns=1, ai_disclosed=ctx.disclose_at_start or state.ai_disclosed)
    return Decision("greeting", tuple(out), new)


def reminder(state: CallState, ctx: PersonaContext) -> Decision:
    """Caller silent: a nudge on the current question; never advances the playbook."""
    base = state.evolve(reminders_in_row=state.reminders_in_row + 1, agent_turns=state.agent_turns + 1)
    if state.stage is Stage.CLOSED:
        return _already_closed(state, ctx)
    if state.stage is Stage.CONFIRM_EMAIL:
        return Decision("reminder", (ctx.say("reminder_confirm"),), base)
    if state.reminders_in_row == 0:
        return Decision("reminder", (ctx.say("reminder_first"),), base)
    return Decision("reminder", (ctx.say("reminder_again"), _stage_question(state, ctx)), base)


def _already_closed(state: CallState, ctx: PersonaContext) -> Decision:
    """We already said goodbye (the caller spoke over it, so Retell dropped the hang-up): close again."""
    line = L.DNC_REPEAT_CLOSE if state.outcome == Outcome.DNC.value else ctx.say("already_closed")
    return Decision("reclose", (line,), state.evolve(agent_turns=state.agent_turns + 1), end_call=True)


def decide(state: CallState, request: TurnRequest, ctx: PersonaContext) -> Decision:
    """The action and words for one turn (pure), with the script lines it used."""
    words = ScriptUse(ctx.script)
    decision = _decide(state, request, replace(ctx, words=words))
    return replace(decision, line_keys=tuple(words.used))


def _max_turns(ctx: PersonaContext) -> int:
    return min(ctx.max_turns, ctx.script.max_turns)


def _decide(state: CallState, request: TurnRequest, ctx: PersonaContext) -> Decision:
    if request.kind == "begin":
        return greeting(state, ctx)
    if request.kind == "reminder":
        return reminder(state, ctx)
    text = request.last_user_text.strip()
    user_turns = sum(1 for u in request.transcript if u.role == "user")
    s = state.evolve(agent_turns=state.agent_turns + 1, reminders_in_row=0, user_turns_seen=user_turns)

    # 1. do-not-call wins over everything, even after a close.
    if is_dnc_request(text):
        if state.outcome == Outcome.DNC.value:
            return Decision("dnc_repeat", (L.DNC_REPEAT_CLOSE,), s, end_call=True)
        closed = s.evolve(stage=Stage.CLOSED, outcome=Outcome.DNC.value, close_kind="dnc", pending_email=None)
        tools = (
            ToolCall("mark_dnc", {"reason": "caller_request", "utterance": text[:200]}),
            _outcome_tool(Outcome.DNC, closed),
        )
        return Decision("dnc", (L.DNC_CLOSE,), closed, end_call=True, tools=tools)
    if state.stage is Stage.CLOSED:
        return _already_closed(state, ctx)

    # 2. answering machine, only early in the call.
    if user_turns <= VOICEMAIL_WINDOW_USER_TURNS and is_voicemail_greeting(text):
        closed = s.evolve(stage=Stage.CLOSED, outcome=Outcome.VOICEMAIL.value, close_kind="voicemail")
        template = ctx.say("voicemail") if ctx.voicemail_message is None else ctx.voicemail_message
        message = ctx.fill(template) if template.strip() else ""
        return Decision(
            "voicemail",
            (message,) if message else (),
            closed,
            end_call=True,
            tools=(_outcome_tool(Outcome.VOICEMAIL, closed),),
        )

    # 3. nothing usable.
    if is_noise(text):
        n = s.evolve(noise_in_row=state.noise_in_row + 1)
        current = ctx.say("reminder_confirm") if state.stage is Stage.CONFIRM_EMAIL else _stage_question(state, ctx)
        return Decision("noise", (ctx.say("missed"), current), n)
    s = s.evolve(noise_in_row=0)

    if s.agent_turns > _max_turns(ctx):
        closed = s.evolve(stage=Stage.CLOSED, close_kind="max_turns")
        return Decision(
            "max_turns",
            (ctx.say("max_turns_close"),),
            closed,
            end_call=True,
            tools=(_outcome_tool(_soft_outcome(closed), closed),),
        )

    # 5b (noted first, whatever else the line says). A scheduling constraint: record it and read the
    # rest of the line without it; it is acknowledged below unless an email rule answers the turn.
    window = find_call_window(text)
    if window is not None:
        s = s.evolve(callback_window=window)
        text = without_call_windows(text)

    # 4. email capture.
    email_decision = _email_rules(s, state, text, ctx)
    if email_decision is not None:
        return email_decision

    prefix: list[str] = [L.CALLBACK_WINDOW_NOTED.format(time=window)] if window is not None else []
    # 5. "are you a robot?": a truthful answer, then carry on with the current question.
    if is_ai_question(text):
        answer = L.AI_ANSWER_REPEAT if state.ai_disclosed else ctx.fill(L.AI_ANSWER)
        s = s.evolve(ai_disclosed=True)
        rest = text
        if classify_objection(rest) is None:
            return Decision("ai_disclosure", (*prefix, answer, _stage_question(s, ctx)), s)
        prefix.append(answer)

    dm = find_decision_maker(text)
    if dm:
        s = s.evolve(decision_maker=dm)

    # 6. objections (a time given after we asked when to call back is a callback).
    when = find_callback_time(text)
    if when and Objection.BAD_TIME.value in s.objections and s.callback_time is None:
        return _callback(s, when, prefix, ctx)
    objection = classify_objection(text)
    if objection is not None and not (is_backchannel(text) or is_greeting_only(text)):
        return _objection(s, objection, text, ctx, prefix)

    if dm:
        s = s.evolve(stage=Stage.EMAIL, email_asks=s.email_asks + 1)
        return Decision(
            "decision_maker",
            (*prefix, ctx.say("decision_maker_ask").format(name=dm)),
            s,
            model_goal=None if prefix else f"Thank them and ask for {dm}'s email address.",
        )

    # 7. advance the playbook (yes, backchannel, answer to the question, greeting).
    if is_negative(text) and state.stage is Stage.OPEN:
        return _objection(s, Objection.BAD_TIME, text, ctx, prefix)
    if is_negative(text) and state.stage in (Stage.VALUE, Stage.EMAIL):
        return _objection(s, Objection.NOT_INTERESTED, text, ctx, prefix)
    return _advance(s, ctx, prefix, greeting_only=is_greeting_only(text))


def _advance(s: CallState, ctx: PersonaContext, prefix: list[str], *, greeting_only: bool = False) -> Decision:
    if greeting_only:
        # "Hello?" — they did not hear us: say who we are and repeat the current question.
        return Decision("re_introduce", (ctx.fill(ctx.say("greeting")), _stage_question(s, ctx)), s)
    stage = ctx.script.next_stage(s.stage)
    asks = s.email_asks + (1 if stage is Stage.EMAIL else 0)
    if stage is Stage.EMAIL and s.email_asks >= ctx.script.max_email_asks:
        closed = s.evolve(stage=Stage.CLOSED, close_kind="gave_up")
        return Decision(
            "give_up",
            (*prefix, ctx.say("give_up_close")),
            closed,
            end_call=True,
            tools=(_outcome_tool(_soft_outcome(closed), closed),),
        )
    new = s.evolve(stage=stage, email_asks=asks)
    ack = [] if prefix else [ctx.fill(ctx.say("ack", s.agent_turns))]
    question = _stage_question(s.evolve(stage=stage, email_asks=s.email_asks), ctx)
    return Decision(
        f"stage:{stage.value}", (*prefix, *ack, question), new, model_goal=None if prefix else _goal_for_stage(stage)
    )


def _goal_for_stage(stage: Stage) -> str:
    return {
        Stage.ROUTING: "Briefly acknowledge, then ask who handles new patient leads and follow-up.",
        Stage.PROBLEM: "Briefly acknowledge, then ask what happens to calls and leads after hours.",
        Stage.VALUE: "Say we help clinics reply to new leads in under a minute, even after hours; ask if a short summary would help.",
        Stage.EMAIL: "Ask for the manager's email so you can send a short summary.",
    }.get(stage, "Ask for the manager's email so you can send a short summary.")


def _soft_outcome(state: CallState) -> Outcome:
    if state.callback_time or state.callback_window:
        return Outcome.CALLBACK
    if Objection.NOT_INTERESTED.value in state.objections:
        return Outcome.NOT_INTERESTED
    return Outcome.OTHER


def _objection(s: CallState, objection: Objection, text: str, ctx: PersonaContext, prefix: list[str]) -> Decision:
    seen = s.objection_count(objection.value)
    s = s.with_objection(objection.value)
    name = objection.value
    if objection is Objection.NOT_INTERESTED and seen >= 1:
        closed = s.evolve(stage=Stage.CLOSED, outcome=None, close_kind="not_interested")
        return Decision(
            "close_not_interested",
            (*prefix, ctx.say("not_interested_close")),
            closed,
            end_call=True,
            tools=(_outcome_tool(Outcome.NOT_INTERESTED, closed),),
        )
    if objection in (Objection.BAD_TIME, Objection.BUSY):
        when = find_callback_time(text)
        if when:
            return _callback(s, when, prefix, ctx)
    line = ctx.fill(ctx.say(f"objections.{name}", seen))
    stage = Stage.EMAIL if objection is not Objection.WHO_IS_THIS else s.stage
    if objection is Objection.WHO_IS_THIS and s.stage is Stage.OPEN:
        stage = Stage.ROUTING
    new = s.evolve(stage=stage, email_asks=s.email_asks + (1 if stage is Stage.EMAIL else 0))
    goal = (
        f"The caller raised a '{name.replace('_', ' ')}' objection. Acknowledge it in a few words, "
        "then ask for the manager's email for a short summary."
    )
    if objection is Objection.WHO_IS_THIS:
        goal = "Say who you are and that we help clinics answer new leads in under a minute; ask who handles that."
    return Decision(f"objection:{name}", (*prefix, line), new, model_goal=None if prefix else goal)


def _callback(s: CallState, when: str, prefix: list[str], ctx: PersonaContext) -> Decision:
    closed = s.evolve(stage=Stage.CLOSED, callback_time=when, close_kind="callback")
    tools = (
        _outcome_tool(Outcome.CALLBACK, closed),
        ToolCall("set_follow_up_plan", {"kind": "callback", "callback_time": when, "email": None}),
    )
    return Decision(
        "callback", (*prefix, ctx.say("callback_close").format(time=when)), closed, end_call=True, tools=tools
    )


def _email_rules(s: CallState, before: CallState, text: str, ctx: PersonaContext) -> Decision | None:
    match = find_email(text)
    if before.stage is Stage.CONFIRM_EMAIL and before.pending_email:
        pending = before.pending_email
        if match is not None and match.address != pending:
            return _heard_email(s, match.address, ctx)
        if is_negative(text):
            n = s.evolve(stage=Stage.EMAIL, pending_email=None, email_corrections=before.email_corrections + 1)
            line = ctx.say("ask_spell" if before.email_corrections == 0 else "ask_spell_again")
            return Decision("email_correction", (line,), n)
        if is_affirmative(text) or match is not None:
            return _capture(s, pending, ctx)
        return Decision("email_recheck", (ctx.say("read_back_recheck").format(email=speakable_email(pending)),), s)
    if match is not None:
        return _heard_email(s, match.address, ctx)
    if (
        before.generic_asked
        and before.generic_candidate
        and before.stage is Stage.EMAIL
        and (is_negative(text) or is_affirmative(text) or "that one" in text.lower() or "only" in text.lower())
    ):
        # they have no direct address: accept the shared inbox the second time
        n = s.evolve(stage=Stage.CONFIRM_EMAIL, pending_email=before.generic_candidate)
        return Decision(
            "generic_accepted",
            (ctx.say("generic_declined_read_back").format(email=speakable_email(before.generic_candidate)),),
            n,
        )
    return None


def _heard_email(s: CallState, address: str, ctx: PersonaContext) -> Decision:
    if is_generic_email(address) and not s.generic_asked:
        n = s.evolve(stage=Stage.EMAIL, generic_asked=True, generic_candidate=address, pending_email=None)
        return Decision("generic_push", (ctx.say("generic_push"),), n)
    n = s.evolve(stage=Stage.CONFIRM_EMAIL, pending_email=address)
    return Decision("read_back", (ctx.say("read_back").format(email=speakable_email(address)),), n)


def _capture(s: CallState, address: str, ctx: PersonaContext) -> Decision:
    closed = s.evolve(
        stage=Stage.CLOSED, email=address, pending_email=None, outcome=Outcome.EMAIL_CAPTURED.value, close_kind="email"
    )
    tools = (
        _outcome_tool(Outcome.EMAIL_CAPTURED, closed, email_is_generic=is_generic_email(address)),
        ToolCall("set_follow_up_plan", {"kind": "send_summary", "email": address, "callback_time": None}),
    )
    line = ctx.say("email_captured_close").format(email=speakable_email(address))
    return Decision("email_captured", (line,), closed, end_call=True, tools=tools)
