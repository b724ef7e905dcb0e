"""Challenger wordings written by Gemini (when a key is set), from the stats and real objections.

Gemini is shown the parent's weakest lines (lowest email capture among answered calls that heard
them) with their rates and intervals, and real caller lines per objection class, and asked for one
new wording per line as JSON. Every suggestion must pass the same validation as any wording
(`vocabulary.prompt_versions.wording_problems`); a suggestion that does not is dropped and reported.
Accepted ones are added as challenger variants (`g1`, `g2`, …) so calls — not the model — decide.
"""

from __future__ import annotations

import json
import re
from typing import Any

from google import genai
from google.genai import types

from vocabulary.prompt_versions import COMPLIANCE_LINES, wording_problems

MAX_LINES = 3
MIN_LINE_CALLS = 30
_INSTRUCTION = (
    "You improve the lines of a friendly AI phone agent that asks clinic front desks for the manager's email. "
    "Write one new wording for each line you are given: plain words a 12 year old knows, one or two short "
    "sentences, no digits, no lists, no markdown, keep the same {slots} as the current wording. "
    'Answer with JSON only: {"suggestions": [{"line": "<line key>", "text": "<new wording>", "why": "<one sentence>"}]}'
)


def weakest_lines(parent: dict[str, Any], stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The parent's lines without challengers, weakest email capture first (enough calls only)."""
    rows = [
        r
        for r in stats
        if r["grain"] == "wording"
        and r["prompt_version"] == parent["version"]
        and r["variant_id"] == "base"
        and r["calls"] >= MIN_LINE_CALLS
        and not _line(parent, r["line_key"]).get("variants")
    ]
    return sorted(rows, key=lambda r: (r["email_capture_rate"], r["line_key"]))[:MAX_LINES]


def _line(doc: dict[str, Any], key: str) -> dict[str, Any]:
    if key.startswith("objections."):
        return doc["lines"]["objections"].get(key.split(".", 1)[1], {})
    return doc["lines"].get(key, {})


def _ask(prompt: str, *, api_key: str, model: str, base_url: str | None) -> str:
    options = types.HttpOptions(base_url=base_url) if base_url else None
    client = genai.Client(api_key=api_key, http_options=options)
    config = types.GenerateContentConfig(system_instruction=_INSTRUCTION, temperature=0.7, max_output_tokens=1024)
    chunks = client.models.generate_content_stream(model=model, contents=prompt, config=config)
    return "".join(chunk.text or "" for chunk in chunks)


def add_gemini_challengers(
    doc: dict[str, Any],
    parent: dict[str, Any],
    stats: list[dict[str, Any]],
    examples: dict[str, list[str]],
    *,
    api_key: str,
    model: str,
    base_url: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Add Gemini's accepted wordings to ``doc`` in place; (diff entries, rationale sentences)."""
    weakest = weakest_lines(parent, stats)
    if not weakest:
        return [], []
    described = [
        {
            "line": r["line_key"],
            "current": _line(parent, r["line_key"])["say"],
            "email_capture": f"{r['email_capture_rate']:.0%} of {r['calls']} calls "
            f"({r['email_capture_low']:.0%} to {r['email_capture_high']:.0%})",
        }
        for r in weakest
    ]
    prompt = json.dumps({"lines": described, "caller_objections": examples}, ensure_ascii=False)
    text = _ask(prompt, api_key=api_key, model=model, base_url=base_url)
    match = re.search(r"\{.*\}", text, re.DOTALL)
    try:
        suggestions = json.loads(match.group(0))["suggestions"] if match else []
    except (json.JSONDecodeError, KeyError, TypeError):
        suggestions = []
    wanted = {r["line_key"] for r in weakest}
    diff: list[dict[str, Any]] = []
    story: list[str] = []
    for item in suggestions if isinstance(suggestions, list) else []:
        key, wording = (item.get("line"), item.get("text")) if isinstance(item, dict) else (None, None)
        if key not in wanted or not isinstance(wording, str) or key in COMPLIANCE_LINES:
            continue
        problems = wording_problems(key, wording.strip())
        if problems:
            story.append(f"Gemini's wording for '{key}' was dropped ({'; '.join(problems)}).")
            continue
        line = _line(doc, key)
        variants = line.setdefault("variants", [])
        variant_id = f"g{len(variants) + 1}"
        variants.append({"id": variant_id, "say": [wording.strip()]})
        wanted.discard(key)
        diff.append({"line": key, "change": "add_challenger", "variant": variant_id, "to": [wording.strip()]})
        why = str(item.get("why") or "").strip()[:200]
        story.append(
            f"Gemini wrote a new wording for '{key}', which gets few emails today; half the calls will hear it"
            + (f" ({why})." if why else ".")
        )
    return diff, story
