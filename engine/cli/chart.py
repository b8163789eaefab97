"""``tadmur chart``: a site's or region's timeline, Palmyra's swings or a map, written
as a self-contained offline HTML, an SVG or a PNG.

Also ``tadmur explore``: the explorer served as a local web app.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli.options import (
    add_cache_argument,
    add_log_argument,
    add_policy_arguments,
    parse_day,
    policy_from_args,
    report_repairs,
)

FORMATS = (".html", ".svg", ".png")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``chart SITE_OR_REGION --out FILE.{html,svg,png}`` and ``explore``."""
    p = subparsers.add_parser(
        "chart",
        help="draw a timeline (palmyra: the swings showcase) or a map to HTML, SVG or PNG",
        description=(
            "Draw who held SITE_OR_REGION over time (a site id, a region id such as "
            "palmyra_area, or 'all'; 'palmyra' draws the swings showcase), or with --on a "
            "map of control on that day. The subtitle names the log seq, hash and policy, "
            "so the same command on the same log gives the same chart."
        ),
    )
    p.add_argument("target", metavar="SITE_OR_REGION", help="site id, region id or 'all'")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help="output file: .html (self-contained, offline), .svg or .png",
    )
    p.add_argument(
        "--on",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="draw a map of control on this day instead of a timeline",
    )
    p.add_argument(
        "--timeline",
        action="store_true",
        help="draw the site timeline (what the explorer shows) even for palmyra",
    )
    add_policy_arguments(p)
    add_cache_argument(p)
    add_log_argument(p)
    p.set_defaults(func=run_chart)

    e = subparsers.add_parser(
        "explore",
        help="serve the explorer as a local web app (offline, 127.0.0.1)",
        description="Serve the explorer alone as a web page (Solara): pick sites, whom to "
        "believe and what was known when. Binds 127.0.0.1 unless --host says otherwise.",
    )
    e.add_argument("--port", type=int, default=8765, help="port (default 8765; 0: any free)")
    e.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    e.add_argument(
        "--target",
        default="palmyra",
        metavar="SITE_OR_REGION",
        help="the sites shown first (default palmyra)",
    )
    add_log_argument(e)
    e.set_defaults(func=run_explore)


def run_chart(args: argparse.Namespace) -> int:
    """Replay the log under the policy the options describe and save the chart."""
    from engine.charts import chart_for, save_chart, sites_for
    from engine.domain.errors import TadmurError
    from engine.project import replay_log

    if args.out.suffix.lower() not in FORMATS:
        raise TadmurError(
            f"cannot write a chart as {args.out.suffix or 'a file without suffix'!r}",
            where=f"--out {args.out}",
            hint="use a file name ending in .html, .svg or .png",
        )
    sites_for(args.target)  # refuse an unknown target before reading the log
    replayed = replay_log(policy_from_args(args), args.log, cache=args.cache)
    report_repairs(replayed.repairs)
    chart = chart_for(replayed, args.target, on=args.on, timeline=args.timeline)
    path = save_chart(chart, args.out)
    print(f"wrote {path} ({replayed.caption()})", file=sys.stderr)
    return 0


def run_explore(args: argparse.Namespace) -> int:
    """Serve the explorer until interrupted."""
    from engine.charts import sites_for
    from engine.explore.serve import serve

    sites_for(args.target)  # refuse an unknown target before starting a server
    return serve(args.log, args.port, host=args.host, target=args.target)
