"""Replay benchmark: the same synthetic claim events, replayed four ways, side by side.

    polars          engine.domain.replay on the log's in-memory form (EncodedEvents:
                    names as integer codes, made once per read; every policy replays it)
    polars_strings  the same replay from the string claim_events frame, encoding included
    encode          EncodedEvents.of alone (what a read pays once, beside the replay)
    polars_v1       the first vectorised replay (bench/baselines/polars_v1.py)
    reference_fold  engine/domain/strict_rules.py: the pure-Python oracle of the property tests
    eventsourcing   the `eventsourcing` library: one Aggregate per site (POPO recorder);
                    the timed replay re-reads every aggregate with repository.get and runs
                    the reference fold on its events (ingest is timed once, apart)

Results are checked equal before they are reported. Each approach gets the events in its
own in-memory form, converted untimed (frame -> codes, frame -> rows, ingest); the cost
of the codes is the `encode` row, and `polars_strings` pays it inside the replay. The
replay's `claims` table is gathered on first use, outside the timing (the intervals and
swings are complete). Usage:

    .venv/bin/python bench/replay.py                       # 100k, 1M, 10M (~10 min)
    .venv/bin/python bench/replay.py --sizes 100000 --repeats 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections import defaultdict
from uuid import NAMESPACE_URL, UUID, uuid5

from common import measure, table, write_results
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Transcoding
from polars.testing import assert_frame_equal

from bench.baselines import polars_v1
from engine.domain import EncodedEvents, Policy, replay
from engine.synth import synth_claim_events
from engine.domain.strict_rules import believed_claims, fold

#: the compiled path and its baselines implement the strict rules; the weighed mode (the
#: default, plain Python: engine.domain.weighing) is measured beside them up to --weighed-up-to
POLICY = Policy(mode="strict")


def reference(rows: list[dict]) -> tuple[list, list]:
    return fold(believed_claims(rows, POLICY))


class DateAsISO(Transcoding):
    type = dt.date
    name = "date_iso"

    def encode(self, obj: dt.date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> dt.date:
        return dt.date.fromisoformat(data)


class Site(Aggregate):
    """One aggregate per site: its events are the claim events filed under it."""

    @staticmethod
    def create_id(site_id: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/sites/{site_id}")

    @event("Opened")
    def __init__(self, site_id: str):
        self.site_id = site_id
        self.rows = []

    @event("Recorded")
    def record(self, row: dict):
        self.rows.append(row)


class Sites(Application):
    def register_transcodings(self, transcoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


def eventsourcing_app(rows: list[dict]):
    """Ingest: every event under each site its claim names (as the partitions file them)."""
    sites_of = defaultdict(set)
    for row in rows:
        if row["site_id"] is not None:
            sites_of[row["claim_id"]].add(row["site_id"])
    filed = defaultdict(list)
    for row in rows:
        for site in sites_of[row["claim_id"]]:
            filed[site].append(row)
    app = Sites(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    for site_id, site_rows in filed.items():
        aggregate = Site(site_id)
        for row in site_rows:
            aggregate.record(row)
        app.save(aggregate)
    return app, Site, sorted(filed)


def eventsourcing_replay(app, site_cls, site_ids: list[str]) -> tuple[list, list]:
    intervals, swings = [], []
    for site_id in site_ids:
        aggregate = app.repository.get(site_cls.create_id(site_id))
        mine = [c for c in believed_claims(aggregate.rows, POLICY) if c["site_id"] == site_id]
        site_intervals, site_swings = fold(mine)
        intervals += site_intervals
        swings += site_swings
    return intervals, swings


def one_size(n: int, args: argparse.Namespace, measures: list, checks: list) -> None:
    print(f"n = {n:,}", file=sys.stderr)
    events = synth_claim_events(n, seed=args.seed)
    encoded = EncodedEvents.of(events)
    # the whole in-memory form: strings, codes, the by-site index and the revisions
    arrow_mb = (events.estimated_size() + encoded.codes.estimated_size()
                + encoded.by_site.estimated_size() + encoded.revisions.standing.estimated_size()
                + encoded.revisions.touched.estimated_size()) / 1e6
    m, fast = measure("polars", n, lambda: replay(encoded, POLICY), args.repeats)
    m.note = (f"input {arrow_mb:.0f} MB Arrow (strings, codes, index); peak "
              f"{m.peak_rss_mb - m.rss_before_mb:.0f} MB above the resident input = "
              f"{(m.peak_rss_mb - m.rss_before_mb) / arrow_mb:.1f}x")
    measures.append(m)
    m, _ = measure("encode", n, lambda: EncodedEvents.of(events), args.repeats)
    measures.append(m)
    m, from_strings = measure("polars_strings", n, lambda: replay(events, POLICY), args.repeats)
    measures.append(m)
    for name in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(fast, name), getattr(from_strings, name))
    del from_strings
    m, v1 = measure("polars_v1", n, lambda: polars_v1.replay(events, POLICY),
                    max(1, args.repeats // 2))
    measures.append(m)
    for name in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(fast, name), getattr(v1, name))
    checks.append(f"{n}: polars == polars_v1")
    del v1
    if n <= args.weighed_up_to:
        m, _ = measure("weighed", n, lambda: replay(encoded, Policy()), max(1, args.repeats // 2))
        m.note = "the default mode: the readable per-site fold, uncompiled"
        measures.append(m)
    if n <= args.python_up_to:
        rows = events.rows(named=True)
        gc.freeze()  # the input is long-lived: keep the collector off it
        m, expected = measure("reference_fold", n, lambda: reference(rows),
                              max(1, args.repeats // 2))
        measures.append(m)
        assert fast.intervals.rows() == expected[0] and fast.swings.rows() == expected[1]
        checks.append(f"{n}: polars == reference_fold")
        started = time.perf_counter()
        app, site_cls, site_ids = eventsourcing_app(rows)
        ingest = time.perf_counter() - started
        m, got = measure("eventsourcing", n, lambda: eventsourcing_replay(app, site_cls, site_ids),
                         args.eventsourcing_repeats)
        m.note = f"+ ingest {ingest:.0f} s once"
        measures.append(m)
        by_site = sorted(got[0], key=lambda r: r[0])
        assert by_site == sorted(expected[0], key=lambda r: r[0]), "eventsourcing differs"
        checks.append(f"{n}: eventsourcing == reference_fold")
        gc.unfreeze()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python-up-to", type=int, default=1_000_000,
                        help="run the pure-Python baselines up to this size (memory: ~10 GB per 1M)")
    parser.add_argument("--eventsourcing-repeats", type=int, default=1)
    parser.add_argument("--weighed-up-to", type=int, default=100_000,
                        help="measure the weighed mode up to this size (~0.1 ms a claim)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    measures, checks = [], []
    for n in [int(size) for size in args.sizes.split(",")]:
        one_size(n, args, measures, checks)
    text = table(measures, ["polars_strings", "polars_v1", "weighed", "reference_fold",
                           "eventsourcing"],
                 "polars")
    print(text)
    path = write_results("replay", measures, {"checks": checks, "table": text})
    print(f"\nchecks: {'; '.join(checks)}\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
