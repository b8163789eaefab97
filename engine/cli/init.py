"""``tadmur init DIR``: a working folder for a user who installed Tadmur with pip.

The folder gets the embedded log (``events/log.jsonl`` and ``events/sources/``) and the
teaching notebooks (``notebooks/``); inside it every command finds ``events/`` by
itself. A folder that already holds a log is refused: a log is never overwritten.
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path

from engine.domain.errors import TadmurError
from engine.packaged_data import bundled_root


@dataclass(frozen=True)
class WorkingFolder:
    """What ``init`` laid out: the folder, its log and how many files it copied."""

    root: Path
    n_sources: int
    n_notebooks: int

    @property
    def log_dir(self) -> Path:
        return self.root / "events"


def init_working_folder(target: Path | str) -> WorkingFolder:
    """Copy the embedded log, its sources and the notebooks into ``target``.

    Example:
        >>> import tempfile
        >>> folder = init_working_folder(Path(tempfile.mkdtemp()) / "lesson")
        >>> (folder.log_dir / "log.jsonl").is_file(), folder.n_notebooks > 0
        (True, True)
        >>> init_working_folder(folder.root)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        engine.domain.errors.TadmurError: a log already exists here (at .../events/log.jsonl). Hint: tadmur init never overwrites a log: pick a new folder, or work in this one
    """
    root = Path(target)
    existing = root / "events" / "log.jsonl"
    if existing.exists():
        raise TadmurError(
            "a log already exists here",
            where=str(existing),
            hint="tadmur init never overwrites a log: pick a new folder, or work in this one",
        )
    if root.exists() and not root.is_dir():
        raise TadmurError("not a folder", where=str(root), hint="give a new or empty folder")
    source = bundled_root()
    events = root / "events"
    (events / "sources").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source / "events" / "log.jsonl", events / "log.jsonl")
    sources = sorted(p for p in (source / "events" / "sources").iterdir() if p.is_file())
    for path in sources:
        shutil.copyfile(path, events / "sources" / path.name)
    (root / "notebooks").mkdir(exist_ok=True)
    notebooks = sorted((source / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        destination = root / "notebooks" / path.name
        if not destination.exists():  # a notebook the user edited is kept
            shutil.copyfile(path, destination)
    return WorkingFolder(root, len(sources), len(notebooks))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="lay out a working folder: the embedded log and the notebooks")
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder to create (or an empty one)")
    p.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
    from engine.store.verify import verify_log

    folder = init_working_folder(args.dir)
    checked = verify_log(folder.log_dir)
    print(
        f"init     {folder.log_dir}/log.jsonl ({checked.describe()}), "
        f"{folder.n_sources} source files, {folder.n_notebooks} notebooks in "
        f"{folder.root / 'notebooks'}"
    )
    print(f"next     cd {folder.root} && tadmur demo   (or: tadmur timeline --site palmyra)")
    return 0 if checked.ok else 1


__all__ = ["WorkingFolder", "init_working_folder", "register", "run_init"]
