"""`marts.prompt_version_stats` on a real DuckDB file, and candidates built from it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from contracts.prompt_assignment import assign_variant
from pipelines.prompts.candidates import build_candidate
from pipelines.prompts.intervals import wilson_interval
from pipelines.prompts.stats import build_prompt_version_stats, like_pattern, read_stats
from tests.support.prompt_stats import EMAIL_B, make_warehouse, simulated_calls, version_with_challengers
from vocabulary.prompt_versions import builtin_version


def test_like_pattern_escapes_and_fills_slots() -> None:
    assert like_pattern("Great, that's {email}. 100%_ sure?") == "%great, that's %. 100\\%\\_ sure?%"


def test_stats_per_version_wording_and_objection(tmp_path: Path) -> None:
    version = version_with_challengers()
    calls = simulated_calls(version, 400, base_rate=0.2, b_rate=0.5)
    conn = make_warehouse(tmp_path / "w.duckdb", calls)
    build_prompt_version_stats(conn, [version, builtin_version()])
    rows = read_stats(conn)
    answered = [c for c in calls if c["answered"]]
    top = next(r for r in rows if r["grain"] == "version")
    captures = sum(c["email"] for c in answered)
    assert (top["prompt_version"], top["calls"], top["email_captures"]) == ("p-1", 400, captures)
    assert (top["email_capture_low"], top["email_capture_high"]) == pytest.approx(
        wilson_interval(captures, 400), abs=1e-4
    )
    assert top["dnc_calls"] == sum(c["outcome"] == "dnc" for c in answered)
    assert top["objections_met"] == 40
    wording = {(r["line_key"], r["variant_id"]): r for r in rows if r["grain"] == "wording"}
    heard_b = [c for c in answered if assign_variant(c["id"], "email_ask", ["base", "b"]) == "b"]
    assert wording[("email_ask", "b")]["calls"] == len(heard_b)
    assert wording[("email_ask", "b")]["email_captures"] == sum(c["email"] for c in heard_b)
    assert wording[("email_ask", "base")]["calls"] == 400 - len(heard_b)
    assert wording[("opener", "base")]["calls"] == 400  # every call heard the opener
    objection = {r["variant_id"]: r for r in rows if r["grain"] == "objection"}
    assert objection["b"]["objections_met"] == 20 and objection["base"]["objections_met"] == 20
    price_b_calls = [c for i, c in enumerate(answered) if i % 20 == 0]
    assert objection["b"]["followed_by_email"] == sum(c["email"] for c in price_b_calls)


def test_deterministic_candidate_promotes_the_winner(tmp_path: Path) -> None:
    version = version_with_challengers()
    conn = make_warehouse(tmp_path / "w.duckdb", simulated_calls(version, 400, base_rate=0.2, b_rate=0.5))
    build_prompt_version_stats(conn, [version])
    stats = read_stats(conn)
    result = build_candidate(version, stats, min_calls=250)
    cand = result.candidate
    assert cand is not None, result.reason
    assert cand["parent"] == "p-1" and cand["version"].startswith("cand-")
    assert cand["lines"]["email_ask"] == {"say": [EMAIL_B]}
    assert cand["candidate"]["diff"][0]["line"] == "email_ask" and cand["candidate"]["diff"][0]["change"] == "promote"
    assert (
        "email_ask" in cand["candidate"]["rationale"]
        and "becomes the wording everyone hears" in cand["candidate"]["rationale"]
    )
    assert "variants" in cand["lines"]["objections"]["price"]  # too few calls to decide: still collecting
    again = build_candidate(copy.deepcopy(version), [dict(r) for r in stats], min_calls=250).candidate
    assert json.dumps(again, sort_keys=True) == json.dumps(cand, sort_keys=True)


def test_losing_challenger_retires(tmp_path: Path) -> None:
    version = version_with_challengers()
    conn = make_warehouse(tmp_path / "w.duckdb", simulated_calls(version, 400, base_rate=0.5, b_rate=0.15))
    build_prompt_version_stats(conn, [version])
    cand = build_candidate(version, read_stats(conn), min_calls=250).candidate
    assert cand is not None
    assert cand["lines"]["email_ask"] == {"say": version["lines"]["email_ask"]["say"]}
    assert "only" in cand["candidate"]["rationale"] and "retired" in cand["candidate"]["rationale"]


def test_no_candidate_below_min_calls_or_without_a_clear_difference(tmp_path: Path) -> None:
    version = version_with_challengers()
    conn = make_warehouse(tmp_path / "w.duckdb", simulated_calls(version, 200, base_rate=0.2, b_rate=0.5))
    build_prompt_version_stats(conn, [version])
    result = build_candidate(version, read_stats(conn), min_calls=250)
    assert result.candidate is None and "200 answered calls; a candidate needs 250" in result.reason
    conn2 = make_warehouse(tmp_path / "w2.duckdb", simulated_calls(version, 300, base_rate=0.3, b_rate=0.3))
    build_prompt_version_stats(conn2, [version])
    result = build_candidate(version, read_stats(conn2), min_calls=250)
    assert result.candidate is None and "no wording beat or lost" in result.reason
