"""The brain, the vocabulary and the contracts import each other in no loop (``TYPE_CHECKING`` and
function-local imports included), and the transport's rooms point one way."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.import_cycles import import_cycles as _cycles

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("brain_service", "vocabulary", "contracts")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                # ``from pkg import submodule`` depends on the submodule; ``from mod import name`` on mod
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    edges.add(target)  # a module's own packages are imported first anyway: not an edge
        graph[name] = edges
    return graph


def test_no_import_cycles_in_the_brain_vocabulary_and_contracts():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_transport_rooms_point_one_way():
    graph = _graph()
    below_session = ("writer", "turn_runner", "frames", "turn", "retained_call", "protocol", "wire_close")
    for room in below_session:
        imports = graph[f"brain_service.transport.{room}"]
        assert "brain_service.transport.session" not in imports, room
        assert "brain_service.transport.registry" not in imports, room
    assert "brain_service.transport.session" not in graph["brain_service.transport.registry"]
    assert "brain_service.transport.turn_runner" not in graph["brain_service.transport.writer"]
