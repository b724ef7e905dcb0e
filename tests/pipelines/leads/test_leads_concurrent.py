"""Two `make leads` at once: the second says `waiting for the warehouse (held by …)` at once and
runs when the first is done, or — with `--wait 0` — fails at once with that message in a few lines
(not a silent ~100 s retry ending in a long traceback). Real child processes, a real warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tests.support.leads import embedded_lead_environment, write_csv


@pytest.fixture
def lead_env(tmp_path):
    """Embedded file only: the file lock exists only there (the lake test below needs none)."""
    with embedded_lead_environment(tmp_path) as settings:
        yield settings


REPO = Path(__file__).resolve().parents[3]
HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from pipelines.platform.warehouse_lock import hold_warehouse
    with hold_warehouse(Path(sys.argv[1]), purpose="make leads", wait_seconds=0):
        print("HOLDING", flush=True)
        sys.stdin.read()
    """
)
DUCKDB_HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("HOLDING", flush=True)
    sys.stdin.read()
    """
)
LEADS = [{"business_name": "Glow Med Spa", "phone": "2143020151", "category": "med spa"}]


def _child(script: str, *args: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "HOLDING"
    return child


def _release(child: subprocess.Popen) -> None:
    child.stdin.close()
    child.wait(timeout=60)


def _make_leads(path: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.commands.leads", "--input", str(path), *extra],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_second_run_waits_visibly_then_runs(lead_env):
    path = write_csv(lead_env.data_dir / "leads.csv", LEADS)
    holder = _child(HOLDER, str(lead_env.warehouse_file))
    try:
        second = _make_leads(path, "--wait", "120")
        first_line = second.stderr.readline()  # blocks until the run says something
        assert f"waiting for the warehouse (held by pid {holder.pid} (make leads) since" in first_line
        assert second.poll() is None  # still waiting, not failed
    finally:
        _release(holder)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert "warehouse free: starting" in err and "1 records loaded" in out


def test_wait_0_fails_at_once_with_the_holder_in_a_few_lines(lead_env):
    path = write_csv(lead_env.data_dir / "leads.csv", LEADS)
    holder = _child(HOLDER, str(lead_env.warehouse_file))
    try:
        run = _make_leads(path, "--wait", "0")
        out, err = run.communicate(timeout=120)
    finally:
        _release(holder)
    assert run.returncode == 1
    assert f"busy (held by pid {holder.pid} (make leads)" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_foreign_duckdb_holder_is_named_too(lead_env):
    path = write_csv(lead_env.data_dir / "leads.csv", LEADS)
    duckdb.connect(str(lead_env.warehouse_file)).close()
    holder = _child(DUCKDB_HOLDER, str(lead_env.warehouse_file))  # e.g. an analyst's shell on the live file
    try:
        run = _make_leads(path, "--wait", "0")
        out, err = run.communicate(timeout=120)
    finally:
        _release(holder)
    assert run.returncode == 1
    assert f"(PID {holder.pid})" in err and "busy (held by" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_two_runs_at_once_both_succeed(lead_env):
    path = write_csv(lead_env.data_dir / "leads.csv", LEADS)
    runs = [_make_leads(path), _make_leads(path)]
    results = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err and "1 records loaded" in out


def test_on_ducklake_the_file_lock_does_not_apply(tmp_path, lake_database, monkeypatch):
    """A holder of the embedded file's lock does not stop a DuckLake run: the lake takes many writers."""
    from tests.support.lake import lake_url

    with embedded_lead_environment(tmp_path) as settings:
        monkeypatch.setenv("WAREHOUSE_URL", lake_url(lake_database))
        monkeypatch.setenv("WAREHOUSE_DATA_PATH", str(tmp_path / "lake"))
        monkeypatch.setenv("WAREHOUSE_METADATA_SCHEMA", "t_lock_free")
        path = write_csv(settings.data_dir / "leads.csv", LEADS)
        holder = _child(HOLDER, str(settings.warehouse_file))
        try:
            run = _make_leads(path, "--wait", "0")
            out, err = run.communicate(timeout=300)
        finally:
            _release(holder)
    assert run.returncode == 0, err
    assert "1 records loaded" in out and "waiting for the warehouse" not in err
    assert "DuckLake (data " in out and "serving copy" not in out and not settings.serving_file.exists()
