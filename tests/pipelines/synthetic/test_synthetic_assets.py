"""The `synthetic` group materialized for real: a tmp warehouse, a tmp DATA_DIR, the real op.

The warehouse-facing tests ask for `warehouse_backend` and run on the embedded file and on DuckLake;
those about the file itself (a fresh DATA_DIR holding it, a selection that never opens it) stay
embedded."""

from __future__ import annotations

import hashlib

import dagster as dg
import duckdb
import pytest

from assets.synthetic.assets import SYNTHETIC_CALLS, SYNTHETIC_CLINICS, SYNTHETIC_LEADS, synthetic_world
from pipelines.platform.resources import build_resources
from pipelines.platform.settings import PipelineSettings
from pipelines.platform.sql import run_sql_file
from pipelines.platform.warehouse import open_warehouse
from pipelines.synthetic import SyntheticConfig, generate_call_set, synthetic_landing_dir


def _materialize(tmp_path, config: dict | None = None, raise_on_error: bool = True):
    return dg.materialize(
        [synthetic_world],
        resources=build_resources(PipelineSettings(warehouse_path=tmp_path / "warehouse.duckdb")),
        run_config={"ops": {"synthetic_world": {"config": config or {}}}},
        raise_on_error=raise_on_error,
    )


def _open(tmp_path):
    """The warehouse `_materialize` wrote (the file under tmp_path, or the test's lake), read-only."""
    return open_warehouse(PipelineSettings(warehouse_path=tmp_path / "warehouse.duckdb"), read_only=True)


def _metadata(result, key):
    events = [e for e in result.get_asset_materialization_events() if e.asset_key == key]
    assert len(events) == 1
    return events[0].materialization.metadata


def _landing_digest(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_materialize_default_world(tmp_path, data_dir, warehouse_backend):
    result = _materialize(tmp_path)
    assert result.success
    assert _metadata(result, SYNTHETIC_CLINICS)["dagster/row_count"].value == 50
    assert _metadata(result, SYNTHETIC_LEADS)["dagster/row_count"].value == 50
    calls_meta = _metadata(result, SYNTHETIC_CALLS)
    assert calls_meta["dagster/row_count"].value == 200
    assert "| voicemail |" in calls_meta["preview"].value
    assert sum(calls_meta["calls_by_scenario"].value.values()) == 200

    root = synthetic_landing_dir(data_dir)
    files = sorted(root.glob("*/calls.jsonl"))
    assert files and calls_meta["files"].value == len(files)
    landed_ids = [
        line.split('"call_id":"', 1)[1].split('"', 1)[0] for path in files for line in path.read_text().splitlines()
    ]
    expected = [g.call_id for g in generate_call_set(SyntheticConfig.build())]
    assert landed_ids == expected
    assert not list(root.rglob("*.tmp"))

    with _open(tmp_path) as conn:
        assert conn.execute("SELECT count(*) FROM raw.synthetic_clinics WHERE is_synthetic").fetchone()[0] == 50
        rows = conn.execute(
            "SELECT source, record_no, record->>'lead_id', ingested_at FROM raw.synthetic_leads ORDER BY record_no"
        ).fetchall()
        assert len(rows) == 50 and {r[0] for r in rows} == {"synthetic"}
        assert str(rows[0][3]) == "2026-01-15 00:00:00"


def test_synthetic_leads_have_exactly_the_lead_records_columns(tmp_path, data_dir, warehouse_backend):
    assert _materialize(tmp_path).success
    with _open(tmp_path) as conn:
        describe = lambda t: conn.execute(f"DESCRIBE {t}").fetchall()  # noqa: E731
        assert [r[:2] for r in describe("raw.synthetic_leads")] == [r[:2] for r in describe("raw.lead_records")]
    fresh = duckdb.connect(str(tmp_path / "contract.duckdb"))
    run_sql_file(fresh, "raw/lead_records.sql")
    assert [r[:2] for r in fresh.execute("DESCRIBE raw.lead_records").fetchall()] == [
        ("source", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("record_no", "BIGINT"),
        ("record", "JSON"),
        ("ingested_at", "TIMESTAMP"),
    ]
    fresh.close()


def test_rematerializing_is_idempotent_and_a_new_as_of_replaces_the_old_world(tmp_path, data_dir, warehouse_backend):
    assert _materialize(tmp_path).success
    root = synthetic_landing_dir(data_dir)
    before = _landing_digest(root)
    mtimes = {p: p.stat().st_mtime_ns for p in root.rglob("calls.jsonl")}

    again = _materialize(tmp_path)
    assert _metadata(again, SYNTHETIC_CALLS)["files_written"].value == 0
    assert _landing_digest(root) == before
    assert {p: p.stat().st_mtime_ns for p in root.rglob("calls.jsonl")} == mtimes  # sensors see no change

    moved = _materialize(tmp_path, {"as_of": "2026-03-01", "n_calls": 120, "seed": 9})
    meta = _metadata(moved, SYNTHETIC_CALLS)
    assert meta["dagster/row_count"].value == 120
    days = {p.parent.name for p in root.glob("*/calls.jsonl")}
    assert days and all("2026-02-15" <= d <= "2026-02-28" for d in days)  # the 14 days before as_of
    assert not days & {k.split("/")[0] for k in before}  # stale days of the old world are gone
    assert sum(len(p.read_text().splitlines()) for p in root.glob("*/calls.jsonl")) == 120
    with _open(tmp_path) as conn:
        sources = conn.execute("SELECT DISTINCT source_file FROM raw.synthetic_leads").fetchall()
        assert sources == [("synthetic://seed=9/as_of=2026-03-01/leads",)]


def test_settings_come_from_the_environment(tmp_path, data_dir, monkeypatch):
    monkeypatch.setenv("SYNTHETIC_CALLS", "30")
    monkeypatch.setenv("SYNTHETIC_CLINICS", "12")
    result = _materialize(tmp_path)
    assert _metadata(result, SYNTHETIC_CALLS)["dagster/row_count"].value == 30
    assert _metadata(result, SYNTHETIC_CLINICS)["dagster/row_count"].value == 12


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"n_calls": -1}, "n_calls"),
        ({"n_clinics": -4}, "n_clinics"),
        ({"as_of": "2026-13-01"}, "as_of"),
        ({"as_of": "tomorrow"}, "as_of"),
    ],
)
def test_malformed_config_fails_clearly_and_writes_nothing(tmp_path, data_dir, warehouse_backend, config, message):
    assert _materialize(tmp_path).success
    root = synthetic_landing_dir(data_dir)
    before = _landing_digest(root)
    result = _materialize(tmp_path, config, raise_on_error=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    assert "invalid synthetic world config" in str(failure.event_specific_data.error) and message in str(
        failure.event_specific_data.error
    )
    assert _landing_digest(root) == before
    with _open(tmp_path) as conn:
        assert conn.execute("SELECT count(*) FROM raw.synthetic_leads").fetchone()[0] == 50


def test_definitions_load_the_synthetic_group_and_job():
    from pipelines.definitions import defs

    dg.Definitions.validate_loadable(defs)  # every job resolves: no op/job name clashes
    graph = defs.resolve_asset_graph()
    for key in (SYNTHETIC_CLINICS, SYNTHETIC_LEADS, SYNTHETIC_CALLS):
        assert graph.get(key).group_name == "synthetic"
    assert defs.resolve_job_def("generate_synthetic_world") is not None


def test_selecting_only_the_lead_tables_does_not_reland_calls(tmp_path, data_dir):
    result = dg.materialize(
        [synthetic_world],
        selection=[SYNTHETIC_CLINICS, SYNTHETIC_LEADS],
        resources=build_resources(PipelineSettings(warehouse_path=tmp_path / "warehouse.duckdb")),
    )
    assert result.success
    assert {e.asset_key for e in result.get_asset_materialization_events()} == {SYNTHETIC_CLINICS, SYNTHETIC_LEADS}
    assert not synthetic_landing_dir(data_dir).exists()

    calls_only = dg.materialize(
        [synthetic_world],
        selection=[SYNTHETIC_CALLS],
        resources=build_resources(PipelineSettings(warehouse_path=tmp_path / "other.duckdb")),
    )
    assert calls_only.success
    assert len(list(synthetic_landing_dir(data_dir).glob("*/calls.jsonl"))) > 0
    assert not (tmp_path / "other.duckdb").exists()


def test_a_fresh_data_dir_holding_the_warehouse_is_created(tmp_path, data_dir):
    assert not data_dir.exists()
    result = dg.materialize(
        [synthetic_world],
        resources=build_resources(PipelineSettings(warehouse_path=data_dir / "warehouse.duckdb")),
        run_config={"ops": {"synthetic_world": {"config": {"n_calls": 15, "n_clinics": 4}}}},
    )
    assert result.success and (data_dir / "warehouse.duckdb").is_file()
