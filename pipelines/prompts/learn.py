"""One learning step: the deterministic candidate, plus Gemini's challenger wordings when keyed.

`learn_candidate` is what the `prompts.prompt_candidates` asset calls: below `min_calls` answered
calls nothing is built; otherwise winners are promoted and losers retired (`candidates`), and with a
Gemini key the weakest lines get one new challenger wording each (`gemini`). No change, no candidate.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pipelines.prompts.candidates import DOCUMENT_ONLY_KEYS, CandidateResult, build_candidate, finish_candidate


@dataclass(frozen=True, slots=True)
class GeminiAccess:
    api_key: str
    model: str
    base_url: str | None = None


def learn_candidate(
    parent: dict[str, Any],
    stats: list[dict[str, Any]],
    *,
    min_calls: int,
    examples: dict[str, list[str]] | None = None,
    gemini: GeminiAccess | None = None,
) -> CandidateResult:
    result = build_candidate(parent, stats, min_calls=min_calls)
    if gemini is None or (result.candidate is None and "a candidate needs" in result.reason):
        return result
    from pipelines.prompts.gemini import add_gemini_challengers

    base = result.candidate or parent
    child = {k: copy.deepcopy(v) for k, v in base.items() if k not in DOCUMENT_ONLY_KEYS}
    earlier = (result.candidate or {}).get("candidate") or {}
    diff, story = add_gemini_challengers(
        child, parent, stats, examples or {}, api_key=gemini.api_key, model=gemini.model, base_url=gemini.base_url
    )
    if not diff:
        return result if result.candidate else CandidateResult(None, result.reason + "; Gemini added nothing usable")
    rationale = [earlier["rationale"]] if earlier.get("rationale") else []
    candidate = finish_candidate(
        child,
        parent=parent["version"],
        built_by="gemini",
        diff=list(earlier.get("diff", [])) + diff,
        story=rationale + story,
        basis=dict(earlier.get("basis") or {"min_calls": min_calls}),
    )
    return CandidateResult(candidate, f"{len(candidate['candidate']['diff'])} change(s) to {parent['version']}")
