"""The data half's import graph has one direction and no loops (TYPE_CHECKING imports included).

Rooms, bottom to top:
  contracts, vocabulary                shared by both halves (tests/deploy/test_layering.py)
  pipelines.platform                   settings, resources, catalog, conventions, sql, metadata, serving
  pipelines.<domain> libraries         leads, synthetic, retell, landing, journeys, reports, campaigns,
                                       prompts, exports: Python + SQL
  assets.<domain>                      each domain's Dagster definitions (assets, checks, jobs, sensors)
  pipelines.definitions                the code location: lists the domains
  pipelines.commands                   what `make` runs
A module may import its own room or a room below it, never one above. The cycle check also covers
the brain (`brain_service`) and the simulated Retell (`simulator`), which have no rooms of their own.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.import_cycles import import_cycles as _cycles

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("contracts", "vocabulary", "pipelines", "assets")
OTHER_PACKAGES = ("brain_service", "simulator")  # in the cycle check only


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules(packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
        if "__pycache__" not in path.parts
    }


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` refers to (longest known prefix), or None when it is outside the data half."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):  # every import, including those under `if TYPE_CHECKING:` and in functions
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` reaches the submodule; `from pkg import name` reaches pkg itself
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        else:
            continue
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(target)
    return found


def _graph(packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    modules = _modules(packages)
    return {module: _imports(module, path, modules) for module, path in modules.items()}


DOMAIN_LIBRARIES = ("leads", "synthetic", "retell", "landing", "journeys", "reports", "campaigns", "prompts", "exports")


def _room(module: str) -> int:
    top, _, rest = module.partition(".")
    if top in ("contracts", "vocabulary"):
        return 0
    if top == "assets":
        return 3
    sub = rest.partition(".")[0]
    if module == "pipelines" or sub == "platform":
        return 1
    if sub in DOMAIN_LIBRARIES:
        return 2
    if sub == "definitions":
        return 4
    if sub == "commands":
        return 5
    raise AssertionError(f"{module} is in no room: add it to the layering (tests/deploy/test_import_graph.py)")


def test_every_module_has_a_room():
    for module in _modules():
        _room(module)


def test_imports_point_down_only():
    offenders = [
        f"{module} (room {_room(module)}) imports {target} (room {_room(target)})"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _room(target) > _room(module)
    ]
    assert offenders == []


def test_domain_libraries_and_assets_never_reach_up():
    graph = _graph()
    for module, targets in graph.items():
        if _room(module) == 2:
            assert not {t for t in targets if t.startswith(("assets", "pipelines.definitions", "pipelines.commands"))}
        if _room(module) == 3:
            assert not {t for t in targets if t.startswith(("pipelines.definitions", "pipelines.commands"))}


def test_no_import_cycles():
    assert _cycles(_graph((*PACKAGES, *OTHER_PACKAGES))) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
