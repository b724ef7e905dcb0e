"""kill -9 of a writer process in the middle of an asset leaves the DuckLake consistent.

The lake holds a 40-clinic world. A writer process materializes the real `synthetic_world` with 60
clinics and stops at its transaction's COMMIT (tests/support/lake_processes.py `--pause-at-commit`):
every statement has run and its Parquet files are on disk — provably inside the write. It is
killed with SIGKILL there. Readers still see the 40-clinic world at the same snapshot, the files
it left are orphans no read touches, `ducklake_delete_orphaned_files` removes them, and a rerun
converges to exactly what a clean single run produces.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from pipelines.platform.settings import PipelineSettings
from pipelines.platform.warehouse import open_warehouse
from tests.support.lake import LAKE_ONLY
from tests.support.lake_runs import materialize_world, single_writer_digest, start, table_digest, tail
from tests.support.waiting import wait_for_sync


def parquet_files(root: str | Path) -> set[Path]:
    return set(Path(root).rglob("*.parquet"))


def committed_files(conn) -> set[Path]:
    files: set[Path] = set()
    for table in ("synthetic_clinics", "synthetic_leads"):
        rows = conn.execute(f"SELECT data_file FROM ducklake_list_files('lake', '{table}', schema => 'raw')").fetchall()
        files |= {Path(r[0]) for r in rows}
    return files


def latest_snapshot(conn) -> int:
    return conn.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchone()[0]


@pytest.mark.slow
@pytest.mark.timeout(300)
@LAKE_ONLY  # the embedded file relies on DuckDB's own WAL
def test_kill_9_mid_asset_leaves_the_previous_snapshot_and_a_rerun_converges(warehouse_backend, tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    settings = PipelineSettings()
    assert settings.lake is not None
    data_path = settings.lake.data_path
    materialize_world(40)
    with open_warehouse(settings, read_only=True) as conn:
        before, snapshot_before = table_digest(conn), latest_snapshot(conn)
        files_before = committed_files(conn)
    assert before[0][0] == 40 and files_before <= parquet_files(data_path)

    control = tmp_path / "control"
    control.mkdir()
    writer = start("writer", "k", control, "--clinics", "60", "--pause-at-commit")
    try:
        wait_for_sync(lambda: (control / "k.at_commit").exists() or writer.poll() is not None, timeout=180)
        assert writer.poll() is None, tail(control, "k")
        written = parquet_files(data_path) - files_before
        assert written, "the writer is at COMMIT but wrote no data file"
        with open_warehouse(settings, read_only=True) as conn:  # a live reader meanwhile: the old world
            assert table_digest(conn) == before and latest_snapshot(conn) == snapshot_before
        os.kill(writer.pid, signal.SIGKILL)
        assert writer.wait(timeout=30) == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()

    with open_warehouse(settings, read_only=True) as conn:
        assert table_digest(conn) == before, "a killed writer changed what readers see"
        assert latest_snapshot(conn) == snapshot_before
        assert committed_files(conn) == files_before
    orphans = parquet_files(data_path) - files_before
    assert orphans == written  # left on disk, referenced by no snapshot

    with open_warehouse(settings) as conn:  # housekeeping (docs/operations.md, DuckLake)
        listed = conn.execute("SELECT path FROM ducklake_delete_orphaned_files('lake', cleanup_all => true)").fetchall()
        assert {Path(p) for (p,) in listed} == orphans
    assert parquet_files(data_path) == files_before

    materialize_world(60)  # the rerun
    with open_warehouse(settings, read_only=True) as conn:
        after = table_digest(conn)
    assert after[0][0] == 60
    assert after == single_writer_digest(60, tmp_path, monkeypatch)
