"""Deterministic Retell-shaped call objects (get-call JSON) for the fake Retell API and call tests.

`make_call(i)` returns the i-th call of a synthetic set: a phone call with a transcript_object
(word timings), transcript_with_tool_calls (a tool invocation + result), call_analysis, latency,
call_cost and metadata (lead_id, campaign_id, prompt_version), shaped like Retell's v2 get-call
answer (`retell-protocol.md` §3.4). Numbers are fictional (NPA-555-01xx). Nothing random: the same
index always gives the same call.
"""

from __future__ import annotations

import json
from typing import Any

BASE_START_MS = 1_767_261_600_000  # 2026-01-01T10:00:00Z
CALL_SPACING_MS = 37_000

_SCRIPT = [
    ("agent", "Hi, this is Eve calling for the clinic owner, do you have a quick minute?"),
    ("user", "Sure, who is this?"),
    ("agent", "I help med spas answer leads after hours. What's the best email to send details?"),
    ("user", "You can send it to owner at glow spa dot com"),
    ("agent", "Great, I'll send that over. Thanks and have a good evening."),
]


def call_id_for(i: int) -> str:
    return f"call_{i:08d}"


def _words(text: str, start: float) -> tuple[list[dict[str, Any]], float]:
    words, t = [], start
    for word in text.split():
        words.append({"word": word, "start": round(t, 3), "end": round(t + 0.25, 3)})
        t += 0.3
    return words, t


def make_call(i: int, *, analysis_pending: bool = False, status: str = "ended") -> dict[str, Any]:
    """The i-th synthetic Retell call (get-call shape)."""
    start_ms = BASE_START_MS + i * CALL_SPACING_MS
    transcript_object, t = [], 0.8
    for role, text in _SCRIPT:
        words, t = _words(text, t)
        transcript_object.append({"role": role, "content": text, "words": words})
        t += 0.6
    duration_ms = int(t * 1000)
    tool_id = f"tool_{i:08d}"
    with_tools: list[dict[str, Any]] = [dict(line) for line in transcript_object]
    with_tools.insert(
        4,
        {
            "role": "tool_call_invocation",
            "tool_call_id": tool_id,
            "name": "log_call_outcome",
            "arguments": json.dumps({"outcome": "email_captured", "email": "owner@glowspa.com"}),
        },
    )
    with_tools.insert(5, {"role": "tool_call_result", "tool_call_id": tool_id, "content": "ok", "successful": True})
    call: dict[str, Any] = {
        "call_id": call_id_for(i),
        "call_type": "phone_call",
        "agent_id": "agent_eve_1",
        "agent_version": 3,
        "call_status": status,
        "direction": "outbound",
        "from_number": "+12145550100",
        "to_number": f"+1214555{100 + i % 100:04d}",
        "start_timestamp": start_ms,
        "metadata": {"lead_id": f"lead_{i % 5000:05d}", "campaign_id": "camp_a", "prompt_version": "v1"},
        "retell_llm_dynamic_variables": {"business_name": "Glow Spa"},
    }
    if status == "ended":
        call.update(
            {
                "end_timestamp": start_ms + duration_ms,
                "duration_ms": duration_ms,
                "disconnection_reason": "agent_hangup",
                "transcript": "\n".join(f"{r.title()}: {c}" for r, c in _SCRIPT),
                "transcript_object": transcript_object,
                "transcript_with_tool_calls": with_tools,
                "latency": {
                    "e2e": {"p50": 800.0 + i % 7, "p90": 1100.0, "p95": 1200.0 + i % 11, "num": 2},
                    "llm": {"p50": 450.0 + i % 5, "p90": 600.0, "p95": 650.0, "num": 2},
                },
                "call_cost": {"combined_cost": 12.5, "total_duration_seconds": duration_ms / 1000},
                "recording_url": f"https://example.invalid/rec/{call_id_for(i)}.wav",
            }
        )
        if not analysis_pending:
            call["call_analysis"] = {
                "call_summary": "The owner gave an email address.",
                "user_sentiment": "Positive",
                "call_successful": True,
                "in_voicemail": False,
                "custom_analysis_data": {"call_outcome": "email_captured"},
            }
    return call


def list_item(call: dict[str, Any]) -> dict[str, Any]:
    """The v3 list-calls summary of a call: no transcripts (`retell-protocol.md` §3.3)."""
    return {k: v for k, v in call.items() if k not in ("transcript", "transcript_object", "transcript_with_tool_calls")}
