"""The project's own files describe one environment, and the pure core stays pure."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from engine import __version__

ROOT = Path(__file__).resolve().parents[2]

#: conda-forge names that differ from the PyPI names (PyPI name -> conda-forge name)
CONDA_FORGE_NAMES = {
    "duckdb": "python-duckdb",
    "ray": "ray-core",
    "playwright": "playwright-python",
}
#: published on PyPI only: environment.yml takes them from pip
PIP_ONLY = {"atheris"}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _declared() -> list[str]:
    """Runtime, explore, lab and test requirements of pyproject.toml (the self-reference
    left out)."""
    project = _project()["project"]
    extras = project["optional-dependencies"]
    every = project["dependencies"] + extras["explore"] + extras["lab"] + extras["test"]
    return [r for r in every if not r.startswith("tadmur[")]


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert found, requirement
    return found.group(0).lower()


def _environment() -> tuple[list[str], list[str]]:
    """(conda entries, pip entries) of environment.yml, comments dropped."""
    conda, pip, in_pip = [], [], False
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("\ndependencies:\n", 1)[1].splitlines():
        entry = line.split("#", 1)[0].rstrip()
        if entry.strip() == "- pip:":
            in_pip = True
        elif entry.startswith("      - ") and in_pip:
            pip.append(entry.strip()[2:])
        elif entry.startswith("  - ") and not in_pip:
            conda.append(entry.strip()[2:])
    return conda, pip


def test_environment_yml_has_every_dependency_once_with_the_same_version_range():
    conda, pip = _environment()
    expected_conda = sorted(
        CONDA_FORGE_NAMES.get(_name(r), _name(r)) + r[len(_name(r)) :]
        for r in _declared()
        if _name(r) not in PIP_ONLY
    )
    assert sorted(c for c in conda if c not in ("python=3.11", "pip")) == expected_conda
    assert sorted(pip) == sorted(r for r in _declared() if _name(r) in PIP_ONLY)


def test_environment_yml_takes_from_conda_forge_only_and_pins_python_311():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "channels:\n  - conda-forge\ndependencies:\n  - python=3.11\n" in text


def test_the_runtime_install_is_lean_and_declares_what_the_engine_imports():
    runtime = {_name(r) for r in _project()["project"]["dependencies"]}
    # imported (numba, llvmlite: the compiled replay loops; msgspec: the checked read;
    # tqdm: progress bars; pendulum: extraction's date arithmetic) or run by the demo
    # (ipykernel)
    assert {"llvmlite", "ipykernel", "numba", "msgspec", "tqdm", "pendulum"} <= runtime
    assert not runtime & {
        "jupytext",
        "jupyterlab",
        "solara",
        "solara-assets",
        "ray",
        "duckdb",
        "playwright",
        "atheris",
        "pytest",
    }
    assert not any(re.search(r"jupyterlab.*<4\.\d+\b", r) for r in _declared())


def test_every_declared_dependency_is_pinned_in_constraints_txt():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    missing = [r for r in _declared() if _name(r).replace("_", "-") not in pins]
    assert missing == []


def test_the_version_has_one_source():
    assert _project()["project"]["dynamic"] == ["version"]
    assert _project()["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "engine.version.__version__"
    }
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"\nversion: {__version__}\n" in cff
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip() == f"tadmur {__version__}"


def test_licence_names_the_data_it_does_not_cover():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    outlets = [
        line.split(",")[2]
        for line in (ROOT / "events" / "sources" / "metadata.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    ]
    for domain in {
        re.search(r"[a-z]+\.(?:net|com)", o).group(0)
        for o in outlets
        if re.search(r"[a-z]+\.(?:net|com)", o)
    }:
        assert domain in text
    assert "CC BY-IGO" in text and "COD-AB" in text


def test_importing_the_domain_loads_neither_altair_nor_ipywidgets_nor_pandas():
    code = (
        "import sys, engine.domain, engine.store, engine.project; "
        "print(sorted(m for m in ('altair', 'ipywidgets', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_engine_module_imports_pandas():
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "engine").rglob("*.py")
        if "import pandas" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_saved_chart_records_the_tadmur_altair_and_vl_convert_versions(tmp_path: Path):
    import json
    from importlib import metadata

    import altair as alt
    import polars as pl

    from engine.charts import save_chart

    chart = alt.Chart(pl.DataFrame({"a": [1]})).mark_point().encode(x="a:Q")
    html = save_chart(chart.properties(usermeta={"kept": 1}), tmp_path / "c.html")
    found = re.search(r"const spec = (\{.*\});\n", html.read_text(encoding="utf-8"))
    assert found, "no spec in the saved HTML"
    spec = json.loads(found.group(1))
    assert spec["usermeta"] == {
        "kept": 1,
        "software": {
            "tadmur": __version__,
            "altair": metadata.version("altair"),
            "vl-convert": metadata.version("vl-convert-python"),
        },
    }
