"""Malformed landing input on both backends (the DuckLake path above all, where no key constraint
exists): bad records are rejected with their reason while the rest lands, a rerun changes nothing,
a corrected file replaces its rejects and ledger row, and an older brain record never wins."""

from __future__ import annotations

import json
import os

import pytest

from tests.support.calls_landing import brain_record, jsonl, materialize, retell_calls, write
from tests.support.warehouse import query

pytestmark = pytest.mark.usefixtures("warehouse_backend")

TABLES = {
    "raw.retell_calls": "SELECT call_id, source, completeness, version_mtime_ns FROM raw.retell_calls ORDER BY ALL",
    "raw.brain_calls": "SELECT call_id, source_file, file_mtime_ns FROM raw.brain_calls ORDER BY ALL",
    "raw.call_rejects": "SELECT source_file, kind, reason FROM raw.call_rejects ORDER BY ALL",
    "raw.landing_files": "SELECT path, size_bytes, mtime_ns, rows_loaded, rows_rejected FROM raw.landing_files ORDER BY ALL",
}


def snapshot() -> dict[str, list[tuple]]:
    return {name: query(None, sql) for name, sql in TABLES.items()}


def touch_later(path, seconds: int) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


def test_bad_records_are_rejected_the_rest_lands_and_reruns_converge(data_dir, warehouse_backend):
    landing = data_dir / "landing"
    calls_file = write(
        landing / "retell_calls" / "api" / "2026-01-03" / "batch.jsonl",
        jsonl([*retell_calls(0, 1), "{truncated", {"call_status": "ended"}, *retell_calls(2)]),
    )
    brain_dir = landing / "brain_calls" / "2026-01-03"
    good = write(brain_dir / "b_good.json", json.dumps(brain_record("b_good")))
    bad_record = brain_record("b_bad")
    bad_record["reconnects"] = "two"
    bad = write(brain_dir / "b_bad.json", json.dumps(bad_record))

    first = materialize()
    if warehouse_backend.is_lake:
        assert not (data_dir / "warehouse.duckdb").exists()  # everything went to the lake
    assert all(first["key_checks"].values())
    tables = snapshot()
    assert [r[0] for r in tables["raw.retell_calls"]] == ["call_00000000", "call_00000001", "call_00000002"]
    assert [r[0] for r in tables["raw.brain_calls"]] == ["b_good"]
    reasons = {(r[0], r[2].split(":")[0]) for r in tables["raw.call_rejects"]}
    assert reasons == {
        (str(calls_file), "invalid JSON"),
        (str(calls_file), "call_id missing or not a string"),
        (str(bad), "schema"),
    }
    ledger = {r[0]: r[3:] for r in tables["raw.landing_files"]}
    assert ledger == {str(calls_file): (3, 2), str(good): (1, 0), str(bad): (0, 1)}

    # rerun with nothing changed: nothing read, nothing changed
    again = materialize()
    assert again["raw/retell_calls"]["files_read"].value == 0 and again["raw/brain_calls"]["files_read"].value == 0
    assert snapshot() == tables

    # the files are corrected: their rejects go, their ledger row is updated in place, no duplicates
    write(calls_file, jsonl(retell_calls(0, 1, 2, 3, 4)))
    touch_later(calls_file, 5)
    bad_record["reconnects"] = 2
    write(bad, json.dumps(bad_record))
    touch_later(bad, 5)
    fixed = materialize()
    assert all(fixed["key_checks"].values())
    assert fixed["checks"] == {"raw/retell_calls": True, "raw/brain_calls": True}
    tables = snapshot()
    assert tables["raw.call_rejects"] == []
    assert len(tables["raw.retell_calls"]) == 5
    assert [r[0] for r in tables["raw.brain_calls"]] == ["b_bad", "b_good"]
    ledger = {r[0]: r[3:] for r in tables["raw.landing_files"]}
    assert ledger == {str(calls_file): (5, 0), str(good): (1, 0), str(bad): (1, 0)}
    assert query(None, "SELECT count(*) FROM staging.calls") == [(7,)]

    # an older copy of b_good landing later (another day's folder, older mtime) never replaces it
    older = write(landing / "brain_calls" / "2026-01-01" / "b_good.json", json.dumps(brain_record("b_good")))
    touch_later(older, -3600)
    materialize()
    assert query(None, "SELECT source_file FROM raw.brain_calls WHERE call_id = 'b_good'") == [(str(good),)]
    assert query(None, "SELECT count(*), count(DISTINCT path) FROM raw.landing_files") == [(4, 4)]
