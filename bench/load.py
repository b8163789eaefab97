"""Load benchmark: a synthetic log.jsonl -> the claim_events frame, three ways; then its
encoding, made or read back from the snapshot (bench/read_path.py compares the read
paths themselves and times the commands).

    jsonl_checked    engine.store.read, every line checked (engine.store.checked_lines)
    parquet_cache    engine.store.read from its snapshot (keyed by the head)
    store_decode     the store's checked per-line decode (codec.decode_line, which re-hashes
                     and validates each line) + frames.claim_events_frame, on a prefix of
                     the log; the store's own EventLog reader is not timed (see README)
    encode           EncodedEvents.of on the cached frame (what replay_log did on every call)
    encoded_snapshot engine.store.encoded_snapshot.load_encoded: the same encoding read from the snapshot

Every result is checked equal to the store's frame (on the prefix for the full log),
and the encoding read back equal to the one made.
Usage:
    .venv/bin/python bench/load.py               # 1M-line log (written once, ~3 min)
    .venv/bin/python bench/load.py --claims 100000
"""

from __future__ import annotations

import argparse
import sys

from common import DATA, measure, synthetic_log, table, write_results
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents
from engine.store.codec import decode_line
from engine.store.encoded_snapshot import load_encoded
from engine.store.frames import claim_events_frame
from engine.store.read import cache_dir, load_claim_events


def store_decode(path, n_lines: int):
    with open(path, "rb") as handle:
        lines = [next(handle) for _ in range(n_lines)]
    return claim_events_frame(
        [decode_line(line[:-1].decode("utf-8"), i + 1) for i, line in enumerate(lines)]
    )


def measure_encoding(root, cached, repeats: int) -> list:
    """Encoding the cached frame, against reading the encoding the snapshot keeps."""
    n = cached.claim_events.height
    made_m, made = measure("encode", n, lambda: EncodedEvents.of(cached.claim_events), repeats)
    load_encoded(root, cached)  # encodes once more and keeps it beside the snapshot
    assert list(cache_dir(root).glob("codes.*.parquet")), "the encoding was not kept"
    kept_m, kept = measure("encoded_snapshot", n, lambda: load_encoded(root, cached), repeats)
    assert_frame_equal(kept.codes, made.codes)
    assert_frame_equal(kept.by_site, made.by_site)
    for part in ("sites", "actors", "claimants"):
        assert getattr(kept, part).equals(getattr(made, part)), part
    return [made_m, kept_m]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument(
        "--prefix", type=int, default=100_000, help="lines decoded by the store baseline"
    )
    args = parser.parse_args()
    root = DATA / f"log_{args.claims}_s{args.seed}"
    path, n_lines = synthetic_log(root, args.claims, args.seed)
    measures = []
    m, fast = measure(
        "jsonl_checked", n_lines, lambda: load_claim_events(root, cache=False), args.repeats
    )
    assert fast.source == "jsonl"
    measures.append(m)
    load_claim_events(root)  # builds the snapshot
    n_claims = fast.claim_events.height
    m, cached = measure("parquet_cache", n_claims, lambda: load_claim_events(root), args.repeats)
    assert cached.source == "cache"
    m.note = "claim events"
    measures.append(m)
    assert_frame_equal(cached.claim_events, fast.claim_events)
    measures += measure_encoding(root, cached, args.repeats)
    prefix = min(args.prefix, n_lines)
    m, checked = measure("store_decode", prefix, lambda: store_decode(path, prefix), 1)
    m.note = f"first {prefix:,} lines"
    measures.append(m)
    assert_frame_equal(checked, fast.claim_events.filter(fast.claim_events["seq"] <= prefix))
    text = table(measures, ["store_decode"], "jsonl_checked", cross_size=("store_decode",))
    print(text)
    by_name = {m.name: m for m in measures}
    ratio = by_name["parquet_cache"].rate / by_name["jsonl_checked"].rate
    kept_ratio = by_name["encoded_snapshot"].rate / by_name["encode"].rate
    print(f"\nencoded_snapshot vs encode: {kept_ratio:.1f}x")
    extra = {
        "table": text,
        "log_bytes": path.stat().st_size,
        "lines": n_lines,
        "checks": [
            "jsonl_checked == parquet_cache",
            "jsonl_checked == store_decode (prefix)",
            "encoded_snapshot == encode (codes, by_site, dictionaries)",
        ],
        "cache_vs_checked_rate": ratio,
        "encoded_snapshot_vs_encode_rate": kept_ratio,
    }
    print(f"\nwrote {write_results('load', measures, extra)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
