"""The code location loads the same way everywhere: workspace.yaml validates with the real CLI,
names agree, every SQL file referenced exists, writer assets share the duckdb_write pool."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def test_dagster_definitions_validate_with_the_workspace(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "DATA_DIR": str(tmp_path / "data")}
    dagster = Path(sys.executable).with_name("dagster")
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Validation successful for code location pipelines" in done.stdout + done.stderr


def test_dg_check_defs_loads_the_same_location(tmp_path):
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path), "DATA_DIR": str(tmp_path / "data")}
    dg_cli = Path(sys.executable).with_name("dg")
    done = subprocess.run(
        [str(dg_cli), "check", "defs", "--use-active-venv"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "All definitions loaded successfully" in done.stdout + done.stderr


def test_location_name_and_instance_settings_agree():
    workspace = yaml.safe_load((ROOT / "workspace.yaml").read_text())
    (entry,) = workspace["load_from"]
    module = entry["python_module"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["dg"]["project"]
    assert module["location_name"] == project["code_location_name"] == "pipelines"
    assert module["module_name"] == project["code_location_target_module"] == "pipelines.definitions"
    instance = yaml.safe_load((ROOT / "dagster.yaml").read_text())
    assert instance["concurrency"]["pools"]["default_limit"] == 1
    assert instance["run_monitoring"]["free_slots_after_run_end_seconds"] > 0


def test_lead_assets_keys_groups_and_pool():
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    lead_keys = [key for key in graph.get_all_asset_keys() if graph.get(key).group_name == "leads"]
    expected = {
        ("raw", "lead_records"),
        ("raw", "lead_ingest_rejects"),
        ("raw", "dnc_entries"),
        ("staging", "leads"),
        ("staging", "lead_rejects"),
        ("staging", "lead_warnings"),
        ("marts", "suppression_list"),
        ("marts", "lead_scores"),
        ("marts", "qualified_leads"),
        ("marts", "call_queue"),
        ("marts", "lead_summary"),
        ("marts", "n8n_lead_deliveries"),
    }
    assert {tuple(k.path) for k in lead_keys} == expected
    for key in lead_keys:
        assert graph.get(key).pools == {"duckdb_write"}, key
    for name in ("lead_factory", "n8n_lead_push", "publish_serving"):
        assert defs.resolve_job_def(name) is not None


def test_every_referenced_sql_file_exists():
    sources = [
        ROOT / "assets" / "leads" / "assets.py",
        ROOT / "pipelines" / "platform" / "serving.py",
        *sorted((ROOT / "pipelines" / "leads").glob("*.py")),
    ]
    referenced = set()
    for source in sources:
        referenced |= set(re.findall(r'"((?:raw|staging|marts|views)/[a-z0-9_/]+\.sql)"', source.read_text()))
    assert len(referenced) >= 15
    missing = [name for name in referenced if not (ROOT / "sql" / name).is_file()]
    assert missing == []


def test_every_field_alias_is_read_by_the_staging_sql():
    from pipelines.leads.fields import FIELD_ALIASES

    sql = (ROOT / "sql" / "staging" / "leads" / "fields.sql").read_text()
    for concept, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            assert f'"{alias}"' in sql, (concept, alias)
