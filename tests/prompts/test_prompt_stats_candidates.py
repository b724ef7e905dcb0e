"""`marts.prompt_version_stats` on a real DuckDB file, and candidates built from it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from contracts.prompt_assignment import assign_variant
from pipelines.prompts.candidates import build_candidate
from pipelines.prompts.intervals import two_proportion_z, wilson_interval
from pipelines.prompts.stats import build_prompt_version_stats, challenger_statement, like_pattern, read_stats
from pipelines.reports.sections import prompt_section, render_prompt_versions
from tests.support.prompt_stats import EMAIL_B, make_warehouse, simulated_calls, version_with_challengers
from vocabulary.prompt_versions import builtin_version


def test_like_pattern_escapes_and_fills_slots() -> None:
    assert like_pattern("Great, that's {email}. 100%_ sure?") == "%great, that's %. 100\\%\\_ sure?%"


def test_stats_per_version_wording_and_objection(tmp_path: Path, warehouse_backend) -> None:
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
    b, base = wording[("email_ask", "b")], wording[("email_ask", "base")]
    z = two_proportion_z(b["email_captures"], b["calls"], base["email_captures"], base["calls"])
    assert (b["compared_with"], b["capture_verdict"]) == ("base", "better")  # 50 % vs 20 % on ~200 each
    assert b["capture_z"] == pytest.approx(z, abs=1e-3) and z > 1.96
    assert base["capture_verdict"] is None and wording[("opener", "base")]["compared_with"] is None
    assert (top["compared_with"], top["capture_verdict"]) == (None, None)  # builtin-v1 has no calls here
    objection = {r["variant_id"]: r for r in rows if r["grain"] == "objection"}
    assert objection["b"]["objections_met"] == 20 and objection["base"]["objections_met"] == 20
    price_b_calls = [c for i, c in enumerate(answered) if i % 20 == 0]
    assert objection["b"]["followed_by_email"] == sum(c["email"] for c in price_b_calls)


def test_deterministic_candidate_promotes_the_winner(tmp_path: Path, warehouse_backend) -> None:
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


def test_losing_challenger_retires(tmp_path: Path, warehouse_backend) -> None:
    version = version_with_challengers()
    conn = make_warehouse(tmp_path / "w.duckdb", simulated_calls(version, 400, base_rate=0.5, b_rate=0.15))
    build_prompt_version_stats(conn, [version])
    cand = build_candidate(version, read_stats(conn), min_calls=250).candidate
    assert cand is not None
    assert cand["lines"]["email_ask"] == {"say": version["lines"]["email_ask"]["say"]}
    assert "only" in cand["candidate"]["rationale"] and "retired" in cand["candidate"]["rationale"]


def test_no_candidate_below_min_calls_or_without_a_clear_difference(tmp_path: Path, warehouse_backend) -> None:
    version = version_with_challengers()
    conn = make_warehouse(tmp_path / "w.duckdb", simulated_calls(version, 200, base_rate=0.2, b_rate=0.5))
    build_prompt_version_stats(conn, [version])
    result = build_candidate(version, read_stats(conn), min_calls=250)
    assert result.candidate is None and "200 answered calls; a candidate needs 250" in result.reason
    conn2 = make_warehouse(tmp_path / "w2.duckdb", simulated_calls(version, 300, base_rate=0.3, b_rate=0.3))
    build_prompt_version_stats(conn2, [version])
    result = build_candidate(version, read_stats(conn2), min_calls=250)
    assert result.candidate is None and "no wording beat or lost" in result.reason


def _record(call_id: str, lines: list[tuple[str, str]], variants: dict[str, str] | None) -> dict:
    turns = [{"role": "agent", "text": "Hi.", "prompt_lines": [{"line": k, "variant": v}]} for k, v in lines]
    record: dict = {"call_id": call_id, "turns": turns}
    if variants is not None:
        record["prompt_variants"] = variants
    return record


def test_recorded_variant_ids_win_over_text_and_old_records_fall_back(tmp_path: Path, warehouse_backend) -> None:
    version = version_with_challengers()
    calls = simulated_calls(version, 60, base_rate=0.2, b_rate=0.5)
    answered = [c for c in calls if c["answered"]]
    text_b = {c["id"] for c in answered if assign_variant(c["id"], "email_ask", ["base", "b"]) == "b"}
    # the first 30 calls carry records naming the wording they spoke: here the opposite of what their
    # text says, so the test can tell which attribution the stats used; the rest are old records
    recorded = {}
    for c in answered[:30]:
        spoken = "base" if c["id"] in text_b else "b"
        c["record"] = _record(c["id"], [("opener", "base"), ("email_ask", spoken)], {"email_ask": spoken})
        recorded[c["id"]] = spoken
    answered[30]["record"] = _record(answered[30]["id"], [("email_ask", "b")], None)  # no prompt_variants: old
    conn = make_warehouse(tmp_path / "w.duckdb", calls)
    build_prompt_version_stats(conn, [version])
    wording = {(r["line_key"], r["variant_id"]): r for r in read_stats(conn) if r["grain"] == "wording"}
    expected_b = {cid for cid, v in recorded.items() if v == "b"} | {
        c["id"] for c in answered[30:] if c["id"] in text_b
    }
    assert wording[("email_ask", "b")]["calls"] == len(expected_b)
    assert wording[("email_ask", "b")]["email_captures"] == sum(c["email"] for c in answered if c["id"] in expected_b)
    assert wording[("email_ask", "base")]["calls"] == 60 - len(expected_b)
    assert wording[("opener", "base")]["calls"] == 60  # recorded calls by id, the others by text
    # a recorded call's price answer only matches the wordings its record names (here none)
    objection = {r["variant_id"]: r for r in read_stats(conn) if r["grain"] == "objection"}
    price_calls = [c for i, c in enumerate(answered) if i % 10 == 0]
    assert sum(r["objections_met"] for r in objection.values()) == len(price_calls)
    assert objection[None]["objections_met"] == sum(1 for c in price_calls if c["id"] in recorded)


def test_a_record_with_malformed_prompt_lines_counts_by_what_it_names(tmp_path: Path, warehouse_backend) -> None:
    version = version_with_challengers()
    calls = simulated_calls(version, 3, base_rate=0.5, b_rate=0.5)
    calls[0]["record"] = {"call_id": calls[0]["id"], "prompt_variants": {}, "turns": [{"prompt_lines": "junk"}]}
    calls[1]["record"] = {"call_id": calls[1]["id"], "prompt_variants": {}, "turns": [{"prompt_lines": [{"x": 1}]}]}
    conn = make_warehouse(tmp_path / "w.duckdb", calls)
    build_prompt_version_stats(conn, [version])
    wording = {(r["line_key"], r["variant_id"]): r for r in read_stats(conn) if r["grain"] == "wording"}
    assert wording[("opener", "base")]["calls"] == 1  # only the third call (no record) is attributed


def test_a_challenger_version_is_compared_with_its_parent(tmp_path: Path, warehouse_backend) -> None:
    parent = version_with_challengers("p-1")
    child = copy.deepcopy(parent)
    child.update(version="p-2", parent="p-1")
    calls = simulated_calls(parent, 200, base_rate=0.2, b_rate=0.2)
    calls += simulated_calls(child, 200, base_rate=0.45, b_rate=0.45)
    calls = [c for c in calls if c["id"] != "unanswered"]
    conn = make_warehouse(tmp_path / "w.duckdb", calls)
    build_prompt_version_stats(conn, [parent, child])
    versions = {r["prompt_version"]: r for r in read_stats(conn) if r["grain"] == "version"}
    assert (versions["p-2"]["compared_with"], versions["p-2"]["capture_verdict"]) == ("p-1", "better")
    assert versions["p-2"]["capture_z"] > 1.96
    assert versions["p-1"]["compared_with"] is None  # its parent (builtin-v1) has no calls
    assert "email capture significantly better than p-1 (z +" in challenger_statement(versions["p-2"])
    assert challenger_statement(versions["p-1"]) == ""
    # issue 11: the revenue-ops report's prompt section says the same, with the same wording
    section = {r["prompt_version"]: r for r in prompt_section(conn)}
    assert section["p-2"]["statement"] == challenger_statement(versions["p-2"]).removeprefix(", ")
    markdown = "\n".join(render_prompt_versions(list(section.values())))
    assert "## Prompt versions" in markdown
    assert "| p-2 | 200 |" in markdown and "email capture significantly better than p-1 (z +" in markdown
