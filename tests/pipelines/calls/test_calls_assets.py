"""Call assets really materialized (dg.materialize) on both warehouse backends and a tmp DATA_DIR:
landing files of every kind → raw → staging, rejects with reasons, the ledger, idempotent reruns."""

from __future__ import annotations

import json
import os

import dagster as dg
import pytest

from pipelines.platform.resources import build_resources
from tests.fakes.retell_call_factory import make_call
from tests.support.calls_landing import ALL, brain_record, jsonl, materialize, retell_calls, webhook_event, write
from tests.support.warehouse import execute, query, warehouse_settings

pytestmark = pytest.mark.usefixtures("warehouse_backend")


def populate(landing):
    day = landing / "retell_calls" / "synthetic" / "2026-01-01"
    synthetic = retell_calls(0, 1, 2)
    write(
        day / "calls.jsonl",
        jsonl(
            synthetic
            + [
                "{this is not json",
                {"call_id": 5, "call_status": "ended"},
                {"call_id": "call_bad_ts", "start_timestamp": "yesterday"},
                "[1, 2, 3]",
            ]
        ),
    )
    write(landing / "retell_calls" / "synthetic" / "2026-01-02" / "calls.jsonl", "")
    latin = jsonl(retell_calls(3)).encode() + b'{"call_id": "caf\xe9"}\n' + jsonl(retell_calls(4)).encode()
    write(landing / "retell_calls" / "api" / "2026-01-03" / "mixed.jsonl", latin)  # one line not UTF-8
    hooks = landing / "retell_webhooks" / "2026-01-01"
    ended = {k: v for k, v in make_call(1).items() if k != "call_analysis"}
    write(hooks / "call_00000001.call_ended.aaaa.json", webhook_event(ended, "call_ended"))
    write(
        hooks / "call_hook.call_analyzed.bbbb.json",
        webhook_event({**make_call(7), "call_id": "call_hook"}, "call_analyzed"),
    )
    write(hooks / "broken.call_ended.cccc.json", '{"event": "call_ended", "call": ')
    write(hooks / "nocall.call_ended.dddd.json", json.dumps({"event": "call_ended"}))
    brain = landing / "brain_calls" / "2026-01-02"
    write(brain / "call_00000000.json", json.dumps(brain_record("call_00000000", synthetic=True)))
    write(brain / "brain_only_1.json", json.dumps(brain_record("brain_only_1")))
    bad = brain_record("brain_bad")
    del bad["turns"]
    bad["reconnects"] = "two"
    write(brain / "brain_bad.json", json.dumps(bad))
    write(brain / "brain_garbage.json", "not json at all")


def test_landing_files_flow_to_staging_with_rejects(data_dir, tmp_path):
    db = tmp_path / "wh.duckdb"
    populate(data_dir / "landing")
    meta = materialize(db)

    assert meta["landing/retell_api_calls"]["skipped"].value == "RETELL_API_KEY not configured"
    assert meta["raw/retell_calls"]["dagster/row_count"].value == 6
    assert meta["checks"] == {"raw/retell_calls": False, "raw/brain_calls": False}  # WARN: rejects this load
    assert set(meta["key_checks"]) == {
        (asset, check)
        for asset in ("raw/retell_calls", "raw/brain_calls")
        for check in ("call_id_unique", "landing_file_paths_unique")
    }
    assert all(meta["key_checks"].values())
    rows = dict(
        (r[0], r[1:]) for r in query(db, "SELECT call_id, source, seen_sources, completeness FROM raw.retell_calls")
    )
    assert set(rows) == {
        "call_00000000",
        "call_00000001",
        "call_00000002",
        "call_00000003",
        "call_00000004",
        "call_hook",
    }
    # the synthetic version (with analysis) beats the webhook's call_ended; both sources remembered
    assert rows["call_00000001"] == ("synthetic", ["synthetic", "webhook"], 7)
    assert rows["call_hook"][0] == "webhook"

    rejects = query(db, "SELECT kind, reason FROM raw.call_rejects ORDER BY kind, reason")
    reasons = [r[1] for r in rejects]
    assert ("retell_jsonl", "invalid JSON") in rejects
    assert ("retell_jsonl", "call_id missing or not a string") in rejects
    assert ("retell_jsonl", "start_timestamp is not a number") in rejects
    assert ("retell_jsonl", "not a JSON object") in rejects
    assert ("retell_jsonl", "empty file (no records)") in rejects
    assert ("retell_jsonl", "line 2 is not UTF-8") in rejects  # the file's good lines still loaded
    assert query(db, "SELECT rows_loaded, rows_rejected FROM raw.landing_files WHERE path LIKE '%mixed.jsonl'") == [
        (2, 1)
    ]
    assert query(db, "SELECT rows_loaded, rows_rejected FROM raw.landing_files WHERE path LIKE '%01/calls.jsonl'") == [
        (3, 4)
    ]
    assert ("retell_webhook", "invalid JSON") in rejects
    assert ("retell_webhook", "webhook event without a `call` object") in rejects
    assert any(r.startswith("schema: ") for r in reasons)
    assert any(r.startswith("invalid JSON") for k, r in rejects if k == "brain_call")
    assert len(rejects) == 10

    calls = {
        r[0]: r[1:]
        for r in query(
            db,
            """
        SELECT call_id, sources, is_synthetic, from_number_e164, to_number_e164, prompt_version,
               lead_id, cost_usd, latency_e2e_p50_ms, analysis_outcome, brain_outcome, start_ts
        FROM staging.calls""",
        )
    }
    assert set(calls) == {
        "call_00000000",
        "call_00000001",
        "call_00000002",
        "call_00000003",
        "call_00000004",
        "call_hook",
        "brain_only_1",
    }
    assert calls["call_00000000"][:3] == ("retell+brain", True, "+12145550100")
    assert calls["call_00000000"][4] == "pv-7"  # the version the brain pinned
    assert calls["call_00000000"][5] == "lead_00000"  # Retell metadata first
    assert calls["call_00000000"][6] == 0.125 and calls["call_00000000"][7] == 800.0
    assert calls["call_00000000"][8:10] == ("email_captured", "email_captured")
    brain_only = calls["brain_only_1"]
    assert brain_only[:6] == ("brain", False, "+12145550100", "+12145550177", "pv-7", "lead_brain_1")
    assert brain_only[9] == "email_captured" and str(brain_only[10]) == "2026-01-02 15:00:00"

    lines = query(
        db,
        "SELECT call_id, idx, role, start_s, end_s, source FROM staging.transcript_lines "
        "WHERE call_id IN ('call_00000000', 'brain_only_1') ORDER BY call_id, idx",
    )
    assert [line[5] for line in lines if line[0] == "call_00000000"] == ["retell"] * 5  # Retell wins
    assert lines[0] == ("brain_only_1", 0, "agent", 1.0, None, "brain")
    assert lines[1] == ("brain_only_1", 1, "user", None, 9.25, "brain")
    tools = query(
        db,
        "SELECT call_id, idx, name, arguments->>'outcome', result, successful, source "
        "FROM staging.tool_events ORDER BY call_id",
    )
    assert ("brain_only_1", 0, "log_call_outcome", "email_captured", "ok", True, "brain") in tools
    assert ("call_00000000", 0, "log_call_outcome", "email_captured", "ok", True, "retell") in tools

    # Rerun: the ledger means nothing is read again and nothing changes.
    before = query(db, "SELECT * FROM raw.retell_calls ORDER BY call_id")
    meta2 = materialize(db)
    assert meta2["raw/retell_calls"]["files_read"].value == 0
    assert meta2["raw/brain_calls"]["files_read"].value == 0
    assert meta2["checks"] == {"raw/retell_calls": True, "raw/brain_calls": True}
    assert query(db, "SELECT * FROM raw.retell_calls ORDER BY call_id") == before
    assert query(db, "SELECT count(*) FROM raw.call_rejects")[0][0] == 10


def test_changed_file_is_reread_and_upserts_without_duplicates(data_dir, tmp_path):
    db = tmp_path / "wh.duckdb"
    path = write(
        data_dir / "landing" / "retell_calls" / "synthetic" / "2026-01-01" / "calls.jsonl",
        jsonl(retell_calls(0, 1, analysis_pending=True)),
    )
    materialize(db)
    assert query(db, "SELECT count(*) FILTER (WHERE has_analysis) FROM raw.retell_calls")[0][0] == 0
    # the generator rewrites the day: same calls now analysed, plus a new one
    write(path, jsonl(retell_calls(0, 1, 2)))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    meta = materialize(db)
    assert meta["raw/retell_calls"]["files_read"].value == 1
    assert query(
        db, "SELECT count(*), count(DISTINCT call_id), count(*) FILTER (WHERE has_analysis) FROM raw.retell_calls"
    ) == [(3, 3, 3)]
    assert query(db, "SELECT count(*) FROM staging.calls") == [(3,)]
    # an older, less complete webhook version arriving later never replaces the analysed one
    older = {k: v for k, v in make_call(0).items() if k != "call_analysis"}
    write(
        data_dir / "landing" / "retell_webhooks" / "2026-01-01" / "call_00000000.call_ended.x.json",
        webhook_event(older, "call_ended"),
    )
    materialize(db)
    assert query(
        db, "SELECT source, has_analysis, seen_sources FROM raw.retell_calls WHERE call_id = 'call_00000000'"
    ) == [("synthetic", True, ["synthetic", "webhook"])]


def test_a_duplicated_key_fails_its_blocking_check_and_stops_staging(data_dir):
    """No PRIMARY KEY (DuckLake has none): the blocking check is what stops a duplicate call_id."""
    write(data_dir / "landing" / "brain_calls" / "2026-01-02" / "b1.json", json.dumps(brain_record("b1")))
    materialize()
    execute(None, "INSERT INTO raw.brain_calls SELECT * FROM raw.brain_calls")  # what a key used to refuse
    write(data_dir / "landing" / "brain_calls" / "2026-01-02" / "b2.json", json.dumps(brain_record("b2")))
    result = dg.materialize(ALL, resources=build_resources(warehouse_settings()), raise_on_error=False)
    failed = {
        (c.asset_key.to_user_string(), c.check_name) for c in result.get_asset_check_evaluations() if not c.passed
    }
    assert failed == {("raw/brain_calls", "call_id_unique")}
    [evaluation] = [
        c for c in result.get_asset_check_evaluations() if c.check_name == "call_id_unique" and not c.passed
    ]
    assert evaluation.metadata["duplicated_key"].value == "b1"
    staged = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "staging/calls" not in staged  # blocked downstream of the failed check
