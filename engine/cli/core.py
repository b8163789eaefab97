"""Reading the log: ``tadmur timeline``, ``verify``, ``log``, ``sites`` and ``repair``.

Only what ``tadmur --help`` needs is imported here: polars and the domain come in with
the command that uses them.
"""

from __future__ import annotations

import argparse
import csv
import sys

from engine.cli.options import (
    add_cache_argument,
    add_log_argument,
    add_output_arguments,
    add_policy_arguments,
    add_site_argument,
    check_sites,
    policy_from_args,
    report_repairs,
    write_table,
)
from engine.terminal import printable

TIMELINE_COLUMNS = [
    "site_id",
    "controller",
    "status",
    "start_earliest",
    "start_latest",
    "end_earliest",
    "end_latest",
    "n_claims",
    "claim_ids",
    "open_start",
    "siege",
    "support",
    "n_dissents",
    "dissent_ids",
]


#: The columns of ``tadmur sites``, in order.
SITE_COLUMNS = ("site_id", "name_en", "region_id", "coord_quality")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``timeline``, ``verify``, ``log``, ``sites`` and ``repair``."""
    p = sub.add_parser("timeline", help="per-site control intervals under a policy")
    add_log_argument(p)
    add_site_argument(p)
    add_policy_arguments(p)
    add_cache_argument(p)
    add_output_arguments(p)
    p.set_defaults(func=run_timeline)

    p = sub.add_parser("verify", help="re-check framing, seq, hash chain, references, sources")
    add_log_argument(p)
    p.add_argument("--print-head", action="store_true", help="print 'SEQ HASH' of the head only")
    p.add_argument(
        "--expect-head",
        metavar="SEQ:HASH",
        help="also fail unless the log still holds this pinned head (from --print-head)",
    )
    p.set_defaults(func=run_verify)

    p = sub.add_parser("log", help="list the events of the log")
    add_log_argument(p)
    p.set_defaults(func=run_log)

    p = sub.add_parser("sites", help="list known site ids (the gazetteer and your places.csv)")
    add_log_argument(p)
    p.set_defaults(func=run_sites)

    p = sub.add_parser("repair", help="move a torn last line aside (kept under torn/)")
    add_log_argument(p)
    p.set_defaults(func=run_repair)


def run_timeline(args: argparse.Namespace) -> int:
    import polars as pl

    from engine.project import replay_log

    check_sites(args.site)
    replayed = replay_log(policy_from_args(args), args.log, cache=args.cache)
    report_repairs(replayed.repairs)
    table = replayed.timelines.intervals
    if args.site:
        table = table.filter(pl.col("site_id").is_in(args.site))
    write_table(table.select(TIMELINE_COLUMNS), args.format, args.out)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    from engine.store import default_log_dir
    from engine.store.verify import parse_head, verify_log

    pinned = parse_head(args.expect_head) if args.expect_head else None
    result = verify_log(args.log or default_log_dir(), expect_head=pinned)
    if args.print_head and result.ok:
        print(result.head.seq, result.head.hash)
    else:
        print(result.describe(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def run_log(args: argparse.Namespace) -> int:
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    for item in log.events():
        data = item.event.data()
        subject = data.get("claim_id") or data.get("doc_id")
        detail = " ".join(
            f"{k}={data[k]}"
            for k in (
                "site_id",
                "kind",
                "gainer",
                "claimant",
                "valid_from",
                "valid_to",
                "verdict",
                "reason",
                "note",
            )
            if data.get(k) not in (None, "")
        )
        print(
            printable(f"{item.seq:>6} {item.recorded_at[:19]} {item.type:<18} {subject} {detail}")
        )
    report_repairs(log.repairs)
    return 0


def run_sites(args: argparse.Namespace) -> int:
    """The gazetteer's sites, then the user's own places (``--log``'s places.csv,
    ``$TADMUR_PLACES``), as CSV; the csv module, not polars, so it answers at once."""
    from engine.reference.places import site_rows

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(SITE_COLUMNS)
    writer.writerows([row.get(c) or "" for c in SITE_COLUMNS] for row in site_rows())
    return 0


def run_repair(args: argparse.Namespace) -> int:
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    for repair in log.repair():
        print(repair.describe())
    if not log.repairs:
        print("nothing to repair: the last line is whole")
    return 0
