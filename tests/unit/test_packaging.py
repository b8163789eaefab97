"""The project's own files describe one environment, and the pure core stays pure."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _conda_pip_requirements() -> list[str]:
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("  - pip:") + 1
    return [line.strip()[2:] for line in lines[start:] if line.strip().startswith("- ")]


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["test"]
    assert _conda_pip_requirements() == expected


def test_environment_yml_pins_python_311():
    assert "  - python=3.11" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_importing_the_domain_loads_neither_altair_nor_ipywidgets_nor_pandas():
    code = ("import sys, engine.domain, engine.store, engine.project; "
            "print(sorted(m for m in ('altair', 'ipywidgets', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_engine_module_imports_pandas():
    offenders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "engine").rglob("*.py")
                 if "import pandas" in p.read_text(encoding="utf-8")]
    assert offenders == []
