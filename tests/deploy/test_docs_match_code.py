"""Docs move with code: every setting is documented in .env.example, every Makefile target the
README names exists, and every SQL file an asset module names is in sql/."""

from __future__ import annotations

import re
from pathlib import Path

from brain_service.settings import BrainSettings
from pipelines.platform.settings import PipelineSettings
from simulator.settings import SimulatorSettings

ROOT = Path(__file__).resolve().parents[2]


def _env_names() -> set[str]:
    names = {n.upper() for model in (BrainSettings, PipelineSettings) for n in model.model_fields}
    return names | {"SIM_" + n.upper() for n in SimulatorSettings.model_fields}


def test_every_setting_is_in_env_example_with_a_default():
    text = (ROOT / ".env.example").read_text()
    for name in sorted(_env_names()):
        assert re.search(rf"^#?\s*{name}=", text, re.M), f"{name} missing from .env.example"


def test_env_example_names_no_setting_that_does_not_exist():
    known = _env_names()
    known |= {"DAGSTER_HOME", "WEB_CONCURRENCY"}  # read by Dagster and uvicorn themselves
    for config in ("deploy/dagster.yaml", "deploy/workspace.yaml"):  # the production compose's Dagster config
        known |= set(re.findall(r"env: ([A-Z][A-Z0-9_]+)", (ROOT / config).read_text()))
    text = (ROOT / ".env.example").read_text()
    for name in re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", text, re.M):
        assert name in known, f".env.example documents {name}, which no settings object reads"


def test_readme_starts_with_the_two_commands_and_its_targets_exist():
    readme = (ROOT / "README.md").read_text()
    head = readme[:1500]
    assert "make run" in head and "make test" in head
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", (ROOT / "Makefile").read_text(), re.M))
    for target in set(re.findall(r"`make ([a-z][a-z0-9-]*)", readme)):
        assert target in targets, f"README names make {target}, which the Makefile lacks"


def test_sql_files_named_by_code_exist():
    pattern = re.compile(r"""["']((?:raw|staging|marts|views)/[a-z0-9_]+\.sql)["']""")
    named = set()
    for folder in ("assets", "pipelines"):
        for path in (ROOT / folder).rglob("*.py"):
            named |= set(pattern.findall(path.read_text()))
    assert named, "expected asset code to name SQL files"
    for name in sorted(named):
        assert (ROOT / "sql" / name).is_file(), f"sql/{name} is named in code but missing"
