"""A publish killed with kill -9 half-way leaves its temporary (and WAL); the next publish removes it.

A real child process publishes a real warehouse and is stopped inside the publish (after the tables
are copied into the temporary, while views are added) so the kill lands mid-publish every time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from pipelines.platform.serving import publish_serving_copy
from pipelines.platform.serving_temporaries import remove_stale_temporaries

REPO = Path(__file__).resolve().parents[3]

CHILD = textwrap.dedent(
    """
    import sys, threading, duckdb
    import pipelines.platform.serving as serving
    blocked = threading.Event()
    def read_sql_then_hang(name):
        print("PUBLISHING", flush=True)
        blocked.wait()
    serving.read_sql = read_sql_then_hang
    conn = duckdb.connect(sys.argv[1])
    serving.publish_serving_copy(conn, sys.argv[2])
    """
)


def _warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("CREATE SCHEMA marts")
        conn.execute("CREATE TABLE marts.big AS SELECT range AS n, md5(range::VARCHAR) AS h FROM range(200000)")


def _litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_kill_9_during_publish_leaves_litter_the_next_publish_removes(tmp_path):
    warehouse, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    _warehouse(warehouse)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(warehouse), str(serving)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "PUBLISHING"  # blocks until the child is mid-publish
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert _litter(tmp_path), "the killed publish left no temporary: the test did not kill mid-publish"
    with duckdb.connect(str(warehouse)) as conn:
        report = publish_serving_copy(conn, serving)
    assert report.tables == ["marts.big"]
    assert _litter(tmp_path) == []
    with duckdb.connect(str(serving), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM marts.big").fetchone() == (200000,)


def test_a_live_publishers_temporary_and_other_files_are_left_alone(tmp_path):
    serving = tmp_path / "serving.duckdb"
    mine = tmp_path / f".serving.duckdb.{os.getpid()}.{'a' * 32}.tmp"
    legacy = tmp_path / f".serving.duckdb.{'b' * 32}.tmp"  # name from before pids were in it
    other = tmp_path / f".other.duckdb.{'c' * 32}.tmp"
    unrelated = tmp_path / "notes.tmp"
    for path in (mine, legacy, Path(str(legacy) + ".wal"), other, unrelated):
        path.write_bytes(b"x")
    removed = remove_stale_temporaries(serving)
    assert sorted(p.name for p in removed) == sorted([legacy.name, legacy.name + ".wal"])
    assert mine.exists() and other.exists() and unrelated.exists()
