"""Incremental benchmark: append one claim to a 1M-claim log, get its site's timeline.

For a median site and for the hottest site of the log: the time of
``IncrementalReplay.append`` (replays only the touched sites), against a full replay of
the whole log in the same process and against the replay of that site's events alone,
already encoded (what an append cannot go below). After the appends the incremental tables are checked
equal to a full replay. Usage:

    .venv/bin/python bench/incremental.py                 # the 1M-line log of bench/load.py
    .venv/bin/python bench/incremental.py --claims 100000
    .venv/bin/python bench/incremental.py --modes weighed --only-synthetic

Both replay modes by default: ``weighed`` (the default policy; a site of fewer than
``COMPILED_FROM`` claims is folded by the plain-Python specification, a larger one by the
compiled fold) and ``strict``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
import time

import polars as pl
from common import DATA, Measure, measure, write_results
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, Policy, replay
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from incremental_replay import IncrementalReplay
from engine.store.read import load_claim_events
from engine.synth import synth_claim_events, write_synth_log

MODES = {"weighed": Policy(), "strict": Policy(mode="strict")}

_numbers = itertools.count()


def one_claim(site: str, seq: int) -> pl.DataFrame:
    n = next(_numbers)
    row = dict.fromkeys(CLAIM_EVENTS)
    row.update(seq=seq, event="recorded", claim_id=f"cbench{n:011d}", doc_id="synth000001",
               published_date=dt.date(2017, 3, 5), site_id=site, kind="captured",
               gainer="government", loser="isis", valid_from=dt.date(2017, 3, 1),
               valid_to=dt.date(2017, 3, 2), time_precision="days", claimant="sana",
               denied=False, confidence=1.0, extractor="manual", evidence_text="…",
               evidence_start=0, evidence_end=1)
    return pl.DataFrame([row], schema=polars_schema(CLAIM_EVENTS))


def bench(label: str, events: pl.DataFrame, repeats: int, mode: str) -> list[Measure]:
    print(f"{label}, {mode}: {events.height:,} claim events", file=sys.stderr)
    policy = MODES[mode]
    label = f"{label}, {mode}"
    measures = []
    m, _ = measure(f"full replay [{label}]", events.height, lambda: replay(events, policy), 3)
    measures.append(m)
    started = time.perf_counter()
    live = IncrementalReplay(events, policy)
    build = time.perf_counter() - started
    per_site = (events.filter(pl.col("event") == "recorded")["site_id"]
                .value_counts(sort=True))
    hottest, median = per_site.row(0), per_site.row(per_site.height // 2)
    seq = [int(events["seq"].max())]
    appended = []

    def append(site: str):
        seq[0] += 1
        row = one_claim(site, seq[0])
        appended.append(row)
        touched = live.append(row)
        return touched.intervals.filter(pl.col("site_id") == site)

    for name, (site, count) in (("median site", median), ("hottest site", hottest)):
        m, _ = measure(f"append 1 claim, {name} [{label}]", 1, lambda s=site: append(s), repeats)
        # the first append to a site encodes its events; later ones encode the new row only
        m.note = (f"{site}: {count:,} claims; index built once in {build:.1f} s; "
                  f"first append {m.seconds[0] * 1000:.0f} ms")
        m.n = events.height  # rate column = log size / time: the full replay's unit
        measures.append(m)
        # the floor of an append: the real replay of that site's events, already encoded
        ids = events.filter(pl.col("site_id") == site)["claim_id"].unique().implode()
        alone = EncodedEvents.of(events.filter(pl.col("claim_id").is_in(ids)))
        m, _ = measure(f"replay {name} alone, encoded [{label}]", alone.height,
                       lambda e=alone: replay(e, policy), repeats)
        m.note = f"{site}: {alone.height:,} events"
        measures.append(m)
    full = replay(pl.concat([events, *appended]), policy)
    whole = live.timelines()
    for table_name in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(whole, table_name), getattr(full, table_name))
    return measures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--modes", default="weighed,strict")
    parser.add_argument("--only-synthetic", action="store_true",
                        help="skip the 62-site log (written once by tadmur synth, ~700 MB at 1M)")
    parser.add_argument("--out", default="incremental", help="results/NAME.json")
    args = parser.parse_args()
    measures = []
    if not args.only_synthetic:
        root = DATA / f"log_{args.claims}_s{args.seed}"
        if not (root / "log.jsonl").exists():
            write_synth_log(root, args.claims, seed=args.seed)
        logged = load_claim_events(root).claim_events
        for mode in args.modes.split(","):
            measures += bench("log, 62 gazetteer sites", logged, args.repeats, mode)
    drawn = synth_claim_events(args.claims, seed=args.seed)
    for mode in args.modes.split(","):
        measures += bench(f"synthetic, {args.claims // 20:,} sites", drawn, args.repeats, mode)
    lines = ["| what | log claims | median ms | peak RSS MB | note |", "|---|---|---|---|---|"]
    for m in measures:
        lines.append(f"| {m.name} | {m.n:,} | {m.median * 1000:.1f} | {m.peak_rss_mb:.0f} | "
                     f"{m.note} |")
    text = "\n".join(lines)
    print(text)
    print(f"\nwrote {write_results(args.out, measures, {'table': text})}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
