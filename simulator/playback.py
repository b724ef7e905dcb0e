"""Play one answered call against the brain, the way Retell drives a Custom-LLM socket.

Order of frames (retell-protocol.md §1.3–1.6): the brain's ``config`` → our ``call_details`` (when
asked for) → the brain's begin message (``response_id`` 0) → per caller turn an ``update_only``
with the transcript and ``turntaking: user_turn``, then ``response_required`` (or
``reminder_required`` when the caller stays silent) with the next id; ``ping_pong`` every 2 s
throughout. The persona decides each line through its `reaction` hook. The call ends when the brain
sends ``end_call`` (agent_hangup, or voicemail_reached for a voicemail greeting), the caller hangs
up (user_hangup), or the brain fails (an ``error_llm_websocket_*`` reason).

Time: the transcript carries a simulated timeline (about 0.35 s per spoken word, plus the brain's
real reply latency); the real wait between turns is that simulated time divided by `time_scale`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from simulator.brain_link import BrainLink, LinkError, Reply
from simulator.persona import BARGE, HANGUP, REMIND, CallContext, SimPersona
from simulator.settings import SimulatorSettings

WORD_S = 0.35
TURN_GAP_S = 0.6
REMINDER_TRIGGER_S = 10.0  # agent default reminder_trigger_ms
MAX_RECONNECTS = 2  # Retell rebuilds a socket the brain dropped abnormally (retell-protocol.md §1.2)


@dataclass
class PlayResult:
    disconnection_reason: str
    utterances: list[dict[str, Any]] = field(default_factory=list)  # transcript_object items
    tool_events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    duration_s: float = 0.0
    error: str | None = None
    pongs: int = 0
    pings: int = 0
    reconnects: int = 0


class _Timeline:
    def __init__(self, time_scale: float) -> None:
        self.t = 0.0
        self.time_scale = time_scale

    async def advance(self, seconds: float) -> None:
        self.t += seconds
        real = seconds / self.time_scale
        if real >= 0.001:
            await asyncio.sleep(real)

    def words(self, text: str) -> list[dict[str, Any]]:
        out = []
        for word in text.split():
            out.append({"word": word, "start": round(self.t, 3), "end": round(self.t + WORD_S * 0.8, 3)})
            self.t += WORD_S
        return out


def _plain(utterances: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"role": u["role"], "content": u["content"]} for u in utterances]


async def play_answered(
    persona: SimPersona, call: dict[str, Any], context: CallContext, settings: SimulatorSettings
) -> PlayResult:
    """Connect to ``<brain_ws_url>/<call_id>`` and play the persona until someone hangs up."""
    url = f"{settings.brain_ws_url.rstrip('/')}/{call['call_id']}"
    clock = _Timeline(settings.time_scale)
    result = PlayResult("user_hangup")
    try:
        link = await BrainLink.open(url, ping_interval_ms=settings.ping_interval_ms, gap_s=settings.connect_retry_gap_s)
    except LinkError as exc:
        result.disconnection_reason, result.error = exc.reason, str(exc)
        return result
    utterances = context.transcript
    timeout = settings.reply_timeout_s
    rid = 0
    tool_events: list[tuple[int, dict[str, Any]]] = []

    def say(role: str, text: str) -> None:
        utterances.append({"role": role, "content": text, "words": clock.words(text)})
        link.transcript_len = len(utterances)

    async def handshake() -> dict[str, Any]:
        config = await link.wait_config(timeout)
        if config.get("call_details"):
            await link.send({"interaction_type": "call_details", "call": call})
        return config

    async def ask(kind: str) -> Reply:
        """Request a reply; if the brain drops the socket abnormally, reconnect (as Retell) and ask again."""
        nonlocal link, rid
        while True:
            rid += 1
            try:
                return await link.request(kind, rid, _plain(utterances), timeout)
            except LinkError:
                if not link.closed.is_set() or link.close_code == 1000 or result.reconnects >= MAX_RECONNECTS:
                    raise
            result.reconnects += 1
            tool_events.extend(link.tool_events)
            result.pongs += link.pongs
            result.pings += link.pings
            await link.close()
            link = await BrainLink.open(
                url, ping_interval_ms=settings.ping_interval_ms, gap_s=settings.connect_retry_gap_s
            )
            link.transcript_len = len(utterances)
            await handshake()

    try:
        begin = link.expect(0)
        await handshake()
        begin = await link.wait_reply(begin, timeout)
        if begin.latency_ms is not None:
            result.latencies_ms.append(begin.latency_ms)
        heard, ended, index = begin.text, begin.end_call, 0
        if heard:
            say("agent", heard)
        while not ended:
            if index >= settings.max_turns:
                break
            planned = persona.lines[index] if index < len(persona.lines) else None
            context.turn = index
            line = persona.reaction(heard, planned, context)
            index += 1
            await link.send(
                {"interaction_type": "update_only", "transcript": _plain(utterances), "turntaking": "user_turn"}
            )
            if line is None:
                break
            if line.startswith(HANGUP):
                words = line[len(HANGUP) :].strip()
                if words:
                    await clock.advance(TURN_GAP_S)
                    say("user", words)
                    await link.send({"interaction_type": "update_only", "transcript": _plain(utterances)})
                break
            if line == REMIND:
                await clock.advance(REMINDER_TRIGGER_S)
                reply = await ask("reminder_required")
            elif line.startswith(BARGE):
                first, second = line[len(BARGE) : -1].split("|", 1)
                await clock.advance(TURN_GAP_S)
                say("user", first)
                rid += 1
                link.expect(rid)
                await link.send(
                    {"interaction_type": "response_required", "response_id": rid, "transcript": _plain(utterances)}
                )
                utterances[-1] = {"role": "user", "content": second, "words": clock.words(second)}
                reply = await ask("response_required")
            else:
                await clock.advance(TURN_GAP_S)
                say("user", line)
                reply = await ask("response_required")
            if reply.latency_ms is not None:
                result.latencies_ms.append(reply.latency_ms)
                clock.t += reply.latency_ms / 1000  # real time already spent waiting
            heard = reply.text
            if heard:
                await clock.advance(TURN_GAP_S)
                say("agent", heard)
            ended = reply.end_call
        if ended:
            result.disconnection_reason = "voicemail_reached" if persona.kind == "voicemail" else "agent_hangup"
    except LinkError as exc:
        result.disconnection_reason, result.error = exc.reason, str(exc)
    except Exception as exc:  # the socket broke under us mid-send
        result.disconnection_reason, result.error = "error_llm_websocket_runtime", f"{type(exc).__name__}: {exc}"
    finally:
        await link.close()
        result.tool_events = tool_events + list(link.tool_events)
        result.pongs += link.pongs
        result.pings += link.pings
    result.utterances = utterances
    result.duration_s = clock.t + TURN_GAP_S
    return result
