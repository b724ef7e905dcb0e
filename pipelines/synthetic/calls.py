"""Retell-shaped synthetic calls: full get-call objects (`retell-protocol.md` §3.4).

Each planned call (see `planning.py`) is rendered from its own generator into one landing line —
compact JSON with sorted keys, byte-identical to ``json.dumps(call, sort_keys=True,
separators=(",", ":"), ensure_ascii=False)`` (a test proves it) — built as text because a
100k-call world holds ~15 million word timings. The two transcript lists are the last keys in
sorted order, so the rest of the object is encoded normally and the pre-rendered lists appended.

* `iter_call_lines(config)` streams ``(call_line, truth)`` in (start_timestamp, call_id) order —
  the writer and the benchmark use it, memory stays flat;
* `generate_call_set(config)` / `generate_calls(config)` give parsed dicts (with ground truth) for
  tests and small worlds.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.synthetic import analysis
from pipelines.synthetic.clinics import Clinic, generate_clinics
from pipelines.synthetic.config import SyntheticConfig
from pipelines.synthetic.planning import CallPlan, plan_calls
from pipelines.synthetic.rng import entity_rng
from pipelines.synthetic.scenarios import Script, build_script, expected_outcome
from pipelines.synthetic.timeline import call_latency_scale, e2e_gap, human_gap, speak

AGENT_ID = "agent_synthetic_eve"
AGENT_NAME = "Eve (synthetic)"
AGENT_VERSIONS = {"syn-v1": 1, "syn-v2": 2}
CALLER_NUMBERS = {"syn-campaign-a": "+16505550100", "syn-campaign-b": "+16505550101"}
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class CallTruth:
    """What a synthetic call really was (never part of what pipelines may read)."""

    call_id: str
    scenario: str
    expected_outcome: str
    lead_id: str
    captured_email: str
    email_kind: str
    start_ms: int

    @property
    def call_date(self) -> str:
        """UTC date of the call's start (the landing folder it belongs to)."""
        return dt.datetime.fromtimestamp(self.start_ms / 1000, dt.UTC).date().isoformat()


@dataclass(frozen=True, slots=True)
class GeneratedCall:
    """One synthetic call as a get-call dict, with its ground truth."""

    call: dict
    truth: CallTruth

    @property
    def call_id(self) -> str:
        return self.truth.call_id

    @property
    def scenario(self) -> str:
        return self.truth.scenario

    @property
    def expected_outcome(self) -> str:
        return self.truth.expected_outcome

    @property
    def captured_email(self) -> str:
        return self.truth.captured_email


def _transcripts(rng: random.Random, script: Script, prompt_version: str, voicemail: bool):
    """(transcript text, transcript_object JSON, transcript_with_tool_calls JSON, e2e gaps, talk end ms)."""
    utterances: list[str] = []
    with_tools: list[str] = []
    lines: list[str] = []
    e2e_values: list[int] = []
    scale = call_latency_scale(rng, prompt_version)
    t_end = 0
    previous_role = None
    response_id = 0
    tool_no = 0
    for step in script.steps:
        role = step[0]
        if role == "tool":
            tool_no += 1
            tool_call_id = f"tool_call_{tool_no}"
            with_tools.append(
                _encode(
                    {
                        "arguments": _encode(step[2]),
                        "name": step[1],
                        "role": "tool_call_invocation",
                        "tool_call_id": tool_call_id,
                    }
                )
            )
            with_tools.append(
                _encode({"content": "ok", "role": "tool_call_result", "successful": True, "tool_call_id": tool_call_id})
            )
            continue
        text = step[1]
        if previous_role is None:
            gap = (700 if voicemail else 400) + int(1000 * rng.random())  # pickup to first word
        elif role == "agent" and previous_role == "user":
            gap = e2e_gap(rng, scale + (600 if voicemail else 0))  # waits for the beep
            e2e_values.append(gap)
        elif role == "agent":
            gap = 300 + int(400 * rng.random())
        else:
            gap = human_gap(rng)
        words, t_end = speak(rng, text, t_end + gap, 52 if role == "agent" else 58)
        if role == "agent":
            response_id += 1
            item = f'{{"content":{_encode(text)},"metadata":{{"response_id":{response_id}}},"role":"agent","words":{words}}}'
            lines.append("Agent: " + text)
        else:
            item = f'{{"content":{_encode(text)},"role":"user","words":{words}}}'
            lines.append("User: " + text)
        utterances.append(item)
        with_tools.append(item)
        previous_role = role
    return "\n".join(lines), "[" + ",".join(utterances) + "]", "[" + ",".join(with_tools) + "]", e2e_values, t_end


def render_call(config: SyntheticConfig, plan: CallPlan, clinic: Clinic) -> tuple[str, CallTruth]:
    """One call's landing line (no newline) and its ground truth."""
    rng = entity_rng(config.seed, config.as_of_text, "render", plan.index)
    script = build_script(plan.scenario, rng, clinic, plan.prompt_version, clinic.phone)
    transcript, transcript_object, with_tools, e2e_values, talk_end = _transcripts(
        rng, script, plan.prompt_version, script.in_voicemail
    )
    connected = script.call_status != "not_connected"
    # not connected: ringing until the carrier gives up
    duration = talk_end + 300 + int(1200 * rng.random()) if connected else 12_000 + int(23_000 * rng.random())
    head = {
        "agent_id": AGENT_ID,
        "agent_name": AGENT_NAME,
        "agent_version": AGENT_VERSIONS[plan.prompt_version],
        "call_analysis": analysis.call_analysis(rng, plan.scenario, script, clinic.name),
        "call_cost": analysis.call_cost(duration / 1000 if connected else 0.0),
        "call_id": plan.call_id,
        "call_status": script.call_status,
        "call_type": "phone_call",
        "data_storage_setting": "everything",
        "direction": "outbound",
        "disconnection_reason": script.disconnection_reason,
        "duration_ms": duration,
        "end_timestamp": plan.start_ms + duration,
        "from_number": CALLER_NUMBERS[plan.campaign],
        "latency": analysis.latency(rng, e2e_values),
        "metadata": {
            "attempt_number": plan.attempt,
            "campaign_id": plan.campaign,
            "clinic_id": clinic.clinic_id,
            "lead_id": clinic.lead_id,
            "prompt_version": plan.prompt_version,
            "synthetic": True,
            "synthetic_scenario": plan.scenario,
        },
        "retell_llm_dynamic_variables": {
            "business_name": clinic.name,
            "campaign_id": plan.campaign,
            "city": clinic.city,
            "contact_name": clinic.contact_first,
            "lead_id": clinic.lead_id,
        },
        "start_timestamp": plan.start_ms,
        "to_number": clinic.phone,
        "transcript": transcript,
    }
    # "transcript_object" and "transcript_with_tool_calls" sort after every key above.
    line = f'{_encode(head)[:-1]},"transcript_object":{transcript_object},"transcript_with_tool_calls":{with_tools}}}'
    truth = CallTruth(
        call_id=plan.call_id,
        scenario=plan.scenario,
        expected_outcome=expected_outcome(plan.scenario),
        lead_id=clinic.lead_id,
        captured_email=script.captured_email,
        email_kind=script.email_kind,
        start_ms=plan.start_ms,
    )
    return line, truth


def iter_call_lines(config: SyntheticConfig, clinics: list[Clinic] | None = None) -> Iterator[tuple[str, CallTruth]]:
    """Every call's landing line and truth, in (start_timestamp, call_id) order, one at a time."""
    clinics = clinics if clinics is not None else generate_clinics(config.seed, config.n_clinics)
    for plan in plan_calls(config, clinics):
        yield render_call(config, plan, clinics[plan.lead])


def generate_call_set(config: SyntheticConfig, clinics: list[Clinic] | None = None) -> list[GeneratedCall]:
    """Every call as a parsed get-call dict with its truth (for tests and small worlds)."""
    return [GeneratedCall(json.loads(line), truth) for line, truth in iter_call_lines(config, clinics)]


def generate_calls(config: SyntheticConfig, clinics: list[Clinic] | None = None) -> list[dict]:
    """The world's get-call JSON objects (plain dicts), sorted by (start_timestamp, call_id)."""
    return [json.loads(line) for line, _ in iter_call_lines(config, clinics)]
