"""The checked read path: log.jsonl -> the claim_events frame, every line checked,
then the commands users run, each in a fresh process.

In this process (median of repeats, peak RSS; the same log, the same run):

    checked            engine.store.read.load_claim_events(cache=False): every line's form,
                       hash, event id, types and rules, and the chain, with msgspec
                       (engine.store.checked_lines), on every core for a big log
    checked_one_core   the same in this process only (what one core does)
    store_per_line     the store's reader (EventLog.events + claim_events_frame, json and
                       decode_line for each line) on the first --prefix lines
    snapshot           load_claim_events from the Parquet snapshot the checked read left

Fresh processes (wall time, CPU and peak RSS from /usr/bin/time -v, median of
--cli-repeats; with --old TREE the same commands from another checkout, alternating with
this tree's in each repeat, so both see the same load):

    read_first         load_claim_events(DIR) with no snapshot, alone (it writes the snapshot)
    timeline_first     `tadmur timeline --log DIR --mode strict` with no snapshot
    timeline_warm      the same again (snapshot and encoding read back)
    verify             `tadmur verify --log DIR`

Peak memory is max RSS as /usr/bin/time -v reports it: the largest of the process and the
worker processes it waited for. It is set against the Arrow size of what is kept, two ways: polars'
``DataFrame.estimated_size()`` of the ``claim_events`` frame (the measure of issue 16), and
the bytes of its Arrow buffers (the frame written as uncompressed Arrow IPC: string
columns are Arrow string views, 16 bytes a row before any text, which
``estimated_size()`` does not count in full).

Usage:
    .venv/bin/python bench/read_path.py --claims 100000
    .venv/bin/python bench/read_path.py --claims 1000000 --repeats 3
    .venv/bin/python bench/read_path.py --log DIR --old /tmp/read-old --only-cli
(``git worktree add --detach /tmp/read-old REV`` makes the old checkout.)
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

import polars as pl
from common import DATA, ROOT, Measure, measure, synthetic_log, table, write_results
from polars.testing import assert_frame_equal

from engine.store import blocks as block_reader
from engine.store import open_log
from engine.store.frames import claim_events_frame
from engine.store.read import LoadedLog, cache_dir, load_claim_events

COMMANDS = ("read_first", "timeline_first", "timeline_warm", "verify")


def one_core(root: Path):
    """The checked read, kept in this process whatever the size."""
    saved = block_reader.PARALLEL_FROM
    block_reader.PARALLEL_FROM = 1 << 62
    try:
        return load_claim_events(root, cache=False)
    finally:
        block_reader.PARALLEL_FROM = saved


def store_per_line(root: Path, prefix: int, scratch: Path):
    """The store's reader on a copy of the first ``prefix`` lines."""
    with open(root / "log.jsonl", "rb") as handle:
        head = b"".join(handle.readline() for _ in range(prefix))
    copy = scratch / "prefix"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    (copy / "log.jsonl").write_bytes(head)
    (copy / "sources").symlink_to(root / "sources")
    return copy, lambda: claim_events_frame(open_log(copy).events())


def fresh_process(
    name: str, command: list[str], n: int, repeats: int, trees: dict[str, Path], before=None
) -> list[Measure]:
    """Wall time, CPU and peak RSS of ``python COMMAND`` in a fresh process, run from each
    tree in turn in every repeat (``before`` runs before each run); one Measure per tree,
    named ``name`` (this tree) or ``name [label]``."""
    runs: dict[str, tuple[list[float], list[float], list[float]]] = {
        label: ([], [], []) for label in trees
    }
    for _ in range(repeats):
        for label, tree in trees.items():
            if before is not None:
                before()
            wall, cpu, peak = run_fresh(tree, command, name)
            runs[label][0].append(wall)
            runs[label][1].append(cpu)
            runs[label][2].append(peak)
    measures = []
    for label, (walls, cpus, peaks) in runs.items():
        m = Measure(name if label == "new" else f"{name} [{label}]", n, walls)
        m.peak_rss_mb = statistics.median(peaks)
        # CPU seconds of the process and its workers: less moved by other jobs than wall time
        m.note = f"CPU {statistics.median(cpus):.1f} s"
        print(
            f"  {m.name:<28} n={n:>11,}  median {m.median:8.3f} s  peak RSS "
            f"{m.peak_rss_mb:8.0f} MB  {m.note}  (walls {[round(w, 2) for w in walls]})",
            file=sys.stderr,
            flush=True,
        )
        measures.append(m)
    return measures


def run_fresh(tree: Path, command: list[str], name: str) -> tuple[float, float, float]:
    """(wall s, CPU s of the process and its workers, max RSS MB) of one run."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, *command],
        capture_output=True,
        text=True,
        cwd=tree,
        check=False,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{name} failed in {tree}: {done.stderr[-2000:]}")
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    times = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
    return wall, sum(float(x) for x in times), int(found.group(1)) / 1024 if found else 0.0


def arrow_buffers_mb(frame: pl.DataFrame) -> float:
    """The bytes of the frame's Arrow buffers (written as uncompressed Arrow IPC)."""
    out = io.BytesIO()
    frame.write_ipc(out, compression="uncompressed")
    return len(out.getvalue()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cli-repeats", type=int, default=3)
    parser.add_argument(
        "--prefix", type=int, default=100_000, help="lines read by the store's per-line reader"
    )
    parser.add_argument("--log", type=Path, help="an existing synthetic log folder to use")
    parser.add_argument("--no-cli", action="store_true", help="skip the fresh-process commands")
    parser.add_argument(
        "--only-cli",
        action="store_true",
        help="only the fresh-process commands (no in-process rows)",
    )
    parser.add_argument(
        "--old", type=Path, help="a checkout of the old code: its commands run beside this tree's"
    )
    parser.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        help=f"the fresh-process commands to run, comma-separated (default: {','.join(COMMANDS)})",
    )
    args = parser.parse_args()
    root = args.log or DATA / f"log_{args.claims}_s{args.seed}"
    path, n_lines = synthetic_log(root, args.claims, args.seed)
    measures: list[Measure] = []
    if not args.only_cli:
        in_process(root, path, n_lines, args, measures)
    kept = load_claim_events(root, cache=False).claim_events
    kept_mb, buffers_mb = kept.estimated_size() / 1e6, arrow_buffers_mb(kept)
    del kept
    if not args.no_cli:
        trees = {"new": ROOT}
        if args.old is not None:
            trees = {"old": args.old.resolve(), "new": ROOT}
        cli = ["-m", "engine.cli"]
        timeline = [*cli, "timeline", "--log", str(root), "--mode", "strict", "--out", os.devnull]
        read = [
            "-c",
            f"from engine.store.read import load_claim_events; load_claim_events({str(root)!r})",
        ]

        def no_snapshot() -> None:
            shutil.rmtree(cache_dir(root), ignore_errors=True)

        wanted = args.commands.split(",")
        if any(name.startswith("timeline") for name in wanted):
            for tree in trees.values():  # untimed: numba's cache beside each tree's modules
                run_fresh(tree, timeline, "warm-up")
        for name, command, before in (
            ("read_first", read, no_snapshot),
            ("timeline_first", timeline, no_snapshot),
            ("timeline_warm", timeline, None),
            ("verify", [*cli, "verify", "--log", str(root)], None),
        ):
            if name in wanted:
                measures += fresh_process(name, command, n_lines, args.cli_repeats, trees, before)
    return _report(measures, path, n_lines, kept_mb, buffers_mb, args)


def in_process(root: Path, path: Path, n_lines: int, args, measures: list[Measure]) -> None:
    """The rows measured in this process: the checked read on every core and on one, the
    compiled scanner where it is installed, the store's per-line reader on a prefix, and
    the snapshot read back."""
    m, result = measure(
        "checked", n_lines, lambda: load_claim_events(root, cache=False), args.repeats
    )
    checked = cast(LoadedLog, result)
    assert checked.source == "jsonl"
    measures.append(m)
    m, result = measure("checked_one_core", n_lines, lambda: one_core(root), args.repeats)
    single = cast(LoadedLog, result)
    assert_frame_equal(single.claim_events, checked.claim_events)
    del single
    measures.append(m)
    with tempfile.TemporaryDirectory() as scratch:
        prefix = min(args.prefix, n_lines)
        copy, read_prefix = store_per_line(root, prefix, Path(scratch))
        m, result = measure(
            "store_per_line", prefix, read_prefix, 1, note=f"first {prefix:,} lines"
        )
        measures.append(m)
        slow = cast(pl.DataFrame, result)
        assert_frame_equal(slow, load_claim_events(copy, cache=False).claim_events)
    load_claim_events(root)  # leaves the snapshot
    m, result = measure("snapshot", n_lines, lambda: load_claim_events(root), args.repeats)
    cached = cast(LoadedLog, result)
    assert cached.source == "cache"
    assert_frame_equal(cached.claim_events, checked.claim_events)
    measures.append(m)


def _report(
    measures: list[Measure], path: Path, n_lines: int, kept_mb: float, buffers_mb: float, args
) -> int:
    baselines = [name for name in ("store_per_line",) if any(x.name == name for x in measures)]
    text = table(measures, baselines, "checked", cross_size=("store_per_line",))
    print(text)
    print(
        f"\nclaim_events kept: {kept_mb:.0f} MB (estimated_size), {buffers_mb:.0f} MB of Arrow "
        "buffers (uncompressed IPC)"
    )
    peaks = {}
    for m in measures:
        if m.name.split(" ")[0] in COMMANDS:
            peaks[m.name] = round(m.peak_rss_mb / kept_mb, 2)
            print(
                f"  {m.name:<28} peak {m.peak_rss_mb:6.0f} MB = {m.peak_rss_mb / kept_mb:.2f}x "
                f"estimated_size, {m.peak_rss_mb / buffers_mb:.2f}x the Arrow buffers"
            )
    extra = {
        "table": text,
        "log_bytes": path.stat().st_size,
        "lines": n_lines,
        "claim_events_arrow_mb": kept_mb,
        "claim_events_arrow_buffers_mb": buffers_mb,
        "peak_over_estimated_size": peaks,
        "old_tree": str(args.old) if args.old else None,
        "checks": ["checked == checked_one_core == snapshot", "store_per_line == checked (prefix)"],
    }
    name = f"read_path_{args.claims}" + ("_vs_old" if args.old else "")
    if args.commands != ",".join(COMMANDS):
        name += "_" + args.commands.replace(",", "_")
    print(f"\nwrote {write_results(name, measures, extra)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
