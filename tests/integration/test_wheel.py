"""The built wheel works alone: installed into a fresh venv, run from another folder.

The wheel is built offline from a copy of the project (so the checkout gets no build/ or
egg-info), installed with ``--no-deps`` into a new venv that sees this environment's
packages through a ``.pth`` (no network, no second 700 MB install), and then used the
way a pip user would: ``tadmur --version``, ``tadmur init DIR``, ``tadmur demo`` in DIR.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from engine import __version__
from tests.integration.conftest import tadmur as tadmur_in_checkout

ROOT = Path(__file__).resolve().parents[2]
#: what a build needs from the checkout (tracked files only: no caches, no build output)
PROJECT_FILES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    "CITATION.cff",
    "CHANGELOG.md",
    "engine",
    "events/log.jsonl",
    "events/sources",
    "notebooks",
)


def _copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", ".cache", "*.lock", "torn", "bundled")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / name)
    return target


def _clean_env() -> dict[str, str]:
    """This environment minus anything that would point Python at the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TADMUR_LOG")}
    env["PIP_NO_INDEX"] = "1"  # offline: a build must not reach for a registry
    # the fresh venv borrows this environment's packages through a .pth, but data files
    # (nbconvert's page templates) sit under this environment's prefix, where a real
    # install would have put them under the new venv's
    shared = Path(sysconfig.get_paths()["data"]) / "share" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(shared), env.get("JUPYTER_PATH")]))
    return env


def run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("setuptools", minversion="77", reason="the test extras build the wheel")
    project = _copy_project(tmp_path_factory.mktemp("project"))
    dist = tmp_path_factory.mktemp("dist")
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        dist,
        project,
        cwd=project,
    )
    (built,) = dist.glob("tadmur-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the wheel; its dependencies come from this environment."""
    home = tmp_path_factory.mktemp("venv") / "v"
    run(sys.executable, "-m", "venv", "--without-pip", home, cwd=home.parent)
    python = home / "bin" / "python"
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=home
        ).stdout.strip()
    )
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "test_environment.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        wheel,
        cwd=home.parent,
    )
    return home


def test_the_wheel_carries_the_log_sources_notebooks_licence_and_types(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    log_lines = len((ROOT / "events" / "log.jsonl").read_bytes().splitlines())
    assert "engine/bundled/events/log.jsonl" in names
    assert {
        f"engine/bundled/events/sources/{p.name}"
        for p in (ROOT / "events" / "sources").iterdir()
        if p.is_file()
    } <= names
    assert {
        f"engine/bundled/notebooks/{p.name}"
        for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    } <= names
    assert {
        "engine/py.typed",
        "engine/reference/sites.csv",
        "engine/reference/claimants.csv",
        f"tadmur-{__version__}.dist-info/licenses/LICENSE",
    } <= names
    assert not any(n.startswith("tests/") for n in names)
    with zipfile.ZipFile(wheel) as archive:
        assert len(archive.read("engine/bundled/events/log.jsonl").splitlines()) == log_lines


def test_installed_wheel_inits_a_folder_and_runs_the_main_job_from_it(venv: Path, tmp_path):
    tadmur = venv / "bin" / "tadmur"
    where = run(
        venv / "bin" / "python", "-c", "import engine; print(engine.__file__)", cwd=tmp_path
    ).stdout
    assert where.startswith(str(venv)), where  # the wheel, not the checkout
    assert run(tadmur, "--version", cwd=tmp_path).stdout.strip() == f"tadmur {__version__}"
    done = run(tadmur, "init", "lesson", cwd=tmp_path)
    assert "hash chain holds" in done.stdout and "cd " in done.stdout
    lesson = tmp_path / "lesson"
    assert (lesson / "events" / "log.jsonl").read_bytes() == (
        ROOT / "events" / "log.jsonl"
    ).read_bytes()
    # the same table, byte for byte, as the checkout gives
    timeline = run(tadmur, "timeline", "--site", "palmyra", cwd=lesson).stdout
    assert timeline == tadmur_in_checkout("timeline", "--site", "palmyra").stdout
    assert timeline.count("\npalmyra,") >= 4
    demo = run(tadmur, "demo", "--out", "out", cwd=lesson, timeout=900)
    assert "notebooks 5 executed" in demo.stdout
    for name in (
        "timelines/intervals.csv",
        "charts/palmyra.svg",
        "charts/palmyra.html",
        "notebooks/01_palmyra_swings.ipynb",
    ):
        assert (lesson / "out" / name).stat().st_size > 0, name
    # a second init never overwrites the log
    again = subprocess.run(
        [str(tadmur), "init", "lesson"],
        cwd=tmp_path,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2 and "a log already exists here" in again.stderr
