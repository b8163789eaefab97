"""``tadmur synth``: write a realistic synthetic log for benchmarks, tests and teaching."""

from __future__ import annotations

import argparse
import sys
import time

from engine.cli.options import add_log_argument
from engine.terminal import progress


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``synth``."""
    p = sub.add_parser(
        "synth",
        help="write a synthetic claim log (hash-chained, verifiable) for benchmarks",
        description="Write a fresh log folder: sources/ and a hash-chained log.jsonl in the "
        "store's exact format. Few claims for most sites, many for a few; retractions, "
        "corrections, conflicting claimants, uncertain windows, sieges, partial entries.",
    )
    p.add_argument(
        "--claims",
        type=int,
        required=True,
        metavar="N",
        help="number of claim events (recorded, corrected, retracted, reviewed)",
    )
    p.add_argument(
        "--sites",
        type=int,
        metavar="S",
        help="number of sites (default and maximum: the gazetteer's sites)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="K", help="random seed (default 0)")
    add_log_argument(p, required=True, help_text="an empty or new folder to write the log into")
    p.set_defaults(func=run_synth)


def run_synth(args: argparse.Namespace) -> int:
    from engine.synth import write_synth_log

    started = time.perf_counter()
    with progress(desc="synth", unit="line", unit_scale=True) as bar:
        head = write_synth_log(args.log, args.claims, args.sites, args.seed, progress=bar.update)
    print(
        f"wrote {head.seq} events to {args.log / 'log.jsonl'} (head {head.short}) in "
        f"{time.perf_counter() - started:.1f} s; check it with `tadmur verify --log {args.log}`",
        file=sys.stderr,
    )
    return 0
