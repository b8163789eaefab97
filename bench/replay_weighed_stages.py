"""Where the weighed replay's time goes, in process and in a fresh process.

In process (synthetic events, seed 0, warm): the whole compiled weighed replay and each
stage of it (the believed claims, the per-event codes read from text, the compiled
passes, the two output tables), medians of ``--repeats`` runs. With ``--against REF``
the replay of git revision REF (its engine/domain/replay_weighed.py and
weighing_passes.py, loaded from a temporary folder) runs in the same process,
alternating with this tree's, on the same encoding; their tables are checked equal.

With ``--log DIR`` (a log whose snapshot a first read left), fresh processes read it
through the store and replay it: what a warm ``tadmur timeline`` pays for the read and
for the replay, numba's start and the per-event codes included. The stages are the
modules' private steps: a tool for whoever works on them next, not an interface.

    .venv/bin/python bench/replay_weighed_stages.py --sizes 100000,1000000 --against main
    .venv/bin/python bench/replay_weighed_stages.py --sizes 1000000 --log /tmp/s1m
    .venv/bin/python bench/replay_weighed_stages.py --sizes 1000000 --hottest --against main
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
from common import write_results
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, Policy
from engine.domain import replay_weighed as weighed
from engine.domain import weighing_passes as passes
from engine.synth import synth_claim_events

POLICY = Policy()
STAGES = {
    weighed: ("believed", "_per_event", "_tables"),
    passes: ("by_site", "shares_by_voice", "fold_sites"),
}


def old_module(ref: str, folder: Path):
    """REF's weighed replay, importable beside this tree's (its compiled passes under
    another module name, with their own numba cache)."""
    root = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True
    ).stdout.strip()

    def show(path: str) -> str:
        return subprocess.run(
            ["git", "-C", root, "show", f"{ref}:{path}"], capture_output=True, text=True, check=True
        ).stdout

    (folder / "old_weighing_passes.py").write_text(show("engine/domain/weighing_passes.py"))
    (folder / "old_replay_weighed.py").write_text(
        show("engine/domain/replay_weighed.py").replace(
            "from engine.domain import weighing_passes as passes",
            "import old_weighing_passes as passes",
        )
    )
    sys.path.insert(0, str(folder))
    import old_replay_weighed

    return old_replay_weighed


def forget(encoded: EncodedEvents) -> None:
    """Drop what either version keeps beside the encoding (made afresh, untimed)."""
    for key in ("_weighed_text", "_weighed_codes", "_weighed_words"):
        encoded.__dict__.pop(key, None)


def in_process(n: int, repeats: int, old, hottest: bool = False) -> tuple[list[str], dict]:
    events = synth_claim_events(n, seed=0)
    if hottest:
        # the events of the claims of the site with most records: what an append to the
        # hottest site replays (bench/incremental.py)
        recorded = events.filter(pl.col("event") == "recorded")
        site = recorded["site_id"].value_counts(sort=True)["site_id"][0]
        ids = recorded.filter(pl.col("site_id") == site)["claim_id"].implode()
        events = events.filter(pl.col("claim_id").is_in(ids))
    encoded = EncodedEvents.of(events)
    spent: dict[str, list[float]] = {}

    def timed(module, name):
        fn = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent.setdefault(name, []).append(time.perf_counter() - started)

        setattr(module, name, wrapper)
        return fn

    saved = {(m, name): timed(m, name) for m, names in STAGES.items() for name in names}
    runs = {"this tree": lambda: weighed.weighed_timelines(encoded, POLICY, compiled=True)}
    if old is not None:
        runs["old"] = lambda: old.weighed_timelines(encoded, POLICY, compiled=True)
    totals: dict[str, list[float]] = {name: [] for name in runs}
    made = {name: run() for name, run in runs.items()}  # warm: compiled code, codes kept
    if old is not None:
        assert_frame_equal(made["old"][1], made["this tree"][1])
        assert_frame_equal(made["old"][2], made["this tree"][2])
    spent.clear()
    for i in range(repeats):
        for name in list(runs) if i % 2 == 0 else list(runs)[::-1]:
            gc.collect()
            started = time.perf_counter()
            runs[name]()
            totals[name].append(time.perf_counter() - started)
    codes = []
    for _ in range(max(1, repeats // 2)):
        forget(encoded)
        started = time.perf_counter()
        weighed._per_event(encoded)
        codes.append(time.perf_counter() - started)
    for (module, name), fn in saved.items():
        setattr(module, name, fn)
    what = "the hottest site's events of " if hottest else ""
    lines = [f"n = {what}{n:,} ({encoded.height:,} events), medians of {repeats}, warm:"]
    for name, times in totals.items():
        median = statistics.median(times)
        lines.append(
            f"  weighed replay, {name:10s} {median * 1000:8.1f} ms  "
            f"({encoded.height / median / 1e6:.2f}M events/s)"
        )
    if old is not None:
        ratio = statistics.median(totals["old"]) / statistics.median(totals["this tree"])
        lines.append(f"  old / this tree: {ratio:.2f}x (tables checked equal)")
    lines.append("  stages of this tree's replay (a stage called twice: both calls summed):")
    for name, times in spent.items():
        per_run = len(times) // repeats
        sums = [sum(times[k : k + per_run]) for k in range(0, len(times), per_run)]
        lines.append(f"    {name:22s} {statistics.median(sums) * 1000:8.1f} ms")
    lines.append(
        f"  per-event codes from text (once per encoding): {statistics.median(codes) * 1000:.1f} ms"
    )
    return lines, {"n": n, "totals": totals, "stages": spent, "per_event_codes": codes}


FRESH = """
import sys, time
started = time.perf_counter()
from engine.domain import Policy
from engine.domain.replay import replay
from engine.store.encoded_snapshot import load_encoded
from engine.store.read import load_claim_events
read = time.perf_counter()
encoded = load_encoded(sys.argv[1], load_claim_events(sys.argv[1], check="full"))
replayed = time.perf_counter()
replay(encoded, Policy()).intervals
done = time.perf_counter()
print(replayed - read, done - replayed, done - started)
"""


def fresh(log: str, repeats: int) -> tuple[list[str], dict]:
    got = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", FRESH, log], capture_output=True, text=True, check=True
        ).stdout.split()
        got.append([float(x) for x in out])
    read, rep, total = (statistics.median(col) for col in zip(*got, strict=True))
    line = (
        f"fresh processes on {log}, medians of {repeats}: read {read:.2f} s, replay "
        f"(numba's start and the per-event codes included) {rep:.2f} s, whole {total:.2f} s"
    )
    return [line], {"read_replay_whole": got}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--against", help="a git revision whose weighed replay runs beside")
    parser.add_argument("--log", help="a log folder to replay in fresh processes")
    parser.add_argument(
        "--hottest", action="store_true", help="replay only the events of the site with most claims"
    )
    args = parser.parse_args()
    lines: list[str] = []
    extra: dict = {"in_process": []}
    with tempfile.TemporaryDirectory() as folder:
        old = old_module(args.against, Path(folder)) if args.against else None
        for n in [int(size) for size in args.sizes.split(",")]:
            text, data = in_process(n, args.repeats, old, args.hottest)
            lines += text
            extra["in_process"].append(data)
            print("\n".join(text), file=sys.stderr)
    if args.log:
        text, extra["fresh"] = fresh(args.log, args.repeats)
        lines += text
    print("\n".join(lines))
    name = f"replay_weighed_stages_{args.sizes.replace(',', '_')}" + (
        "_hottest" if args.hottest else ""
    )
    path = write_results(name, [], {**extra, "table": "\n".join(lines)})
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
