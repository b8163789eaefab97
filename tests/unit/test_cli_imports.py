"""The command line imports downwards only: no module of ``engine.cli`` is part of an
import cycle, nothing outside the CLI imports it, and its command modules share only
``options`` and ``errors``. Read from the source (every import, also those inside
functions, since a handler's import runs as surely as a module's)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"


def module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ENGINE.rglob("*.py"))}
CLI_MODULES = sorted(m for m in MODULES if m == "engine.cli" or m.startswith("engine.cli."))


def imports_of(name: str) -> set[str]:
    """The engine modules ``name`` imports (``from a.b import c``: ``a.b.c`` if that is a
    module, else ``a.b``), anywhere in its source."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def reachable(start: list[str]) -> set[str]:
    seen, todo = set(start), list(start)
    while todo:
        for nxt in GRAPH[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def cycles_through(names: set[str]) -> list[list[str]]:
    """Strongly connected components (Tarjan) of more than one module within ``names``."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v] & names:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(names):
        if v not in index:
            visit(v)
    return found


def test_the_cli_package_has_its_modules():
    assert {
        "engine.cli",
        "engine.cli.__main__",
        "engine.cli.options",
        "engine.cli.errors",
        "engine.cli.core",
        "engine.cli.extract",
    } <= set(CLI_MODULES)


@pytest.mark.parametrize("name", CLI_MODULES)
def test_each_cli_module_imports(name):
    module = importlib.import_module(name)
    if name not in ("engine.cli", "engine.cli.__main__", "engine.cli.options", "engine.cli.errors"):
        assert callable(module.register), name


def test_no_cli_module_is_part_of_an_import_cycle():
    involved = reachable(CLI_MODULES)
    in_cycles = [c for c in cycles_through(involved) if any(m in CLI_MODULES for m in c)]
    assert in_cycles == []


def test_the_old_cli_circle_is_gone():
    """cli.py <-> commands.py <-> chart_commands.py <-> demo.py <-> extract/commands.py <->
    extract/review.py, as it was: the modules it passed through import no CLI module."""
    for name in ("engine.extract.review", "engine.extract.ingest", "engine.extract.claims_import"):
        assert not {m for m in GRAPH[name] if m.startswith("engine.cli")}, name
    for old in (
        "engine.commands",
        "engine.chart_commands",
        "engine.demo",
        "engine.extract.commands",
        "engine.replay_commands",
        "engine.init_command",
        "engine.scale.commands",
        "engine.interop.commands",
    ):
        assert old not in MODULES


def test_nothing_outside_the_cli_imports_it():
    outside = {
        name: sorted(m for m in GRAPH[name] if m in CLI_MODULES)
        for name in MODULES
        if name not in CLI_MODULES
    }
    assert {name: found for name, found in outside.items() if found} == {}


def test_command_modules_share_only_options_and_errors():
    shared = {"engine.cli.options", "engine.cli.errors"}
    for name in CLI_MODULES:
        if name in ("engine.cli", "engine.cli.__main__"):
            continue
        assert {m for m in GRAPH[name] if m in CLI_MODULES} <= shared, name
    assert not {
        m for m in GRAPH["engine.cli.options"] | GRAPH["engine.cli.errors"] if m in CLI_MODULES
    }


def test_the_graph_sees_imports_inside_functions():
    # engine.cli.core imports engine.project inside run_timeline, not at the top
    assert "engine.project" in GRAPH["engine.cli.core"]


#: Cycles inside the domain, below the CLI (issue 16's "house" part, not the command line);
#: the CLI adds none, and none may be added
CYCLES_BELOW_THE_CLI = [
    ["engine.domain.claims", "engine.domain.encoding"],
    ["engine.domain.explain", "engine.domain.timelines"],
]


def test_the_modules_the_cli_reaches_form_no_new_cycle():
    found = cycles_through(reachable(CLI_MODULES))
    assert [c for c in found if c not in CYCLES_BELOW_THE_CLI] == []
