"""``tadmur demo``, the main job on the embedded log: verify, replay, write tables,
charts and notebooks.

Everything lands under one output folder (``build/`` by default)::

    build/timelines/{intervals,swings,claims}.{csv,parquet}
    build/charts/{palmyra,all_sites,map_2016-06-01}.{html,svg,png}
    build/notebooks/NN_*.ipynb   (executed, with outputs)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.cli.options import add_log_argument, report_repairs, write_table
from engine.terminal import progress

#: (file stem, chart target, map day): the figures the README shows.
FIGURES = (
    ("palmyra", "palmyra", None),
    ("all_sites", "all", None),
    ("map_2016-06-01", "all", dt.date(2016, 6, 1)),
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``demo``."""
    p = sub.add_parser("demo", help="the main job: verify, replay, tables, charts, notebooks")
    add_log_argument(p)
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (build/)")
    p.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks")
    p.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    return run_main_job(args.log, args.out, notebooks=not args.skip_notebooks)


def run_main_job(log_dir: Path | None, out: Path, *, notebooks: bool = True) -> int:
    """Run every step, printing one line each (and a progress bar on a terminal);
    returns the exit code."""
    with progress(total=4 + notebooks, desc="demo", unit="step") as bar:

        def say(line: str) -> None:  # a finished step: the bar moves, its line goes to stdout
            bar.update()
            bar.write(line, file=sys.stdout)
            sys.stdout.flush()

        return _main_job(log_dir, out, notebooks, say)


def _main_job(log_dir: Path | None, out: Path, notebooks: bool, say: Callable[[str], None]) -> int:
    from engine.charts import chart_for, save_chart
    from engine.domain.errors import LogCorrupted
    from engine.project import replay_log
    from engine.store import default_log_dir
    from engine.store.verify import verify_log

    log_dir = Path(log_dir) if log_dir else default_log_dir()
    checked = verify_log(log_dir)
    say(f"verify   {checked.describe()}")
    if not checked.ok:
        # the verdict carries its own hint when it has one (a missing log: --log); a damaged
        # committed log is restored from git
        problem = checked.problem or ""
        raise LogCorrupted(
            problem,
            where=str(log_dir),
            hint=None if "hint:" in problem else "restore events/ from git, then rerun",
        )
    replayed = replay_log(log_dir=log_dir)
    report_repairs(replayed.repairs)
    t = replayed.timelines
    say(
        f"replay   {t.claims.height} claims -> {t.intervals.height} intervals, "
        f"{t.swings.height} swings ({replayed.caption()})"
    )
    for name, table in (("intervals", t.intervals), ("swings", t.swings), ("claims", t.claims)):
        for fmt in ("csv", "parquet"):
            path = out / "timelines" / f"{name}.{fmt}"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_table(table, fmt, path)
    say(f"tables   {out / 'timelines'}/{{intervals,swings,claims}}.{{csv,parquet}}")
    for stem, target, day in FIGURES:
        chart = chart_for(replayed, target, day)
        for suffix in ("html", "svg", "png"):
            save_chart(chart, out / "charts" / f"{stem}.{suffix}")
    say(f"charts   {out / 'charts'}/{{{','.join(s for s, _, _ in FIGURES)}}}.{{html,svg,png}}")
    if notebooks:
        from engine.notebook_runner import execute_notebooks

        with log_for_kernels(log_dir):
            done = execute_notebooks(notebooks_beside(log_dir), out / "notebooks")
        say(
            f"notebooks {len(done)} executed into {out / 'notebooks'} "
            f"({sum(n.seconds for n in done):.0f} s)"
        )
    return 0


def notebooks_beside(log_dir: Path) -> Path:
    """The notebooks of the working folder holding ``log_dir`` (a checkout, or one made
    by ``tadmur init``), else the ones shipped with Tadmur."""
    from engine.packaged_data import bundled_root

    beside = Path(log_dir).resolve().parent / "notebooks"
    return beside if beside.is_dir() else bundled_root() / "notebooks"


@contextmanager
def log_for_kernels(log_dir: Path) -> Iterator[None]:
    """Point the notebooks' kernels at ``log_dir``: they inherit ``$TADMUR_LOG`` and run
    with their own folder as cwd, where ``events/`` is not."""
    before = os.environ.get("TADMUR_LOG")
    os.environ["TADMUR_LOG"] = str(Path(log_dir).resolve())
    try:
        yield
    finally:
        if before is None:
            del os.environ["TADMUR_LOG"]
        else:
            os.environ["TADMUR_LOG"] = before
