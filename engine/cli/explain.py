"""``tadmur explain SITE --on YYYY-MM-DD``: a site's state on a day, and why."""

from __future__ import annotations

import argparse

from engine.cli.options import (
    add_cache_argument,
    add_log_argument,
    add_policy_arguments,
    parse_day,
    policy_from_args,
    report_repairs,
)


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``explain``."""
    p = sub.add_parser(
        "explain",
        help="a site's state on a day: the rule and the claims for and against, with their weights",
    )
    p.add_argument("site", metavar="SITE", help="site id (see `tadmur sites`)")
    p.add_argument(
        "--on", type=parse_day, required=True, metavar="YYYY-MM-DD", help="the day to explain"
    )
    add_log_argument(p)
    add_policy_arguments(p)
    add_cache_argument(p)
    p.set_defaults(func=run_explain)


def run_explain(args: argparse.Namespace) -> int:
    from engine.project import replay_log

    replayed = replay_log(policy_from_args(args), args.log, cache=args.cache)
    report_repairs(replayed.repairs)
    print(replayed.timelines.explain(args.site, args.on))
    print(f"({replayed.caption()})")
    return 0
