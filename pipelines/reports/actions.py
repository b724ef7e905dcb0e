"""The revenue-ops next actions: fixed advice triggered by the scorecard (seed notes §10).

The original's rules, kept with their thresholds; its "is this sales?" and "no email policy"
objection buckets map onto the shared taxonomy (`who_is_this`, `not_decision_maker`), and a
missing quantile is treated as missing — never a true 0 (the original's `or`-default bug).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAINTAIN = "Maintain: every objective is within its target; keep the current prompt and flow."


def recommended_actions(summary: Mapping[str, Any]) -> list[str]:
    """Advice for the operator, one sentence per triggered rule, in the original's order."""
    actions: list[str] = []
    fr_p95 = summary.get("first_response_latency_p95_ms")
    if fr_p95 is None or fr_p95 > 1000:
        actions.append(
            "Latency: first-response p95 is missing or above 1000 ms — keep the user-first "
            "start, shorten the opening line and stay on the fastest model tier."
        )
    if summary.get("email_capture_rate", 0.0) < 0.20:
        actions.append(
            "Capture: email capture rate is below 20% — move to a one-question flow that asks "
            "for the manager's email early."
        )
    if summary.get("direct_email_capture_rate", 0.0) < 0.10:
        actions.append("Direct email: below 10% — push once for a direct address, then accept the routing inbox.")
    if summary.get("close_request_rate", 0.0) < 0.60:
        actions.append("Close: fewer than 60% of answered calls reach a close — offer close-or-send every 1–2 turns.")
    if summary.get("close_requests", 0) > 0 and summary.get("close_to_email_rate", 0.0) < 0.70:
        actions.append(
            "Close to email: under 70% of close requests end with a direct email — retry "
            "once for the address, then fall back to the inbox."
        )
    turns_p50 = summary.get("turns_to_capture_p50")
    if (99 if turns_p50 is None else turns_p50) > 6:
        actions.append(
            "Turns: median turns to capture is above 6 (or no capture) — handle one "
            "objection at most, then ask one binary close."
        )
    objections = summary.get("objection_counts") or {}
    if objections.get("who_is_this", 0) > 0:
        actions.append(
            "Who is this / is this sales: answer with a no-pitch one-liner that says who is "
            "calling and why, then ask for the email."
        )
    if objections.get("not_decision_maker", 0) > 0:
        actions.append(
            "Not the decision maker: ask where the manager's follow-up should go and offer "
            "a subject line they can watch for."
        )
    return actions or [MAINTAIN]
