"""The `prompts` group really materialized: stats from the journeys marts, a candidate that promotes
the wording callers prefer, the eval gate (the real brain, the 48 eval personas), then publish."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from assets.journeys.assets import customer_journeys, line_signals
from assets.prompts.assets import eval_gate, prompt_candidates, prompt_version_stats
from assets.revenue_ops.assets import call_features
from contracts.layout import DataLayout
from contracts.prompt_assignment import assign_variant, unit_hash
from pipelines.commands.prompts import main as prompts_cli
from pipelines.prompts.gate import run_gate
from pipelines.prompts.publish import PromptLockClosed, publish
from tests.support.journeys import Call, agent, materialize, query, user, write_fixture
from vocabulary.prompt_versions import builtin_version, parse_version

ASSETS = [line_signals, customer_journeys, call_features, prompt_version_stats, prompt_candidates, eval_gate]
CHALLENGER = "Who should get a short summary? What's their email?"


def challenger_version() -> dict:
    doc = copy.deepcopy(builtin_version())
    doc["version"], doc["parent"] = "p-1", "builtin-v1"
    doc["lines"]["email_ask"]["variants"] = [{"id": "b", "say": [CHALLENGER]}]
    return doc


def calls_preferring_the_challenger(version: dict, n: int) -> list[Call]:
    """Callers hidden preference: an email on 60 % of calls that heard the challenger, 25 % otherwise."""
    out = []
    for i in range(n):
        cid = f"call_{i:04d}"
        heard = assign_variant(cid, "email_ask", ["base", "b"])
        ask = CHALLENGER if heard == "b" else version["lines"]["email_ask"]["say"][0]
        lines = [
            agent("Hi, this is Cassidy with Eve. I'm an AI assistant. Do you have a quick second?"),
            user("Sure, go ahead."),
            agent(f"Got it. {ask}"),
        ]
        if unit_hash(cid, "caller") < (0.6 if heard == "b" else 0.25):
            lines.append(user("It's jane@glowspa.com."))
        else:
            lines.append(user("I'd rather not say."))
        out.append(Call(cid, lines, prompt_version=version["version"]))
    return out


def candidate_metadata(result) -> dict:
    (event,) = [
        e for e in result.get_asset_materialization_events() if e.asset_key.path == ["prompts", "prompt_candidates"]
    ]
    return event.materialization.metadata


def install_active(data_dir: Path, doc: dict) -> None:
    path = DataLayout(data_dir).prompt_candidate(doc["version"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    publish(data_dir, doc["version"], lock_on=False, by="test")


def test_the_group_learns_gates_and_the_lock_holds(
    tmp_path: Path, data_dir: Path, monkeypatch, warehouse_backend
) -> None:
    monkeypatch.setenv("PROMPT_LEARN_MIN_CALLS", "250")
    version = challenger_version()
    install_active(data_dir, version)
    active_before = DataLayout(data_dir).active_prompt.read_bytes()
    warehouse = write_fixture(tmp_path / "w.duckdb", calls_preferring_the_challenger(version, 300))
    result = materialize(warehouse, ASSETS)

    rows = query(
        warehouse,
        "SELECT variant_id, calls, email_capture_rate FROM marts.prompt_version_stats "
        "WHERE grain = 'wording' AND line_key = 'email_ask' ORDER BY variant_id",
    )
    assert [r[0] for r in rows] == ["b", "base"] and sum(r[1] for r in rows) == 300
    assert rows[0][2] > rows[1][2]

    meta = candidate_metadata(result)
    name = meta["candidate"].value
    candidate = parse_version(DataLayout(data_dir).prompt_candidate(name).read_bytes())
    assert candidate["lines"]["email_ask"] == {"say": [CHALLENGER]} and candidate["parent"] == "p-1"
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["eval_gate"] is True
    gate = json.loads(DataLayout(data_dir).prompt_candidate_eval(name).read_bytes())
    assert gate["candidate"]["dnc_compliance"] == 1.0 and gate["candidate"]["ai_disclosure"] == 1.0
    assert gate["candidate"]["pinned_version"] == name

    assert DataLayout(data_dir).active_prompt.read_bytes() == active_before  # the lineage never publishes
    with pytest.raises(PromptLockClosed):
        publish(data_dir, name, lock_on=True, by="test")
    assert DataLayout(data_dir).active_prompt.read_bytes() == active_before
    published = publish(data_dir, name, lock_on=False, by="test")
    assert published["published"]["from_candidate"] == name and published["published"]["eval"]["passed"] is True


def test_below_min_calls_there_is_no_candidate(tmp_path: Path, data_dir: Path, warehouse_backend, capsys) -> None:
    version = challenger_version()
    install_active(data_dir, version)
    warehouse = write_fixture(tmp_path / "w.duckdb", calls_preferring_the_challenger(version, 60))
    result = materialize(warehouse, ASSETS)
    meta = candidate_metadata(result)
    assert meta["candidate"].value is None
    assert "60 answered calls; a candidate needs 250" in meta["reason"].value
    assert [p.name for p in DataLayout(data_dir).prompt_candidates.glob("*.json")] == ["p-1.json"]
    # `make prompts` lists the stats: from the lake itself on DuckLake, from the serving copy (none
    # published by this in-process run) on the embedded file
    capsys.readouterr()
    assert prompts_cli(["list"]) == 0
    listed = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("* p-1"))
    assert ("60 answered" in listed) == warehouse_backend.is_lake, listed
    assert ("no stats" in listed) != warehouse_backend.is_lake, listed


def test_gate_blocks_an_unspeakable_candidate_without_playing_it() -> None:
    bad = challenger_version()
    bad["lines"]["routing"]["say"] = ["Call **now**!"]
    result = run_gate(bad, builtin_version())
    assert not result.passed and any("speech guard" in f for f in result.failures)
