"""Docs move with code: every setting is documented in .env.example, every Makefile target the
README and docs name exists, every SQL file an asset module names is in sql/; and (issue 14 item 17)
every code path and `python -m` module the docs name exists, and every sensor/schedule default
(RUNNING/STOPPED) the docs state is the code's."""

from __future__ import annotations

import importlib.util
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


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_CODE_PATH = re.compile(
    r"(?<![\w/.$])((?:pipelines|assets|brain_service|vocabulary|contracts|simulator|bench|tests|sql|deploy|\.ci)"
    r"/[\w/.-]*\w\.(?:py|sql|sh|json|yaml|toml))\b"
)
GENERATED = ("bench/out/",)  # written by the benchmarks, not in the repo
_MODULE = re.compile(r"python -m ([a-z_][\w.]*\w)")
_STATUS_CLAIM = re.compile(r"`([a-z][a-z0-9_]*)`(.{0,160}?)\b(RUNNING|STOPPED)\b", re.S)


def test_code_paths_and_modules_named_by_docs_exist():
    """Issue 14 item 17: no doc describes a module that does not exist."""
    missing = []
    for doc in DOCS:
        text = doc.read_text()
        for path in sorted(set(_CODE_PATH.findall(text))):
            if not path.startswith(GENERATED) and not (ROOT / path).is_file():
                missing.append(f"{doc.name}: {path}")
        for module in sorted(set(_MODULE.findall(text))):
            base = ROOT / module.replace(".", "/")
            ours = (ROOT / module.split(".")[0]).is_dir()
            found = base.with_suffix(".py").is_file() or (base / "__main__.py").is_file()
            if not found if ours else importlib.util.find_spec(module) is None:
                missing.append(f"{doc.name}: python -m {module}")
    assert missing == []


def test_make_targets_named_by_docs_exist():
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", (ROOT / "Makefile").read_text(), re.M))
    named = {(doc.name, t) for doc in DOCS for t in re.findall(r"`make ([a-z][a-z0-9-]*)", doc.read_text())}
    assert sorted(f"{doc}: make {t}" for doc, t in named if t not in targets) == []


def test_sensor_and_schedule_default_statuses_in_docs_match_the_code():
    """Issue 14 item 17: a doc that says a sensor or schedule starts RUNNING/STOPPED says what the code does."""
    from pipelines.definitions import build_definitions

    repo = build_definitions(PipelineSettings()).get_repository_def()
    defaults = {s.name: s.default_status.value for s in (*repo.sensor_defs, *repo.schedule_defs)}
    claims, wrong = 0, []
    for doc in DOCS:
        for match in _STATUS_CLAIM.finditer(doc.read_text()):
            name, between, said = match.groups()
            if name not in defaults or any(f"`{other}`" in between for other in defaults):
                continue
            claims += 1
            if defaults[name] != said:
                wrong.append(f"{doc.name}: `{name}` said {said}, the code says {defaults[name]}")
    assert claims >= 5, "expected the docs to state sensor defaults"
    assert wrong == []
