"""Post-call parts of a synthetic get-call object: analysis, latency components and cost.

`call_analysis` mirrors what Retell's post-call analysis returns (summary, sentiment, success,
voicemail flag, custom data); latency components (e2e, llm, llm_websocket_network_rtt) have Retell's shape ``{p50, p90, p95, p99, max,
min, num, values}`` in ms, derived from the call's real first-response gaps; cost is in cents.
"""

from __future__ import annotations

import random

from pipelines.synthetic.scenarios import DNC_SCENARIOS, Script, expected_outcome
from pipelines.synthetic.timeline import latency_summary

# cents per second of connected time, by product (about $0.067 per minute in total)
PRODUCT_PRICES = (("retell_platform", 0.0833), ("tts", 0.0117), ("telephony", 0.0167))
TOTAL_UNIT_PRICE = round(sum(price for _, price in PRODUCT_PRICES), 4)

_SENTIMENT = {
    "email_direct": ("Positive", "Positive", "Neutral"),
    "email_generic_then_direct": ("Positive", "Neutral"),
    "email_generic": ("Neutral", "Positive"),
    "dnc": ("Negative",),
    "dnc_after_email": ("Negative", "Neutral"),
    "voicemail": ("Unknown", "Neutral"),
    "not_interested": ("Negative", "Neutral"),
    "callback": ("Neutral", "Positive"),
    "no_answer": ("Unknown",),
    "hang_up": ("Unknown", "Negative"),
    "error": ("Unknown",),
}
_SUMMARY = {
    "email_direct": "The agent reached {name}; the contact gave a direct email for an overview of after-hours call coverage.",
    "email_generic_then_direct": "The agent reached {name}; the contact first offered the shared inbox, then a direct email.",
    "email_generic": "The agent reached {name}; the contact only offered the shared inbox for the overview.",
    "dnc": "The contact at {name} asked not to be called again; the agent confirmed and ended the call.",
    "dnc_after_email": "The contact at {name} gave an email but then asked not to be called again; the agent confirmed.",
    "voicemail": "The call to {name} reached voicemail.",
    "not_interested": "The contact at {name} said they were not interested.",
    "callback": "The contact at {name} asked for a call back later.",
    "no_answer": "The call to {name} was not answered.",
    "hang_up": "The contact at {name} hung up right after the opening.",
    "error": "The call to {name} ended with an error before the conversation started.",
}


def call_analysis(rng: random.Random, scenario: str, script: Script, business_name: str) -> dict:
    return {
        "call_summary": _SUMMARY[scenario].format(name=business_name),
        "in_voicemail": script.in_voicemail,
        "user_sentiment": rng.choice(_SENTIMENT[scenario]),
        "call_successful": bool(script.captured_email) and scenario not in DNC_SCENARIOS,
        "custom_analysis_data": {
            "call_outcome": expected_outcome(scenario),
            "captured_email": script.captured_email,
            "email_kind": script.email_kind,
        },
    }


def latency(rng: random.Random, e2e_values: list[int]) -> dict:
    """Retell's latency object from the call's first-response gaps (``{}`` when the agent never answered)."""
    if not e2e_values:
        return {}
    llm, rtt = [], []
    for value in e2e_values:
        speech = 140 + int(160 * rng.random())  # TTS time to first audio, not part of llm
        llm.append(max(80, value - speech))
        rtt.append(15 + int(50 * rng.random()))
    return {
        "e2e": latency_summary(e2e_values),
        "llm": latency_summary(llm),
        "llm_websocket_network_rtt": latency_summary(rtt),
    }


def call_cost(seconds: float) -> dict:
    products = [
        {"cost": round(seconds * price, 4), "product": name, "unit_price": price} for name, price in PRODUCT_PRICES
    ]
    return {
        "combined_cost": round(sum(p["cost"] for p in products), 4),
        "product_costs": products,
        "total_duration_seconds": round(seconds, 3),
        "total_duration_unit_price": TOTAL_UNIT_PRICE,
    }
