"""Chart benchmark: a region timeline chart from a 1M-claim log, with the replay beside it.

Times ``timeline_chart(...).to_dict()`` for the sites of one region (claim ticks are
aggregated in polars so the chart stays under Altair's row limit), the replay that
feeds it, and both together. Usage:

    .venv/bin/python bench/chart.py                       # 1M claims, palmyra_area
    .venv/bin/python bench/chart.py --claims 100000 --region deir_ez_zor_area
"""

from __future__ import annotations

import argparse

import polars as pl
from common import measure, table, write_results

from engine.charts import sites_for, timeline_chart
from engine.domain import Policy, replay
from engine.synth import synth_claim_events

#: the compiled path (the weighed default is the plain-Python fold: bench/replay.py)
STRICT = Policy(mode="strict")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--region", default="palmyra_area")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    events = synth_claim_events(args.claims, n_sites=62, seed=args.seed)  # gazetteer sites
    chosen = sites_for(args.region)

    def region_chart(timelines) -> dict:
        keep = pl.col("site_id").is_in(chosen)
        return timeline_chart(timelines.intervals.filter(keep), timelines.claims.filter(keep),
                              f"synthetic log, {args.claims:,} claim events").to_dict()

    replayed, timelines = measure("replay", args.claims, lambda: replay(events, STRICT), args.repeats)
    drawn, spec = measure("chart", args.claims, lambda: region_chart(timelines), args.repeats,
                          note=f"{args.region}, {len(chosen)} sites")
    both, _ = measure("replay+chart", args.claims, lambda: region_chart(replay(events, STRICT)),
                      args.repeats)
    rows = sum(len(d.get("values", [])) for d in spec.get("datasets", {}).values()
               if isinstance(d, dict)) or sum(len(v) for v in spec.get("datasets", {}).values())
    print(table([replayed, drawn, both], [], "chart"))
    print(f"\nrows inlined in the chart spec: {rows:,} (Altair's limit: 5,000 per dataset)")
    write_results("chart", [replayed, drawn, both], {"region": args.region, "rows": rows})


if __name__ == "__main__":
    main()
