"""`make sql`: the DuckDB CLI (duckdb-cli) run for real, non-interactively, on a real serving copy.

It reads the copy the engine publishes (another DuckDB version than the CLI's), keeps DuckDB's own
error hints (the "Did you mean" candidate and the caret), prints NULL as NULL whatever the type, reads
statements piped on stdin, says what to do when nothing is published yet, and cannot change the file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import duckdb

from pipelines.platform.serving import publish_serving_copy
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
    rows = [
        lead_row(lead_id=f"q{i}", business_name=f"Dental {i}", phone=f"214-302-{3000 + i:04d}", **QUALIFYING)
        for i in range(count)
    ]
    assert run_leads(paths=[write_jsonl(lead_env.lead_inbox_dir / "sql.jsonl", rows)]).success
    with duckdb.connect(str(lead_env.warehouse_file)) as conn:
        publish_serving_copy(conn, lead_env.serving_file, run_id="test")
    return lead_env.serving_file


def test_without_a_serving_copy_it_says_how_to_get_one(lead_env, tmp_path):
    done = _sql("-c", "SELECT 1", home=tmp_path)
    assert done.returncode == 2
    assert "no serving copy" in done.stderr and "make leads" in done.stderr


def test_queries_hints_and_nulls_through_the_duckdb_cli(lead_env, run_leads, tmp_path):
    _published(lead_env, run_leads)

    done = _sql("-csv", "-c", "SELECT count(*) AS n FROM marts.call_queue", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", "2"]

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
    before = hashlib.sha256(serving.read_bytes()).hexdigest()
    for statement in (
        "DELETE FROM marts.call_queue",
        "CREATE TABLE main.scratch AS SELECT 1 AS x",
        "DROP TABLE marts.call_queue",
        "INSERT INTO marts.call_queue SELECT * FROM marts.call_queue",
    ):
        done = _sql("-c", statement, home=tmp_path)
        assert done.returncode != 0, statement
        assert "read-only" in done.stderr, (statement, done.stderr)
    assert _sql("-c", "CHECKPOINT", home=tmp_path).returncode == 0  # allowed: a no-op on a read-only file
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before
    with duckdb.connect(str(serving), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM marts.call_queue").fetchone()[0] == 2
