"""`PlaybookConversation`: the per-call `CallConversation` (see `brain_service/conversation_contract.py`).

Each turn: the deterministic layer (`policy.decide`) picks the action and the playbook's words;
then either those words are spoken, or — for ordinary playbook turns when Gemini is configured —
the model phrases the same goal under deadlines, falling back to the playbook's words when it is
slow, stalls, errors or says nothing speakable. One reply never mixes a model answer with the
playbook answer; only a stall after model sentences ends with one short fixed sentence.

State is committed when a turn starts speaking and rolled back when the transport reports the turn
cancelled with nothing spoken, so a superseded request never advances the script. The same
response_id asked twice replays the same words with no new side effects. The words are the call's
script (`script.CallScript`: its pinned prompt version, one wording per line); the call record
names the version, the wording (variant id) of every line with challengers, and per agent turn
the script lines it spoke (`prompt_lines`). Tool events are emitted
once per call and key. `finish()` writes the call record (idempotent: same path, same content).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from brain_service.call_record import SCHEMA_VERSION, iso_utc, write_call_record
from brain_service.conversation.call_details import CallDetails, parse_call_details
from brain_service.conversation.journal_state import JournalMarks, journal_delta, journal_restore
from brain_service.conversation.policy import Decision, decide
from brain_service.conversation.script import CallScript
from brain_service.conversation.state import CallState, Stage
from brain_service.conversation_contract import SpeechChunk, SpeechSource, ToolEvent, TurnOutput, TurnRequest, Utterance
from brain_service.llm.prompting import build_contents, system_instruction
from brain_service.llm.stream import ModelFailure, ModelTurn, stream_model_sentences
from brain_service.prompts import PromptVersion
from brain_service.speech.formatting import speakable_text
from brain_service.speech.sentences import join_chunk
from vocabulary.emails import is_generic_email
from vocabulary.intents import is_dnc_request
from vocabulary.outcomes import Outcome, resolve_outcome

logger = logging.getLogger("brain.conversation")


@dataclass(slots=True)
class TurnLog:
    response_id: int
    kind: str
    started_wall: float
    action: str
    source: str = "playbook"
    text: str = ""
    spoken: str | None = None
    cancelled: bool | None = None
    model_first_token_ms: float | None = None
    fallback_used: str | None = None
    line_keys: tuple[str, ...] = ()  # script lines spoken (none for model-phrased words)


@dataclass(slots=True)
class UserLine:
    role: str
    text: str
    seen_wall: float


@dataclass(slots=True)
class ToolLog:
    tool_call_id: str
    name: str
    arguments: dict[str, Any]
    result: str
    response_id: int
    wall: float


@dataclass(slots=True)
class _Pending:
    decision: Decision
    base: CallState
    committed: bool = False


def _last_user_index(transcript: tuple[Utterance, ...]) -> int | None:
    """Position of the caller's newest line, if nothing the agent said follows it."""
    for index in range(len(transcript) - 1, -1, -1):
        role = transcript[index].role
        if role == "user":
            return index
        if role == "agent":
            return None
    return None


class PlaybookConversation:
    def __init__(self, call_id: str, runtime: Any, prompt: PromptVersion, script: CallScript) -> None:
        self.call_id = call_id
        self.runtime = runtime
        self.settings = runtime.settings
        self.prompt = prompt
        self.script = script
        self.details = CallDetails()
        self.ctx = runtime.persona_context(self.details, script)
        self.state = CallState()
        self.started_wall = time.time()
        self._pending: dict[int, _Pending] = {}
        self._turn_logs: dict[int, TurnLog] = {}
        self._user_lines: list[UserLine] = []
        self._tools: list[ToolLog] = []
        self._tool_keys: set[str] = set()
        self._dnc_sticky = False
        self._finished_path: Any = None
        self._last_transcript: tuple[Utterance, ...] = ()
        self._last_user_index: int | None = None
        self._last_user_base: CallState = self.state
        self._rendered_prompt: tuple[tuple[Any, ...], str] | None = None
        self._journal = JournalMarks()

    # --- the journal (crash recovery; see journal_state.py) -----------------------------------------

    def journal_delta(self) -> dict[str, Any] | None:
        return journal_delta(self)

    def journal_restore(self, delta: dict[str, Any]) -> None:
        journal_restore(self, delta, turn_log=TurnLog, user_line=UserLine, tool_log=ToolLog)

    # --- inputs from the transport -----------------------------------------------------------------

    def on_call_details(self, call: dict[str, Any]) -> None:
        self.details = parse_call_details(call)
        self.ctx = self.runtime.persona_context(self.details, self.script)

    def on_transcript(self, transcript: tuple[Utterance, ...]) -> None:
        self._sync_user_lines(transcript)

    def _sync_user_lines(self, transcript: tuple[Utterance, ...]) -> None:
        """Keep our copy of the caller's lines (Retell's last line may still grow)."""
        if not transcript:
            return
        self._last_transcript = transcript
        others = [u for u in transcript if u.role != "agent"]
        now = time.time()
        for index, utterance in enumerate(others):
            if index < len(self._user_lines):
                if self._user_lines[index].text != utterance.content:
                    self._user_lines[index].text = utterance.content
            else:
                self._user_lines.append(UserLine(utterance.role, utterance.content, now))

    # --- a turn ------------------------------------------------------------------------------------

    async def respond(self, request: TurnRequest) -> AsyncIterator[TurnOutput]:
        self._sync_user_lines(request.transcript)
        rid = request.response_id
        replay = rid in self._pending
        if replay:
            pending = self._pending[rid]
        else:
            base = self.state
            user_index = _last_user_index(request.transcript)
            if request.kind == "response" and user_index is not None and user_index == self._last_user_index:
                # the same caller turn again (they kept talking): our earlier reply to it was cut off,
                # so decide again from the state that reply started from — never advance twice
                base = self._last_user_base
            elif request.kind == "response":
                self._last_user_index, self._last_user_base = user_index, base
            decision = decide(base, request, self.ctx)
            pending = _Pending(decision, base)
            self._pending[rid] = pending
            if decision.action == "dnc":
                self._dnc_sticky = True  # a do-not-call request is never rolled back
        decision = pending.decision
        log = self._turn_logs.get(rid)
        if log is None or not replay:
            log = TurnLog(rid, request.kind, time.time(), decision.action)
            self._turn_logs[rid] = log
        spoken: list[str] = []
        try:
            use_model = (
                not replay
                and decision.model_goal is not None
                and self.runtime.streamer is not None
                and not decision.end_call
            )
            if use_model:
                async for output in self._model_reply(request, decision, log, spoken):
                    yield output
            else:
                async for output in self._playbook_reply(decision, log, spoken, replay=replay):
                    yield output
        finally:
            log.text = "".join(spoken)

    def _commit(self, rid: int) -> None:
        pending = self._pending.get(rid)
        if pending is None or pending.committed:
            return
        pending.committed = True
        self.state = pending.decision.state

    def _chunk(self, text: str, first: bool, *, source: SpeechSource, end_call: bool = False) -> SpeechChunk:
        return SpeechChunk(join_chunk(text, first=first) if text else "", end_call=end_call, source=source)

    def _tool_events(self, decision: Decision, rid: int) -> list[ToolEvent]:
        events = []
        for call in decision.tools:
            if call.name == "set_follow_up_plan" and (self._dnc_sticky or self.state.outcome == Outcome.DNC.value):
                continue  # never a follow-up after do-not-call
            if call.key in self._tool_keys:
                continue
            self._tool_keys.add(call.key)
            tool_call_id = f"{self.call_id}:{call.name}:{len(self._tools) + 1}"
            result = {"mark_dnc": "dnc_recorded", "log_call_outcome": "outcome_recorded"}.get(
                call.name, "plan_recorded"
            )
            args = {k: v for k, v in call.arguments.items()}
            self._tools.append(ToolLog(tool_call_id, call.name, args, result, rid, time.time()))
            events.append(ToolEvent(tool_call_id, call.name, args, result, True))
        return events

    async def _playbook_reply(
        self, decision: Decision, log: TurnLog, spoken: list[str], *, replay: bool, source: SpeechSource = "playbook"
    ) -> AsyncIterator[TurnOutput]:
        log.source = source
        log.line_keys = decision.line_keys
        lines = [speakable_text(line) for line in decision.lines if line]
        if not lines:  # e.g. an empty voicemail message: hang up without words
            self._commit(log.response_id)
            yield SpeechChunk("", end_call=decision.end_call, source="system")
            if not replay:
                for event in self._tool_events(decision, log.response_id):
                    yield event
            return
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            chunk = self._chunk(line, index == 0, source=source, end_call=decision.end_call and last)
            self._commit(log.response_id)
            spoken.append(chunk.content)
            yield chunk
            if index == 0 and not replay:
                for event in self._tool_events(decision, log.response_id):
                    yield event

    async def _model_reply(
        self, request: TurnRequest, decision: Decision, log: TurnLog, spoken: list[str]
    ) -> AsyncIterator[TurnOutput]:
        runtime = self.runtime
        now = time.monotonic()
        read_at = request.read_at_monotonic or now
        system = system_instruction(self._prompt_text(), decision.model_goal or "", " ".join(decision.lines))
        model_turn = ModelTurn(started_at=now)
        failure: str | None = None
        sentences = stream_model_sentences(
            runtime.streamer.stream(system, build_contents(request.transcript)),
            turn=model_turn,
            first_deadline_at=read_at + self.settings.llm_first_text_deadline_s,
            stall_s=self.settings.llm_stall_deadline_s,
            max_grade=self.settings.speech_max_readability_grade,
        )
        try:
            async for sentence in sentences:
                first = not spoken
                self._commit(log.response_id)
                chunk = self._chunk(sentence, first, source="model")
                spoken.append(chunk.content)
                log.source = "model"
                yield chunk
        except ModelFailure as exc:
            failure = exc.reason
        finally:
            await sentences.aclose()
            log.model_first_token_ms = model_turn.first_token_ms
        if not spoken:
            log.fallback_used = failure or "guard_rejected"
            async for output in self._playbook_reply(decision, log, spoken, replay=False, source="fallback"):
                yield output
            return
        if failure is not None:
            log.fallback_used = failure
            log.source = "mixed"
            log.line_keys = ("stall_sentence",)
            chunk = self._chunk(self.ctx.fill(self.script.say("stall_sentence")), False, source="fallback")
            spoken.append(chunk.content)
            yield chunk
        for event in self._tool_events(decision, log.response_id):
            yield event

    def _prompt_text(self) -> str:
        """The pinned prompt rendered for this call; rendered again only if the names change."""
        key = (self.ctx.persona, self.ctx.company, self.details.business_name, self.details.contact_name)
        if self._rendered_prompt is None or self._rendered_prompt[0] != key:
            self._rendered_prompt = (
                key,
                self.prompt.render(persona=key[0], company=key[1], business=key[2], contact=key[3]),
            )
        return self._rendered_prompt[1]

    def on_turn_finished(self, response_id: int, *, cancelled: bool, spoken: str) -> None:
        log = self._turn_logs.get(response_id)
        if log is not None:
            log.spoken = spoken
            log.cancelled = cancelled
        pending = self._pending.get(response_id)
        if pending is None:
            return
        if (
            cancelled
            and not spoken.strip()
            and pending.committed
            and self.state is pending.decision.state
            and pending.decision.action != "dnc"
        ):
            # superseded before a word was said: the script did not move
            self.state = pending.base
            pending.committed = False

    # --- the end -----------------------------------------------------------------------------------

    def finish(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> None:
        if not self.settings.call_record_enabled:
            return
        record = self.build_record(close_reason=close_reason, reconnects=reconnects, turns=turns)
        try:
            self._finished_path = write_call_record(self.settings.data_dir, record, self.started_wall)
        except OSError:
            logger.exception("call record for %s could not be written", self.call_id)
            raise

    def final_outcome(self, *, interrupted: bool = False) -> str:
        """The call's outcome; ``interrupted`` (the brain died mid-call) only when nothing better is known."""
        candidates: set[str] = {Outcome.INTERRUPTED.value} if interrupted else set()
        if self.state.outcome:
            candidates.add(self.state.outcome)
        if self._dnc_sticky or any(is_dnc_request(u.text) for u in self._user_lines if u.role == "user"):
            candidates.add(Outcome.DNC.value)
        if self.state.callback_time or self.state.callback_window:
            candidates.add(Outcome.CALLBACK.value)
        if self.state.close_kind == "not_interested":
            candidates.add(Outcome.NOT_INTERESTED.value)
        if not candidates and not any(u.role == "user" and u.text.strip() for u in self._user_lines):
            candidates.add(Outcome.NO_ANSWER.value)
        return resolve_outcome(candidates).value

    def build_record(self, *, close_reason: str, reconnects: int, turns: list[dict[str, Any]]) -> dict[str, Any]:
        ended = time.time()
        transport = {
            int(t["response_id"]): t for t in turns if isinstance(t, dict) and isinstance(t.get("response_id"), int)
        }
        lines: list[tuple[float, dict[str, Any]]] = []
        for u in self._user_lines:
            lines.append(
                (u.seen_wall, {"role": u.role, "text": u.text, "response_id": None, "ts": iso_utc(u.seen_wall)})
            )
        latencies = []
        for rid in sorted(self._turn_logs):
            log = self._turn_logs[rid]
            t = transport.get(rid, {})
            cancelled = bool(t.get("cancelled", log.cancelled or False))
            text = log.spoken if log.spoken is not None else t.get("spoken", log.text)
            if text:
                lines.append(
                    (
                        log.started_wall,
                        {
                            "role": "agent",
                            "text": text,
                            "response_id": rid,
                            "ts": iso_utc(log.started_wall),
                            "kind": log.kind,
                            "source": log.source,
                            "cancelled": cancelled,
                            "action": log.action,
                            "prompt_lines": [
                                {"line": key, "variant": self.script.variant(key)} for key in log.line_keys
                            ],
                        },
                    )
                )
            first_chunk = t.get("latency_ms")
            latencies.append(
                {
                    "response_id": rid,
                    "kind": log.kind if log.kind in ("begin", "response", "reminder") else "response",
                    "first_chunk_ms": float(first_chunk)
                    if isinstance(first_chunk, (int, float)) and first_chunk >= 0
                    else None,
                    "model_first_token_ms": log.model_first_token_ms,
                    "fallback_used": log.fallback_used,
                    "cancelled": cancelled,
                    "barge_in": t.get("barge_in") if isinstance(t.get("barge_in"), bool) else None,
                }
            )
        lines.sort(key=lambda pair: pair[0])
        outcome = self.final_outcome(interrupted=close_reason == "interrupted")
        email = self.state.email
        d = self.details
        return {
            "schema_version": SCHEMA_VERSION,
            "call_id": self.call_id,
            "started_at": iso_utc(self.started_wall),
            "ended_at": iso_utc(max(ended, self.started_wall)),
            "lead_id": d.lead_id,
            "campaign_id": d.campaign_id,
            "business_name": d.business_name,
            "contact_name": d.contact_name,
            "metadata": d.metadata,
            "from_number": d.from_number,
            "to_number": d.to_number,
            "direction": d.direction,
            "synthetic": d.synthetic,
            "prompt_version": self.prompt.version,
            "prompt_variants": dict(sorted(self.script.variants.items())),
            "persona": self.ctx.persona,
            "company": self.ctx.company,
            "llm": {
                "enabled": self.runtime.streamer is not None,
                "model": self.settings.gemini_model if self.runtime.streamer is not None else None,
            },
            "turns": [entry for _, entry in lines],
            "latencies": latencies,
            "tool_events": [
                {
                    "tool_call_id": t.tool_call_id,
                    "name": t.name,
                    "arguments": t.arguments,
                    "result": t.result,
                    "successful": True,
                    "response_id": t.response_id,
                    "ts": iso_utc(t.wall),
                }
                for t in self._tools
            ],
            "outcome": outcome,
            "email": email,
            "email_is_generic": is_generic_email(email) if email else None,
            "email_confirmed": email is not None,
            "callback_time": self.state.callback_time,
            "callback_window": self.state.callback_window,
            "decision_maker": self.state.decision_maker,
            "objections": list(self.state.objections),
            "ai_disclosed": self.state.ai_disclosed,
            "close_reason": close_reason or "unknown",
            "reconnects": max(0, int(reconnects)),
            "end_call_by_agent": self.state.stage is Stage.CLOSED,
        }

    @property
    def record_path(self) -> Any:
        return self._finished_path
