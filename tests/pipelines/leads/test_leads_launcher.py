"""`make run` launcher pieces: DAGSTER_HOME preparation, the first-start selection, and stopping
children by process group (real subprocesses)."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from pipelines.commands import launcher
from pipelines.platform.settings import PipelineSettings
from tests.support.leads import embedded_lead_environment


@pytest.fixture
def lead_env(tmp_path):
    """Embedded file only: the launcher selection reads no warehouse."""
    with embedded_lead_environment(tmp_path) as settings:
        yield settings


def test_dagster_home_is_prepared_with_the_instance_settings(tmp_path):
    env = {"DAGSTER_HOME": str(tmp_path / "home")}
    home = launcher.prepare_dagster_home(env)
    assert home == (tmp_path / "home").resolve() and env["DAGSTER_HOME"] == str(home)
    assert (home / "dagster.yaml").read_bytes() == (launcher.PROJECT_ROOT / "dagster.yaml").read_bytes()
    (home / "dagster.yaml").write_text("stale: true\n")
    launcher.prepare_dagster_home(env)
    assert b"duckdb" in (home / "dagster.yaml").read_bytes() or b"default_limit" in (home / "dagster.yaml").read_bytes()


def test_default_dagster_home_is_the_project_folder():
    env: dict[str, str] = {}
    home = launcher.PROJECT_ROOT / ".dagster_home"
    existed = home.exists()
    assert launcher.prepare_dagster_home(env) == home.resolve()
    assert env["DAGSTER_HOME"] == str(home.resolve())
    gitignore = (launcher.PROJECT_ROOT / ".gitignore").read_text()
    assert "/.dagster_home/" in gitignore
    if not existed:
        (home / "dagster.yaml").unlink()
        home.rmdir()


def _bootstrap_keys(settings: PipelineSettings) -> set[str]:
    from pipelines.definitions import defs

    return {k.to_user_string() for k in launcher.bootstrap_selection(settings).resolve(defs.resolve_asset_graph())}


def test_first_start_selection(lead_env, monkeypatch):
    keys = _bootstrap_keys(lead_env)
    assert {"marts/call_queue", "staging/leads", "marts/suppression_list"} <= keys
    assert "marts/n8n_lead_deliveries" not in keys
    # the whole offline graph, so the UI's lineage is populated end to end ...
    assert {"staging/calls", "marts/customer_journeys", "marts/revenue_ops_daily", "reports/revenue_ops_report"} <= keys
    # ... but nothing that reaches outside the warehouse
    assert not keys & {"marts/journey_outcome_deliveries", "landing/retell_api_calls"}
    assert "raw/synthetic_leads" in keys
    monkeypatch.setenv("SYNTHETIC_BOOTSTRAP", "false")
    assert "raw/synthetic_leads" not in _bootstrap_keys(PipelineSettings())


def test_children_are_stopped_by_process_group(tmp_path):
    script = "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: sys.exit(7))\nprint('up', flush=True)\ntime.sleep(60)\n"
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
        for _ in range(2)
    ]
    for proc in procs:
        assert proc.stdout.readline().strip() == "up"  # handler installed
    launcher._stop_all(procs, signal.SIGTERM)
    assert [p.returncode for p in procs] == [7, 7]
