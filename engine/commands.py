"""The core subcommands: timeline, verify, log, sites, repair, demo.

Only what ``tadmur --help`` needs is imported here: polars and the domain come in with
the command that uses them.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from engine.domain.errors import TadmurError
from engine.terminal import printable

if TYPE_CHECKING:
    import polars as pl

    from engine.domain import Policy

TIMELINE_COLUMNS = ["site_id", "controller", "status", "start_earliest", "start_latest",
                    "end_earliest", "end_latest", "n_claims", "claim_ids", "open_start",
                    "siege", "support", "n_dissents", "dissent_ids"]


def register_core(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("timeline", help="per-site control intervals under a policy")
    add_log_argument(p)
    p.add_argument("--site", action="append", default=[], metavar="ID",
                   help="only these sites (repeatable)")
    add_policy_arguments(p)
    p.add_argument("--format", choices=["csv", "jsonl", "parquet"], default="csv")
    p.add_argument("--out", type=Path, help="write to FILE instead of stdout")
    p.set_defaults(func=run_timeline)

    p = sub.add_parser("verify", help="re-check framing, seq, hash chain, references, sources")
    add_log_argument(p)
    p.add_argument("--print-head", action="store_true", help="print 'SEQ HASH' of the head only")
    p.add_argument("--expect-head", metavar="SEQ:HASH",
                   help="also fail unless the log still holds this pinned head (from --print-head)")
    p.set_defaults(func=run_verify)

    p = sub.add_parser("log", help="list the events of the log")
    add_log_argument(p)
    p.set_defaults(func=run_log)

    p = sub.add_parser("sites", help="list known site ids")
    p.set_defaults(func=run_sites)

    p = sub.add_parser("repair", help="move a torn last line aside (kept under torn/)")
    add_log_argument(p)
    p.set_defaults(func=run_repair)

    p = sub.add_parser("demo", help="the main job: verify, replay, tables, charts, notebooks")
    add_log_argument(p)
    p.add_argument("--out", type=Path, default=Path("build"), help="output folder (build/)")
    p.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks")
    p.set_defaults(func=run_demo)


def add_log_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log", type=Path, metavar="DIR",
                        help="log folder (default: the project's events/ or $TADMUR_LOG)")


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    """--as-of-seq, --known-by, --trust, --distrust, --include-denied, --include-candidates."""
    from engine.cli import parse_day

    parser.add_argument("--as-of-seq", type=int, metavar="N", help="replay the log up to seq N")
    parser.add_argument("--known-by", type=parse_day, metavar="YYYY-MM-DD",
                        help="only documents published by that day")
    parser.add_argument("--trust", metavar="C1,C2", help="believe only these claimants")
    parser.add_argument("--distrust", metavar="C1,C2", help="never believe these claimants")
    parser.add_argument("--include-denied", action="store_true", help="believe denied claims too")
    parser.add_argument("--include-candidates", action="store_true",
                        help="believe unreviewed machine-extracted claims too")
    parser.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                        help="drop claims below this extractor confidence (0-1)")
    parser.add_argument("--weight", action="append", default=[], metavar="CLAIMANT=W",
                        help="weigh a claimant's word (default 1; repeatable), e.g. amaq=0.5")
    parser.add_argument("--mode", choices=["weighed", "strict"], default="weighed",
                        help="weighed (default): claims weighed as an analyst would; "
                             "strict: the first version's rules, for teaching")


def policy_from_args(args: argparse.Namespace) -> Policy:
    from engine.domain import Policy
    from engine.reference import claimant_ids

    def names(text: str | None, option: str) -> frozenset[str] | None:
        if text is None:
            return None
        given = frozenset(n.strip() for n in text.split(",") if n.strip())
        for name in sorted(given - claimant_ids()):
            close = difflib.get_close_matches(name, sorted(claimant_ids()), n=3)
            raise TadmurError(f"unknown claimant {printable(name)!r}", where=option,
                              hint=(f"did you mean {' or '.join(close)}? " if close else "")
                              + "claimants are listed in engine/reference/claimants.csv")
        return given

    trust, distrust = names(args.trust, "--trust"), names(args.distrust, "--distrust")
    weights = _weights(args.weight)
    names(",".join(weights) or None, "--weight")  # the same check: a typo weighs nobody

    return Policy(
        as_of_seq=args.as_of_seq,
        known_by=args.known_by,
        trust=trust,
        distrust=distrust or frozenset(),
        include_denied=args.include_denied,
        include_candidates=args.include_candidates,
        min_confidence=args.min_confidence,
        weights=weights,
        mode=args.mode,
    )


def _weights(pairs: list[str]) -> dict[str, float]:
    weights = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise TadmurError(f"expected CLAIMANT=WEIGHT, found {pair!r}", where="--weight",
                              hint="e.g. --weight amaq=0.5 --weight sana=0.5") from None
    return weights


def run_timeline(args: argparse.Namespace) -> int:
    import polars as pl

    from engine.project import replay_log
    from engine.reference import site_ids

    unknown = [s for s in args.site if s not in site_ids()]
    if unknown:
        raise TadmurError(f"unknown site id {unknown[0]!r}", where="--site",
                          hint="`tadmur sites` lists them (slugs such as palmyra, t4_airbase)")
    replayed = replay_log(policy_from_args(args), args.log)
    report_repairs(replayed.repairs)
    table = replayed.timelines.intervals
    if args.site:
        table = table.filter(pl.col("site_id").is_in(args.site))
    write_table(table.select(TIMELINE_COLUMNS), args.format, args.out)
    return 0


def write_table(table: pl.DataFrame, fmt: str, out: Path | None) -> None:
    """CSV (lists joined by ';', open ends empty), JSONL or Parquet, to a file or stdout."""
    import polars as pl

    if fmt == "parquet":
        if out is None:
            raise TadmurError("parquet is binary and needs a file", where="--format parquet",
                              hint="add --out FILE.parquet")
        table.write_parquet(out)
        return
    if fmt == "csv":
        flat = table.with_columns(pl.col(c).list.join(";") for c, t in table.schema.items()
                                  if isinstance(t, pl.List))
        text = flat.write_csv(date_format="%Y-%m-%d")
    else:
        text = table.write_ndjson()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


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
        detail = " ".join(f"{k}={data[k]}" for k in ("site_id", "kind", "gainer", "claimant",
                                                     "valid_from", "valid_to", "verdict", "reason",
                                                     "note")
                          if data.get(k) not in (None, ""))
        print(printable(f"{item.seq:>6} {item.recorded_at[:19]} {item.type:<18} {subject} "
                        f"{detail}"))
    report_repairs(log.repairs)
    return 0


def run_sites(args: argparse.Namespace) -> int:
    from engine.reference import load_sites

    sys.stdout.write(load_sites().select("site_id", "name_en", "region_id", "coord_quality")
                     .write_csv())
    return 0


def run_repair(args: argparse.Namespace) -> int:
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    for repair in log.repair():
        print(repair.describe())
    if not log.repairs:
        print("nothing to repair: the last line is whole")
    return 0


def report_repairs(repairs) -> None:
    """Tell the user, on stderr, about torn tails a read moved aside."""
    for repair in repairs:
        print(f"note: {repair.describe()}", file=sys.stderr)


def run_demo(args: argparse.Namespace) -> int:
    from engine.demo import run_main_job

    return run_main_job(args.log, args.out, notebooks=not args.skip_notebooks)
