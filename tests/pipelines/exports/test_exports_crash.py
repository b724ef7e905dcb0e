"""kill -9 in the middle of a batch: the batch is not half-written, and a rerun converges.

The export runs as a real subprocess. The test holds an uncommitted row with a key of the third
batch, so the child's third INSERT waits on it — provably inside its transaction — and is killed
there (SIGKILL) once PostgreSQL shows it waiting on the lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from pipelines.exports.connection import ExportConfig, connect
from pipelines.exports.schema import apply_schema
from pipelines.exports.tables import ONT_LEADS
from pipelines.exports.upsert import export_table
from pipelines.exports.verify import compare
from tests.support.exports import write_marts
from tests.support.warehouse import connect as warehouse_connection

ROOT = Path(__file__).resolve().parents[3]
CHILD = Path(__file__).with_name("export_child.py")


def _wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_kill_9_mid_batch_leaves_whole_batches_and_rerun_converges(warehouse_path, pg_url):
    write_marts(warehouse_path, leads=20, calls=0)
    with connect(ExportConfig(pg_url)) as pg:
        apply_schema(pg)
    blocker = psycopg.connect(pg_url)  # holds an uncommitted row of the third batch (L…10–L…14)
    blocker.execute(
        "INSERT INTO ont_leads (lead_id, business_name, is_synthetic, status, attempts) "
        "VALUES ('L00000012', 'blocker', false, 'open', 0)"
    )
    env = {
        **os.environ,
        "SUPABASE_DB_URL": pg_url,
        "EXPORT_BATCH_SIZE": "5",
        "EXPORT_TEST_WAREHOUSE": str(warehouse_path),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{CHILD.parent}",
    }
    child = subprocess.Popen(
        [sys.executable, str(CHILD)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "committed 5"
        assert child.stdout.readline().strip() == "committed 10"

        def child_waits_on_lock() -> bool:
            with psycopg.connect(pg_url) as probe:
                return bool(
                    probe.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'eve-export' "
                        "AND wait_event_type = 'Lock' AND state = 'active'"
                    ).fetchone()[0]
                )

        _wait_until(child_waits_on_lock, 30, "the export's third batch to wait on the held row")
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        blocker.rollback()
        blocker.close()

    with psycopg.connect(pg_url) as pg:
        keys = [r[0] for r in pg.execute("SELECT lead_id FROM ont_leads ORDER BY lead_id").fetchall()]
    assert keys == [f"L{i:08d}" for i in range(10)]  # two whole batches, nothing of the third

    with warehouse_connection(warehouse_path) as duck, connect(ExportConfig(pg_url)) as pg:
        counts = export_table(duck, pg, ONT_LEADS, batch_size=5)
        assert (counts.inserted, counts.updated, counts.unchanged) == (10, 0, 10)
        result = compare(duck, pg, ONT_LEADS)
    assert result.counts_agree and result.sample_agrees
