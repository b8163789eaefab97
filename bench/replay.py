"""Replay benchmark: the same synthetic claim events, replayed four ways, side by side.

    polars          engine.domain.replay on the log's in-memory form (EncodedEvents:
                    names as integer codes, made once per read; every policy replays it)
    polars_strings  the same replay from the string claim_events frame, encoding included
    encode          EncodedEvents.of alone (what a read pays once, beside the replay)
    polars_v1       the first vectorised replay (bench/baselines/polars_v1.py)
    reference_fold  engine/domain/strict_rules.py: the pure-Python oracle of the property tests
    weighed         the default mode, Policy(mode="weighed"): the compiled weighed fold
                    (engine/domain/weighing_passes.py) on the same encoded events
    strict          the strict replay (the `polars` row) timed in turns with `weighed`,
                    so that the ratio of the two is taken under the same load
    weighed_codes   what the weighed mode makes once per encoding, beside it (each quote's
                    words as a code, the exact kind, the fallback flag)
    weighed_spec    the weighed mode's specification, engine/domain/weighing.py: the
                    plain-Python fold over records (what every weighed replay ran before)
    eventsourcing   the `eventsourcing` library: one Aggregate per site (POPO recorder);
                    the timed replay re-reads every aggregate with repository.get and runs
                    the reference fold on its events (ingest is timed once, apart)

Results are checked equal before they are reported (weighed == weighed_spec: intervals
and swings). Each approach gets the events in its
own in-memory form, converted untimed (frame -> codes, frame -> rows, ingest); the cost
of the codes is the `encode` row, and `polars_strings` pays it inside the replay. The
replay's `claims` table is gathered on first use, outside the timing (the intervals and
swings are complete). Usage:

    .venv/bin/python bench/replay.py                       # 100k, 1M, 10M (~10 min)
    .venv/bin/python bench/replay.py --sizes 100000 --repeats 3
    .venv/bin/python bench/replay.py --only-weighed --sizes 100000,1000000   # the weighed rows
"""

from __future__ import annotations

import argparse
import gc
import sys
import time

from common import measure, table, write_results
from polars.testing import assert_frame_equal

from bench.baselines import polars_v1
from engine.domain import EncodedEvents, Policy, replay
from engine.domain.replay_weighed import weighed_timelines
from engine.synth import synth_claim_events
from engine.domain.strict_rules import believed_claims, fold

#: the first compiled path and its baselines implement the strict rules; the weighed mode
#: (the default) is measured beside them, compiled and as its plain-Python specification
POLICY = Policy(mode="strict")
WEIGHED = Policy()


def reference(rows: list[dict]) -> tuple[list, list]:
    return fold(believed_claims(rows, POLICY))


def weighed_rows(n: int, encoded: EncodedEvents, args: argparse.Namespace, measures: list,
                 checks: list) -> None:
    """The weighed mode: compiled, its once-per-encoding codes, and its specification."""
    def codes():
        encoded.__dict__.pop("_weighed_text", None)
        encoded.__dict__.pop("_weighed_codes", None)
        encoded.__dict__.pop("_weighed_words", None)
        return weighed_per_event(encoded)

    from engine.domain.replay_weighed import _per_event as weighed_per_event

    m, _ = measure("weighed_codes", n, codes, max(1, args.repeats // 2))
    m.note = "once per encoding, kept beside it"
    measures.append(m)
    # the weighed replay and the strict one (the fold the ratio is taken to) run
    # alternately, so that a change of load moves both
    made, fast = alternated({"weighed": lambda: replay(encoded, WEIGHED),
                             "strict": lambda: replay(encoded, POLICY)}, n, args.repeats)
    heard = fast.intervals["n_claims"].sum() + fast.intervals["n_dissents"].sum()
    made["weighed"].note = (f"compiled; {heard:,} claims placed on {fast.intervals.height:,} "
                            "intervals")
    made["strict"].note = "the strict fold, Policy(mode='strict'), same encoding, alternating"
    measures += made.values()
    if n <= args.weighed_spec_up_to:
        gc.freeze()
        m, spec = measure("weighed_spec", n,
                          lambda: weighed_timelines(encoded, WEIGHED, compiled=False),
                          max(1, args.repeats // 5))
        gc.unfreeze()
        m.note = "the specification: plain Python over records"
        measures.append(m)
        assert_frame_equal(fast.intervals, spec[1])
        assert_frame_equal(fast.swings, spec[2])
        checks.append(f"{n}: weighed == weighed_spec")
        del spec


def alternated(runs: dict, n: int, repeats: int) -> tuple[dict, object]:
    """Each of ``runs`` timed ``repeats`` times, in turns (the order reversed every other
    turn); the Measures by name, and the first run's last result."""
    made: dict = {}
    first = None
    for turn in range(repeats):
        names = list(runs) if turn % 2 == 0 else list(runs)[::-1]
        for name in names:
            m, result = measure(name, n, runs[name], 1)
            if name == next(iter(runs)):
                first = result
            if name in made:
                made[name].seconds += m.seconds
                made[name].peak_rss_mb = max(made[name].peak_rss_mb, m.peak_rss_mb)
            else:
                made[name] = m
            del result
    return made, first


def one_size(n: int, args: argparse.Namespace, measures: list, checks: list) -> None:
    print(f"n = {n:,}", file=sys.stderr)
    events = synth_claim_events(n, seed=args.seed)
    encoded = EncodedEvents.of(events)
    weighed_rows(n, encoded, args, measures, checks)
    if args.only_weighed:
        return
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
    if n <= args.python_up_to:
        rows = events.rows(named=True)
        gc.freeze()  # the input is long-lived: keep the collector off it
        m, expected = measure("reference_fold", n, lambda: reference(rows),
                              max(1, args.repeats // 2))
        measures.append(m)
        assert fast.intervals.rows() == expected[0] and fast.swings.rows() == expected[1]
        checks.append(f"{n}: polars == reference_fold")
        # (the eventsourcing library is a bench extra: imported only when it runs)
        from bench.baselines.eventsourcing_sites import eventsourcing_app, eventsourcing_replay

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
    parser.add_argument("--weighed-spec-up-to", type=int, default=1_000_000,
                        help="run the weighed mode's plain-Python specification up to this "
                             "size (~50 us a claim)")
    parser.add_argument("--name", help="results/NAME.json (default: replay, or replay_weighed "
                        "with --only-weighed)")
    parser.add_argument("--only-weighed", action="store_true",
                        help="measure the weighed mode alone (not the strict baselines)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    measures, checks = [], []
    for n in [int(size) for size in args.sizes.split(",")]:
        one_size(n, args, measures, checks)
    text = table([m for m in measures if m.name.startswith("weighed") or m.name == "strict"],
                 ["weighed_spec", "strict"], "weighed")
    if not args.only_weighed:
        text = table([m for m in measures if not m.name.startswith("weighed")],
                     ["polars_strings", "polars_v1", "reference_fold", "eventsourcing"],
                     "polars") + "\n\n" + text
    print(text)
    name = args.name or ("replay_weighed" if args.only_weighed else "replay")
    path = write_results(name, measures, {"checks": checks, "table": text})
    print(f"\nchecks: {'; '.join(checks)}\nwrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
