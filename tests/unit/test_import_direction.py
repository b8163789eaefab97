"""The package's layers point one way: the pure core imports nothing of the project
outside itself, the store only the core, the charts nothing of the command line. Read
from the source with ``ast`` (imports inside functions count: they run too), so a
violation is named with its file and line before anything is imported."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[2] / "engine"

#: layer -> the packages its modules may import from
ALLOWED = {
    "engine.domain": ("engine.domain",),
    # the shipped site list (engine.reference) is data below the store: the store checks a
    # claim's site against it, and it imports nothing of the store (tested below)
    "engine.store": ("engine.domain", "engine.store", "engine.reference"),
    "engine.reference": ("engine.domain", "engine.reference", "engine.extract.normalise"),
}
#: imports that break a rule and are being moved away, with why (a new one fails the test)
PENDING: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ENGINE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every project module ``path`` imports (absolute name, line), at any depth."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the package, up level - 1
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # ``from engine import charts``, ``from . import events``: a module of the package
            whole = target == "engine" or node.module is None
            found += [
                (f"{target}.{alias.name}" if whole else target, node.lineno) for alias in node.names
            ]
    return [
        (target, line)
        for target, line in found
        if target == "engine" or target.startswith("engine.")
    ]


def within(target: str, packages: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in packages)


def is_command_line(target: str) -> bool:
    """The CLI: engine.cli (module or package), the *commands modules, the demo."""
    last = target.rpartition(".")[2]
    return within(target, ("engine.cli",)) or last.endswith("commands") or target == "engine.demo"


def violations(layer: str, allowed) -> list[str]:
    root = ENGINE.joinpath(*layer.split(".")[1:])
    paths = sorted(root.rglob("*.py")) if root.is_dir() else [root.with_suffix(".py")]
    found = []
    for path in paths:
        source = module_name(path)
        for target, line in imports_of(path):
            if not allowed(target) and (source, target) not in PENDING:
                found.append(f"{path.relative_to(ENGINE.parent)}:{line} imports {target}")
    return found


@pytest.mark.parametrize("layer", list(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(layer):
    assert violations(layer, lambda target: within(target, ALLOWED[layer])) == []


def test_the_charts_import_nothing_of_the_command_line():
    assert violations("engine.charts", lambda target: not is_command_line(target)) == []


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path, monkeypatch):
    fake = tmp_path / "engine" / "domain"
    fake.mkdir(parents=True)
    (fake / "sneaky.py").write_text(
        "import polars\nfrom . import events\n\ndef later():\n    from engine.store import log\n"
        "    import engine.charts.frames\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "ENGINE", tmp_path / "engine")
    assert imports_of(fake / "sneaky.py") == [
        ("engine.domain.events", 2),
        ("engine.store", 5),
        ("engine.charts.frames", 6),
    ]
    assert violations("engine.domain", lambda t: within(t, ALLOWED["engine.domain"])) == [
        "engine/domain/sneaky.py:5 imports engine.store",
        "engine/domain/sneaky.py:6 imports engine.charts.frames",
    ]


def test_command_line_modules_are_told_apart():
    assert [
        is_command_line(n)
        for n in (
            "engine.cli",
            "engine.cli.options",
            "engine.commands",
            "engine.extract.commands",
            "engine.demo",
            "engine.charts.frames",
            "engine.domain.policy",
        )
    ] == [True, True, True, True, True, False, False]
