"""Scale benchmark: a log larger than memory, as Parquet segments partitioned by site,
replayed bucket by bucket (one process, bounded memory) and optionally on Ray.

    .venv/bin/python bench/scale.py --claims 100000000          # writes ~100M events first
    .venv/bin/python bench/scale.py --claims 10000000 --ray     # + a local 2-worker Ray run

Peak RSS is the process's (sampled every 5 ms): it is bounded by the largest bucket, not
by the log. The partitioned result equals one replay (tests/integration/test_scale_partitioned.py
checks it on a small log; here the total row counts are reported).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

import polars as pl
from common import DATA, measure, write_results

from engine.partitioned import buckets, replay_on_ray, replay_partitioned, write_partitions
from engine.synth import synth_chunks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000_000)
    parser.add_argument("--chunk", type=int, default=2_000_000)
    parser.add_argument("--buckets", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ray", action="store_true", help="also replay on a local Ray cluster")
    args = parser.parse_args()
    root = DATA / f"partitioned_{args.claims}_s{args.seed}"
    extra = {}
    if not (root / "partitions.json").exists():
        started = time.perf_counter()
        n = write_partitions(synth_chunks(args.claims, args.chunk, args.seed), root, args.buckets)
        extra["write_seconds"] = time.perf_counter() - started
        print(f"wrote {n:,} events to {root} in {extra['write_seconds']:.0f} s", file=sys.stderr)
    sizes = {b.name: pl.scan_parquet(b / "*.parquet").select(pl.len()).collect().item()
             for b in buckets(root)}
    extra["largest_bucket_events"] = max(sizes.values())
    extra["parquet_bytes"] = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    n_events = sum(sizes.values())
    out = DATA / f"timelines_{args.claims}_s{args.seed}"
    shutil.rmtree(out, ignore_errors=True)
    measures = []
    m, results = measure("bucket by bucket", n_events,
                         lambda: replay_partitioned(root, out), 1)
    m.note = f"{len(sizes)} buckets, largest {extra['largest_bucket_events']:,} events"
    measures.append(m)
    extra["intervals"] = sum(r.n_intervals for r in results)
    extra["swings"] = sum(r.n_swings for r in results)
    if args.ray:
        import ray

        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        shutil.rmtree(out, ignore_errors=True)
        m, ray_results = measure("ray, local, 2 CPUs", n_events, lambda: replay_on_ray(root, out), 1)
        m.note = "driver RSS only (workers are other processes)"
        measures.append(m)
        assert sum(r.n_intervals for r in ray_results) == extra["intervals"]
        ray.shutdown()
    lines = ["| run | events (filed) | seconds | events/s | peak RSS MB | note |",
             "|---|---|---|---|---|---|"]
    for m in measures:
        lines.append(f"| {m.name} | {m.n:,} | {m.median:.1f} | {m.rate / 1e6:.2f} M | "
                     f"{m.peak_rss_mb:.0f} | {m.note} |")
    text = "\n".join(lines)
    print(text)
    extra["table"] = text
    print(f"\nwrote {write_results(f'scale_{args.claims}', measures, extra)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
