"""Retell-shaped call objects (retell-protocol.md §3.3–3.5) built from what a simulated call did.

`registered_call` is what create-phone-call answers and ``call_details`` carries; `ended_call`
adds the transcript (text, ``transcript_object`` with word timings, ``transcript_with_tool_calls``
woven from the brain's tool frames), timestamps and durations, ``disconnection_reason``, latency
measured from the real brain and a cost; `analysis` is the ``call_analysis`` that arrives later
with ``call_analyzed``; `list_item` is the v3 list-calls summary (no transcripts).
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from simulator.persona import SimPersona
from simulator.playback import PlayResult

TRANSCRIPT_FIELDS = ("transcript", "transcript_object", "transcript_with_tool_calls")
NOT_CONNECTED = {"dial_no_answer", "dial_busy", "dial_failed"}
CENTS_PER_MINUTE = 7.0


def registered_call(call_id: str, agent_id: str, request: dict[str, Any]) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "call_type": "phone_call",
        "agent_id": agent_id,
        "agent_version": request.get("override_agent_version")
        if isinstance(request.get("override_agent_version"), int)
        else 1,
        "call_status": "registered",
        "direction": "outbound",
        "from_number": request["from_number"],
        "to_number": request["to_number"],
        "metadata": request.get("metadata") if request.get("metadata") is not None else {},
        "retell_llm_dynamic_variables": dict(request.get("retell_llm_dynamic_variables") or {}),
        "custom_sip_headers": dict(request.get("custom_sip_headers") or {}),
        "data_storage_setting": "everything",
        "opt_in_signed_url": False,
        "telephony_identifier": {"twilio_call_sid": "CA" + call_id.removeprefix("call_")[:32]},
    }


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"num": 0, "values": []}
    ordered = sorted(values)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {
        "p50": round(statistics.median(ordered), 1),
        "p90": pct(0.90),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": round(ordered[-1], 1),
        "min": round(ordered[0], 1),
        "num": len(ordered),
        "values": [round(v, 1) for v in values],
    }


def _with_tool_calls(play: PlayResult) -> list[dict[str, Any]]:
    woven: list[dict[str, Any]] = []
    events = list(play.tool_events)
    for position, utterance in enumerate(play.utterances):
        while events and events[0][0] <= position:
            woven.append(_tool_item(events.pop(0)[1]))
        woven.append(dict(utterance))
    woven.extend(_tool_item(frame) for _, frame in events)
    return woven


def _tool_item(frame: dict[str, Any]) -> dict[str, Any]:
    item = {k: v for k, v in frame.items() if k != "response_type"}
    item["role"] = frame.get("response_type")
    return item


def tool_outcome(play: PlayResult | None) -> dict[str, Any]:
    """The arguments of the brain's last ``log_call_outcome`` tool call ({} when it logged none)."""
    for _, frame in reversed(play.tool_events if play else []):
        if frame.get("response_type") == "tool_call_invocation" and frame.get("name") == "log_call_outcome":
            try:
                args = json.loads(frame.get("arguments") or "{}")
            except ValueError:
                return {}
            return args if isinstance(args, dict) else {}
    return {}


def ended_call(
    call: dict[str, Any], *, start_ms: int, ring_s: float, reason: str, play: PlayResult | None
) -> dict[str, Any]:
    out = dict(call)
    connected = play is not None and reason not in NOT_CONNECTED
    duration_ms = int(play.duration_s * 1000) if connected and play else 0
    out["start_timestamp"] = start_ms
    out["end_timestamp"] = start_ms + (duration_ms if connected else int(ring_s * 1000))
    out["duration_ms"] = duration_ms
    out["disconnection_reason"] = reason
    if reason in NOT_CONNECTED:
        out["call_status"] = "not_connected"
    elif reason.startswith("error_"):
        out["call_status"] = "error"
    else:
        out["call_status"] = "ended"
    utterances = play.utterances if play else []
    out["transcript"] = "".join(f"{u['role'].title()}: {u['content']}\n" for u in utterances)
    out["transcript_object"] = [dict(u) for u in utterances]
    out["transcript_with_tool_calls"] = _with_tool_calls(play) if play else []
    latencies = play.latencies_ms if play else []
    out["latency"] = {"e2e": _stats(latencies), "llm": _stats(latencies)} if latencies else {}
    minutes = duration_ms / 60_000
    cost = round(minutes * CENTS_PER_MINUTE, 4)
    out["call_cost"] = {
        "combined_cost": cost,
        "product_costs": [{"product": "simulated_voice", "cost": cost, "unit_price": CENTS_PER_MINUTE / 60}],
        "total_duration_seconds": round(duration_ms / 1000, 3),
        "total_duration_unit_price": CENTS_PER_MINUTE / 60,
    }
    return out


def analysis(call: dict[str, Any], persona: SimPersona, play: PlayResult | None) -> dict[str, Any]:
    logged = tool_outcome(play)
    outcome = logged.get("outcome")
    reason = call.get("disconnection_reason", "")
    if reason in NOT_CONNECTED:
        summary = f"The call was not connected ({reason})."
    elif outcome:
        summary = f"The agent talked with a {persona.kind} caller; outcome {outcome}."
    else:
        summary = f"The agent talked with a {persona.kind} caller; the call ended by {reason}."
    sentiment = "Unknown"
    if outcome == "email_captured":
        sentiment = "Positive"
    elif outcome in ("dnc", "not_interested") or persona.kind == "angry":
        sentiment = "Negative"
    elif play is not None and reason not in NOT_CONNECTED:
        sentiment = "Neutral"
    custom: dict[str, Any] = {"call_outcome": outcome, "simulated_persona": persona.name}
    if logged.get("email"):
        custom["email"] = logged["email"]
    return {
        "call_summary": summary,
        "user_sentiment": sentiment,
        "call_successful": outcome == "email_captured",
        "in_voicemail": reason == "voicemail_reached" or persona.kind == "voicemail",
        "custom_analysis_data": custom,
    }


def list_item(call: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in call.items() if k not in TRANSCRIPT_FIELDS}
