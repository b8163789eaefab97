"""Where the embedded log and the notebooks are: a checkout, or an installed wheel.

A checkout keeps them at its root (``events/``, ``notebooks/``); a wheel has no root, so
its build copies them into the package as ``engine/bundled/`` (see ``setup.py``).
``tadmur init`` copies them from here into a working folder.

>>> (bundled_root() / "events" / "log.jsonl").is_file()
True
"""

from __future__ import annotations

from pathlib import Path

from engine.domain.errors import TadmurError

PACKAGE_DIR = Path(__file__).resolve().parent
#: inside an installed wheel
INSTALLED_ROOT = PACKAGE_DIR / "bundled"
#: a source checkout (or an editable install of one)
CHECKOUT_ROOT = PACKAGE_DIR.parent


def bundled_root() -> Path:
    """The folder holding ``events/log.jsonl``, ``events/sources/`` and ``notebooks/``.

    Raises:
        TadmurError: neither an installed wheel nor a checkout has them (a broken install).
    """
    for root in (INSTALLED_ROOT, CHECKOUT_ROOT):
        if (root / "events" / "log.jsonl").is_file() and (root / "notebooks").is_dir():
            return root
    raise TadmurError(
        "the embedded log and notebooks are missing from this installation",
        where=str(PACKAGE_DIR),
        hint="reinstall tadmur from its wheel or a full checkout (pip install --force-reinstall)",
    )


def bundled_notebooks() -> list[Path]:
    """The numbered teaching notebooks shipped with Tadmur, in order."""
    return sorted((bundled_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))
