"""Whole-process time of the commands that should answer at once, new CLI against old.

``tadmur --help``, ``tadmur sites``, ``tadmur timeline --help`` (targets <= 0.3 s) and
``tadmur extract FILE`` on one short article (target <= 0.5 s), each run as a user runs
it: a fresh ``python -m engine.cli`` process. The old code is another checkout (e.g.
``git worktree add --detach /tmp/cli-old <commit>``) given with ``--old``; both trees are
timed in the same run, alternating, after one untimed warm-up run each (so both find the
gazetteer's disk cache and the OS file cache warm). Wall time and the process's CPU
time (user + system) are recorded; medians are quoted.

    .venv/bin/python bench/cli_startup.py --old /tmp/cli-old [--repeats 7]
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


def run_once(tree: Path, args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``python -m engine.cli ARGS`` with ``tree`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("TADMUR_LOG", None)
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
    args = parser.parse_args()
    trees = {"old": args.old.resolve(), "new": ROOT}
    for label, tree in trees.items():
        where = engine_of(tree)
        if not where.startswith(str(tree)):
            raise SystemExit(f"{label}: engine.cli imports from {where}, not from {tree}")
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(ARTICLE, encoding="utf-8")
        cases = {name: [a.format(article=article) for a in argv] for name, argv in CASES.items()}
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        for name, argv in cases.items():
            for label, tree in trees.items():
                run_once(tree, argv)  # warm-up: caches filled, not timed
        for _ in range(args.repeats):
            for name, argv in cases.items():
                for label, tree in trees.items():
                    wall, cpu = run_once(tree, argv)
                    walls.setdefault((name, label), []).append(wall)
                    cpus.setdefault((name, label), []).append(cpu)
    measures, rows = [], []
    lines = [
        "| command | old median s (CPU s) | new median s (CPU s) | old / new |",
        "|---|---|---|---|",
    ]
    for name in cases:
        old, new = (statistics.median(walls[name, label]) for label in ("old", "new"))
        old_cpu, new_cpu = (statistics.median(cpus[name, label]) for label in ("old", "new"))
        lines.append(
            f"| `{name}` | {old:.3f} ({old_cpu:.3f}) | {new:.3f} ({new_cpu:.3f}) | "
            f"{old / new:.1f}x |"
        )
        for label in ("old", "new"):
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
                "old_median_s": old,
                "new_median_s": new,
                "old_cpu_median_s": old_cpu,
                "new_cpu_median_s": new_cpu,
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
            "summary": rows,
            "load_average_at_end": os.getloadavg(),
        },
    )
    print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
