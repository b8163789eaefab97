"""Whole-process time of the commands that should answer at once, new CLI against old.

``tadmur --help``, ``tadmur sites``, ``tadmur timeline --help`` (targets <= 0.3 s) and
``tadmur extract FILE`` on one short article (target <= 0.5 s), each run as a user runs
it: a fresh ``python -m engine.cli`` process. The old code is another checkout (e.g.
``git worktree add --detach /tmp/cli-old <commit>``) given with ``--old``; both trees are
timed in the same run, alternating, after one untimed warm-up run each (so both find the
gazetteer's disk cache, numba's cache, Python's bytecode cache and the OS file cache
warm). Wall time and the process's CPU time (user + system) are recorded; medians are
quoted.

With ``--log DIR`` (a big log, e.g. ``tadmur synth``'s 1M claims) it also times a warm
``tadmur timeline --log DIR`` in both modes (target <= 0.6 s): the old tree as it is, and
the new tree three ways in the same rounds: the kept answer read back (``hit``), the
same replay with ``--no-cache`` (the old path in the new code), and a policy no earlier
run asked for (``miss``: a ``--min-confidence`` no claim falls below, new in every run,
so the snapshot serves the events and the replay runs, then its answer is kept).

Python writes its bytecode cache as it would for a user (``PYTHONDONTWRITEBYTECODE`` is
dropped from the children's environment): a process that compiled every module from
source would time the compiler, not the command.

    .venv/bin/python bench/cli_startup.py --old /tmp/cli-old [--repeats 7] [--log DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, Measure, write_results

#: one short article, written for this benchmark (no scraped text)
ARTICLE = (
    "دمشق - أعلنت قوات النظام السوري السيطرة على مدينة تدمر بعد معارك عنيفة مع تنظيم "
    "الدولة الإسلامية استمرت ثلاثة أسابيع، وفق ما ذكرت وكالة سانا الرسمية.\n"
)

CASES = {
    "tadmur --help": ["--help"],
    "tadmur sites": ["sites"],
    "tadmur timeline --help": ["timeline", "--help"],
    "tadmur extract FILE": ["extract", "{article}", "--published", "2016-03-27"],
}

#: warm ``tadmur timeline`` (with ``--log``): case -> (its arguments, whether the old tree runs it)
TIMELINE_CASES = {
    f"tadmur timeline --mode {mode}{label}": (
        ["timeline", "--log", "{log}", "--mode", mode, *extra],
        old,
    )
    for mode in ("strict", "weighed")
    for label, extra, old in (
        (" (hit)", [], True),
        (" --no-cache", ["--no-cache"], False),
        (" (miss: new policy)", ["--min-confidence", "{fresh}"], False),
    )
}


def run_once(tree: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m engine.cli ARGS`` with ``tree`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("TADMUR_LOG", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python keeps its bytecode
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "engine.cli", *args],
        env=env,
        cwd=tree,
        capture_output=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: tadmur {' '.join(args)} failed:\n{done.stderr.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def engine_of(tree: Path) -> str:
    """Where ``import engine.cli`` resolves with ``tree`` on the path (must be inside it)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", "import engine.cli; print(engine.cli.__file__)"],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def commit_of(tree: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "-C", str(tree), "status", "--porcelain", "--", "engine"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return done.stdout.strip() + (" + uncommitted changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="a checkout of the old code")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--name", default="cli_startup", help="results file name")
    parser.add_argument("--log", type=Path, help="also time a warm `tadmur timeline` on this log")
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": ROOT}
    for label, tree in trees.items():
        where = engine_of(tree)
        if not where.startswith(str(tree)):
            raise SystemExit(f"{label}: engine.cli imports from {where}, not from {tree}")
    fresh = (f"{1e-9 * (n + 1):.12f}" for n in range(10**6))  # a new policy each run
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        runs: dict[str, tuple[list[str], tuple[str, ...]]] = {
            name: (argv, ("old", "new")) for name, argv in CASES.items()
        }
        if args.log:
            runs |= {
                name: (argv, ("old", "new") if old else ("new",))
                for name, (argv, old) in TIMELINE_CASES.items()
            }
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}

        def arguments(argv: list[str]) -> list[str]:
            return [a.format(article=article, log=args.log, fresh=next(fresh)) for a in argv]

        for name, (argv, labels) in runs.items():
            for label in labels:
                run_once(trees[label], arguments(argv))  # warm-up: caches filled, not timed
        for _ in range(args.repeats):
            for name, (argv, labels) in runs.items():
                for label in labels:
                    wall, cpu = run_once(trees[label], arguments(argv))
                    walls.setdefault((name, label), []).append(wall)
                    cpus.setdefault((name, label), []).append(cpu)
    measures, rows = [], []
    lines = [
        "| command | old median s (CPU s) | new median s (CPU s) | old / new |",
        "|---|---|---|---|",
    ]
    for name, (_, labels) in runs.items():
        med = {label: statistics.median(walls[name, label]) for label in labels}
        cpu_med = {label: statistics.median(cpus[name, label]) for label in labels}
        old_cell = f"{med['old']:.3f} ({cpu_med['old']:.3f})" if "old" in med else "–"
        ratio = f"{med['old'] / med['new']:.1f}x" if "old" in med else "–"
        lines.append(
            f"| `{name}` | {old_cell} | {med['new']:.3f} ({cpu_med['new']:.3f}) | {ratio} |"
        )
        for label in labels:
            measures.append(
                Measure(
                    f"{name} [{label}]",
                    1,
                    walls[name, label],
                    note=f"cpu_s={[round(c, 4) for c in cpus[name, label]]}",
                )
            )
        rows.append(
            {
                "command": name,
                **{f"{label}_median_s": med[label] for label in labels},
                **{f"{label}_cpu_median_s": cpu_med[label] for label in labels},
            }
        )
    print("\n".join(lines))
    path = write_results(
        args.name,
        measures,
        {
            "old_tree_commit": commit_of(trees["old"]),
            "new_tree_commit": commit_of(trees["new"]),
            "repeats": args.repeats,
            "log": str(args.log) if args.log else None,
            "summary": rows,
            "load_average_at_end": os.getloadavg(),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
