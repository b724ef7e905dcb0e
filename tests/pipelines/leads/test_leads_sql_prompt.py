"""`make sql`: the DuckDB CLI (duckdb-cli) run for real, non-interactively, on both backends.

Embedded: it reads the serving copy the engine publishes. DuckLake: it attaches the lake read-only
with the extensions from the registry wheels and sees each committed run live, no copy. On both it
keeps DuckDB's own error hints (the "Did you mean" candidate and the caret), prints NULL as NULL
whatever the type, reads statements piped on stdin and cannot change the data; it says what to do
when nothing is published yet (embedded) and names an unreachable catalog in one line (lake).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import duckdb

from pipelines.platform.serving import publish_serving_copy
from pipelines.platform.warehouse import open_warehouse
from tests.support.leads import lead_row, write_jsonl

QUALIFYING = dict(ad_active="yes", category="Dental", employee_count="10", rating="4.7")


def _sql(*args: str, stdin: str | None = None, home=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(home)}  # no analyst's ~/.duckdbrc in the way
    return subprocess.run(
        [sys.executable, "-m", "pipelines.commands.sql_shell", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _published(lead_env, run_leads, count=2):
    """Leads run; on the embedded file the serving copy published (the lake needs none)."""
    rows = [
        lead_row(lead_id=f"q{i}", business_name=f"Dental {i}", phone=f"214-302-{3000 + i:04d}", **QUALIFYING)
        for i in range(count)
    ]
    assert run_leads(paths=[write_jsonl(lead_env.lead_inbox_dir / "sql.jsonl", rows)]).success
    if lead_env.lake is None:
        with open_warehouse(lead_env) as conn:
            publish_serving_copy(conn, lead_env.serving_file, run_id="test")
    return lead_env.serving_file


def test_without_a_serving_copy_it_says_how_to_get_one(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for name in ("WAREHOUSE_URL", "WAREHOUSE_DATA_PATH", "WAREHOUSE_METADATA_SCHEMA", "SERVING_PATH"):
        monkeypatch.delenv(name, raising=False)
    done = _sql("-c", "SELECT 1", home=tmp_path)
    assert done.returncode == 2
    assert "no serving copy" in done.stderr and "make leads" in done.stderr


def test_an_unreachable_lake_catalog_is_one_line_without_the_url(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WAREHOUSE_URL", "ducklake:postgres:host=127.0.0.1 port=1 user=eve password=hunter2 dbname=eve")
    monkeypatch.delenv("WAREHOUSE_DATA_PATH", raising=False)
    monkeypatch.delenv("WAREHOUSE_METADATA_SCHEMA", raising=False)
    done = _sql("-c", "SELECT 1", home=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("make sql: cannot open the warehouse DuckLake (data ")
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Connection refused" in done.stderr or "connection" in done.stderr.lower()
    assert "hunter2" not in done.stderr and "user=eve" not in done.stderr and "Traceback" not in done.stderr


def test_queries_hints_and_nulls_through_the_duckdb_cli(lead_env, run_leads, tmp_path):
    _published(lead_env, run_leads)

    done = _sql("-csv", "-c", "SELECT count(*) AS n FROM marts.call_queue", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "2"]
    if lead_env.lake is not None:  # the lake is read live: the next committed run shows, nothing published
        assert "reading DuckLake" in done.stderr and "catalog schema" in done.stderr
        _published(lead_env, run_leads, count=3)
        live = _sql("-csv", "-c", "SELECT count(*) AS n, current_database() AS db FROM marts.call_queue", home=tmp_path)
        assert live.returncode == 0, live.stderr
        assert live.stdout.split() == ["n,db", "3,lake"]
        assert not lead_env.serving_file.exists()

    typo = _sql("-c", "SELECT * FROM marts.call_queu", home=tmp_path)
    assert typo.returncode != 0
    assert 'Did you mean "marts.call_queue"' in typo.stderr or 'Did you mean "call_queue"' in typo.stderr
    assert "LINE 1:" in typo.stderr and "^" in typo.stderr

    nulls = _sql(
        "-csv",
        "-c",
        "SELECT CAST(NULL AS DOUBLE) AS d, CAST(NULL AS VARCHAR) AS v, max(score) FILTER (WHERE false) AS s "
        "FROM marts.lead_scores",
        home=tmp_path,
    )
    assert nulls.returncode == 0, nulls.stderr
    assert nulls.stdout.splitlines() == ["d,v,s", "NULL,NULL,NULL"]

    piped = _sql(home=tmp_path, stdin="SELECT 40 + 2 AS answer;\n")
    assert piped.returncode == 0, piped.stderr
    assert "42" in piped.stdout


def test_the_prompt_cannot_change_the_serving_copy(lead_env, run_leads, tmp_path):
    serving = _published(lead_env, run_leads)
    before = hashlib.sha256(serving.read_bytes()).hexdigest() if lead_env.lake is None else ""
    for statement in (
        "DELETE FROM marts.call_queue",
        "CREATE TABLE main.scratch AS SELECT 1 AS x",
        "DROP TABLE marts.call_queue",
        "INSERT INTO marts.call_queue SELECT * FROM marts.call_queue",
    ):
        done = _sql("-c", statement, home=tmp_path)
        assert done.returncode != 0, statement
        assert "read-only" in done.stderr, (statement, done.stderr)
    if lead_env.lake is not None:
        with open_warehouse(lead_env, read_only=True) as conn:
            assert conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0] == 2
        return
    assert _sql("-c", "CHECKPOINT", home=tmp_path).returncode == 0  # allowed: a no-op on a read-only file
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before
    with duckdb.connect(str(serving), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0] == 2
