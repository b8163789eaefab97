"""Build hook: the wheel carries the embedded log, its sources and the notebooks.

Everything else about the package is declared in ``pyproject.toml``. The repository keeps
``events/`` and ``notebooks/`` at its root (the store writes there); a wheel has no root,
so they are copied into the built package as ``engine/bundled/`` and
``tadmur init DIR`` lays them out again for a user who installed with pip.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: (folder under the project root, glob of the files shipped from it)
BUNDLED = (
    ("events", "log.jsonl"),
    ("events/sources", "*"),
    ("notebooks", "[0-9][0-9]_*.ipynb"),
)


class BuildWithBundledData(build_py):
    """``build_py`` plus a copy of the embedded log and notebooks under engine/bundled/."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "engine" / "bundled"
        for folder, pattern in BUNDLED:
            files = sorted(p for p in (ROOT / folder).glob(pattern) if p.is_file())
            if not files:
                raise SystemExit(
                    f"setup.py: nothing matches {folder}/{pattern}: "
                    "build from a full checkout or its sdist"
                )
            for source in files:
                destination = target / folder / source.name
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)


setup(cmdclass={"build_py": BuildWithBundledData})
