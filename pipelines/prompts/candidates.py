"""Candidate versions built deterministically from `marts.prompt_version_stats`.

Once the parent (the active version) has at least `min_calls` answered calls, every line that
carries challenger wordings is judged on email capture among the answered calls that heard it:

* a challenger whose Wilson interval lies wholly above the incumbent's is a winner; the best winner
  (highest rate, then lower bound, then id) becomes the line's wording and the other wordings of the
  line retire (they were compared with the old incumbent only);
* a challenger whose interval lies wholly below the incumbent's retires;
* anything else keeps collecting calls.

No change, no candidate. The same parent and stats always give the same candidate, byte for byte
(its name is a digest of its content); it records its diff against the parent and a plain-language
rationale. The candidate is validated like any version before it is returned.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from vocabulary.prompt_versions import validate_version

DOCUMENT_ONLY_KEYS = ("published", "ab", "candidate")


@dataclass(frozen=True, slots=True)
class CandidateResult:
    candidate: dict[str, Any] | None
    reason: str  # why there is (or is not) a candidate, in plain words


def _pct(rate: float) -> str:
    return f"{round(rate * 100)} %"


def _evidence(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "calls": int(row["calls"]),
        "email_capture_rate": float(row["email_capture_rate"]),
        "interval": [float(row["email_capture_low"]), float(row["email_capture_high"])],
    }


def _describe(row: dict[str, Any]) -> str:
    return (
        f"{_pct(row['email_capture_rate'])} ({_pct(row['email_capture_low'])}–{_pct(row['email_capture_high'])}) "
        f"of {row['calls']} calls"
    )


def _lines_by_key(lines: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {k: v for k, v in lines.items() if k != "objections"}
    out.update({f"objections.{k}": v for k, v in lines.get("objections", {}).items()})
    return out


def version_row(stats: list[dict[str, Any]], version: str) -> dict[str, Any] | None:
    return next((r for r in stats if r["grain"] == "version" and r["prompt_version"] == version), None)


def build_candidate(parent: dict[str, Any], stats: list[dict[str, Any]], *, min_calls: int) -> CandidateResult:
    """A candidate derived from ``parent`` by the rules above, or None with the reason."""
    name = parent["version"]
    totals = version_row(stats, name)
    answered = int(totals["calls"]) if totals else 0
    if answered < min_calls:
        return CandidateResult(
            None, f"{name} has {answered} answered calls; a candidate needs {min_calls} (PROMPT_LEARN_MIN_CALLS)"
        )
    wordings: dict[tuple[str, str], dict[str, Any]] = {
        (r["line_key"], r["variant_id"]): r for r in stats if r["grain"] == "wording" and r["prompt_version"] == name
    }
    child = {k: copy.deepcopy(v) for k, v in parent.items() if k not in DOCUMENT_ONLY_KEYS}
    lines = _lines_by_key(child["lines"])
    diff: list[dict[str, Any]] = []
    story: list[str] = []
    for key in sorted(lines):
        line = lines[key]
        variants = line.get("variants", [])
        base = wordings.get((key, "base"))
        if not variants or base is None:
            continue
        judged = [(v, wordings.get((key, v["id"]))) for v in variants]
        winners = [(v, r) for v, r in judged if r is not None and r["email_capture_low"] > base["email_capture_high"]]
        if winners:
            best, row = max(
                winners, key=lambda vr: (vr[1]["email_capture_rate"], vr[1]["email_capture_low"], vr[0]["id"])
            )
            diff.append(
                {
                    "line": key,
                    "change": "promote",
                    "variant": best["id"],
                    "from": line["say"],
                    "to": best["say"],
                    "evidence": {"base": _evidence(base), best["id"]: _evidence(row)},
                }
            )
            retired = [v["id"] for v in variants if v["id"] != best["id"]]
            if retired:
                diff.append(
                    {"line": key, "change": "retire", "variants": retired, "reason": "compared with the old wording"}
                )
            story.append(
                f"For the line '{key}', the wording '{best['id']}' got an email on {_describe(row)}, against "
                f"{_describe(base)} for the current wording, so it becomes the wording everyone hears."
            )
            line["say"] = list(best["say"])
            line.pop("variants", None)
            continue
        losers = [(v, r) for v, r in judged if r is not None and r["email_capture_high"] < base["email_capture_low"]]
        if losers:
            ids = [v["id"] for v, _ in losers]
            diff.append(
                {
                    "line": key,
                    "change": "retire",
                    "variants": ids,
                    "evidence": {"base": _evidence(base), **{v["id"]: _evidence(r) for v, r in losers}},
                }
            )
            for v, r in losers:
                story.append(
                    f"For the line '{key}', the wording '{v['id']}' got an email on only {_describe(r)}, against "
                    f"{_describe(base)} for the current wording, so it is retired."
                )
            kept = [v for v in variants if v["id"] not in ids]
            if kept:
                line["variants"] = kept
            else:
                line.pop("variants", None)
    if not diff:
        return CandidateResult(None, f"{name}: no wording beat or lost to its incumbent with confidence yet")
    return CandidateResult(
        finish_candidate(
            child,
            parent=name,
            built_by="deterministic",
            diff=diff,
            story=story,
            basis={"answered_calls": answered, "min_calls": min_calls},
        ),
        f"{len(diff)} change(s) to {name}",
    )


def finish_candidate(
    child: dict[str, Any],
    *,
    parent: str,
    built_by: str,
    diff: list[dict[str, Any]],
    story: list[str],
    basis: dict[str, Any],
) -> dict[str, Any]:
    """Name the candidate by its content, attach diff and rationale, validate it."""
    child["parent"] = parent
    child.pop("created_at", None)
    body = json.dumps({k: child[k] for k in ("system_prompt", "parameters", "lines")}, sort_keys=True)
    child["version"] = f"cand-{hashlib.sha256(body.encode()).hexdigest()[:12]}"
    child["notes"] = f"Candidate built from {parent}."
    child["candidate"] = {"built_by": built_by, "rationale": " ".join(story), "diff": diff, "basis": basis}
    return validate_version(child, f"candidate from {parent}")
