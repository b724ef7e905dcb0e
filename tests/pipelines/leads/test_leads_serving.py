"""The analysts' serving copy: published atomically after runs that changed marts; a reader held
open (another process) never blocks a run and keeps its snapshot (`make sql` itself: test_leads_sql_prompt.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import dagster as dg
import duckdb
import pytest

from pipelines.platform.resources import build_resources
from pipelines.platform.serving import publish_serving_copy
from tests.support.leads import QUIET, embedded_lead_environment, lead_assets, lead_row, write_jsonl


@pytest.fixture
def lead_env(tmp_path):
    """Embedded file only: the serving copy exists only there (on DuckLake analysts read the lake)."""
    with embedded_lead_environment(tmp_path) as settings:
        yield settings


QUALIFYING = dict(ad_active="yes", category="Dental", employee_count="10", rating="4.7")

READER = textwrap.dedent("""
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1], read_only=True)
    print(conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0], flush=True)
    sys.stdin.readline()                       # hold the file open until told to look again
    print(conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0], flush=True)
""")


def _leads(lead_env, count):
    rows = [
        lead_row(lead_id=f"v{i}", business_name=f"Dental {i}", phone=f"214-302-{2000 + i:04d}", **QUALIFYING)
        for i in range(count)
    ]
    return write_jsonl(lead_env.lead_inbox_dir / "serving.jsonl", rows)


def _publish(lead_env):
    with duckdb.connect(str(lead_env.warehouse_file)) as conn:
        return publish_serving_copy(conn, lead_env.serving_file, run_id="test")


def test_reader_held_open_while_a_run_writes_and_republishes(lead_env, run_leads):
    assert run_leads(paths=[_leads(lead_env, 3)]).success
    report = _publish(lead_env)
    assert "marts.call_queue" in report.tables and "staging.leads" in report.tables
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(lead_env.serving_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "3"  # the reader now holds serving.duckdb
        assert run_leads(paths=[_leads(lead_env, 7)]).success  # a run writes the warehouse meanwhile
        _publish(lead_env)  # and republishes over the held file
        with duckdb.connect(str(lead_env.serving_file), read_only=True) as fresh:
            assert fresh.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0] == 7
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"  # the held snapshot is intact
    finally:
        reader.stdin.close()
        assert reader.wait(timeout=30) == 0
    assert not list(lead_env.serving_file.parent.glob(".serving.duckdb.*"))  # no temp files left


def test_serving_copy_holds_no_raw_tables(lead_env, run_leads):
    assert run_leads(paths=[_leads(lead_env, 1)]).success
    _publish(lead_env)
    with duckdb.connect(str(lead_env.serving_file), read_only=True) as conn:
        schemas = {r[0] for r in conn.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()}
    assert schemas == {"staging", "marts", "main"}
    with duckdb.connect(str(lead_env.serving_file), read_only=True) as conn:  # analyst views resolve
        assert conn.execute("SELECT sum(queued) FROM main.lead_funnel").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM main.lead_rejects_by_reason").fetchone()[0] == 0


def test_publish_sensor_and_job(lead_env):
    from assets.serving.automation import publish_serving_job, serving_publish_sensor

    path = _leads(lead_env, 2)
    resources = build_resources(lead_env)
    run_config = {"ops": {"lead_records": {"config": {"paths": [str(path)]}}}, "loggers": QUIET}
    with dg.instance_for_test() as instance:
        marts_run = dg.materialize(lead_assets(), instance=instance, resources=resources, run_config=run_config)
        raw_only = dg.materialize(lead_assets()[:1], instance=instance, resources=resources, run_config=run_config)
        for run, expect_publish in ((marts_run, True), (raw_only, False)):
            context = dg.build_run_status_sensor_context(
                sensor_name="serving_publish_sensor",
                dagster_instance=instance,
                dagster_run=run.dagster_run,
                dagster_event=next(e for e in run.all_events if e.event_type_value == "PIPELINE_SUCCESS"),
            )
            outcome = serving_publish_sensor(context)
            assert isinstance(outcome, dg.RunRequest) is expect_publish
        published = publish_serving_job.execute_in_process(instance=instance, resources=resources)
        assert published.success
    with duckdb.connect(str(lead_env.serving_file), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0] == 2


def test_byte_copy_and_table_copy_publish_the_same_tables(lead_env, run_leads):
    """The fast path (checkpoint + byte copy, unpublished schemas dropped) and the fallback (a
    transaction is open on the warehouse, so no checkpoint: tables copied one by one) publish the
    same tables, rows and views; neither leaves raw tables or temporaries behind."""
    assert run_leads(paths=[_leads(lead_env, 4)]).success
    fast = _publish(lead_env)
    with duckdb.connect(str(lead_env.serving_file), read_only=True) as conn:
        fast_rows = conn.execute("SELECT count(*) FROM staging.leads").fetchone()[0]
    with duckdb.connect(str(lead_env.warehouse_file)) as conn:
        other = conn.cursor()
        other.execute("BEGIN TRANSACTION")
        other.execute("CREATE TABLE staging.not_committed AS SELECT 1 AS x")  # an open write transaction
        try:
            slow = publish_serving_copy(conn, lead_env.serving_file, run_id="fallback")
        finally:
            other.execute("ROLLBACK")
    assert (fast.method, slow.method) == ("byte copy", "table copy")
    assert slow.tables == fast.tables and slow.views == fast.views
    assert "raw.lead_records" not in fast.tables and "staging.not_committed" not in slow.tables
    with duckdb.connect(str(lead_env.serving_file), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM staging.leads").fetchone()[0] == fast_rows == 4
        assert conn.execute("SELECT run_id FROM main.serving_published").fetchone()[0] == "fallback"
        schemas = {r[0] for r in conn.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()}
    assert schemas == {"staging", "marts", "main"}
    assert not list(lead_env.serving_file.parent.glob(".serving.duckdb.*"))


def test_the_publish_job_and_sensor_exist_only_for_the_embedded_file(warehouse_backend, tmp_path, monkeypatch):
    """On DuckLake analysts read the lake live: no serving copy, so no publish job or sensor."""
    from pipelines.definitions import build_definitions
    from pipelines.platform.settings import PipelineSettings

    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    defs = build_definitions(PipelineSettings())
    jobs = {job.name for job in defs.jobs or []}
    sensors = {sensor.name for sensor in defs.sensors or []}
    embedded = not warehouse_backend.is_lake
    assert ("publish_serving" in jobs) == embedded and ("serving_publish_sensor" in sensors) == embedded
    assert "lead_factory" in jobs  # the rest of the code location is the same on both
