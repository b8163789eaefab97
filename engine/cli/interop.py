"""``tadmur export acled|ucdp`` and ``tadmur import acled``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from engine.cli.options import (
    add_cache_argument,
    add_log_argument,
    add_policy_arguments,
    parse_day,
    policy_from_args,
    report_repairs,
)

if TYPE_CHECKING:  # `tadmur --help` imports no polars: the handlers import it when they run
    import polars as pl

FORMATS = ("acled", "ucdp")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``import``."""
    p = sub.add_parser("export", help="believed claims or swings as ACLED or UCDP GED rows (CSV)")
    p.add_argument("format", choices=FORMATS, help="acled or ucdp (GED)")
    add_log_argument(p)
    add_policy_arguments(p)
    add_cache_argument(p)
    p.add_argument(
        "--rows",
        choices=("swings", "claims"),
        default="swings",
        help="one row per change of controller (default) or per believed claim",
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE.csv", help="the CSV to write")
    p.set_defaults(func=run_export)

    p = sub.add_parser("import", help="ACLED territory changes in, as claims of claimant acled")
    p.add_argument("format", choices=("acled",), help="acled (territory-change events)")
    p.add_argument("file", type=Path, metavar="FILE.csv", help="an ACLED CSV export")
    add_log_argument(p)
    p.add_argument(
        "--max-km",
        type=float,
        default=3.0,
        help="match a row to the nearest gazetteer site within this distance (3)",
    )
    p.add_argument(
        "--published",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="when the file was known (default: its newest timestamp or event_date)",
    )
    p.set_defaults(func=run_import)


def document_outlets(log_dir: Path | None) -> dict[str, str]:
    """doc_id -> outlet, from the log's DocumentRegistered events."""
    from engine.domain.events import DocumentRegistered
    from engine.store import open_log

    return {
        item.event.doc_id: item.event.outlet
        for item in open_log(log_dir).events()
        if isinstance(item.event, DocumentRegistered)
    }


def claimant_names() -> dict[str, str]:
    from engine.reference import load_claimants

    return dict(load_claimants().select("claimant_id", "name_en").iter_rows())


def export_table(fmt: str, rows: str, timelines, outlets: dict[str, str]) -> pl.DataFrame:
    """The rows of an export (``fmt`` acled|ucdp, ``rows`` swings|claims) of a replay."""
    from engine.interop import acled, ucdp

    names = claimant_names()
    if fmt == "acled":
        if rows == "claims":
            return acled.claims_to_acled(timelines.claims, outlets, names)
        return acled.swings_to_acled(timelines.swings, timelines.claims, names)
    if rows == "claims":
        return ucdp.claims_to_ucdp(timelines.claims, outlets, names)
    return ucdp.swings_to_ucdp(timelines.swings, names)


def run_export(args: argparse.Namespace) -> int:
    from engine.project import replay_log

    replayed = replay_log(policy_from_args(args), args.log, cache=args.cache)
    report_repairs(replayed.repairs)
    table = export_table(args.format, args.rows, replayed.timelines, document_outlets(args.log))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.write_csv(args.out, date_format="%Y-%m-%d")
    print(
        f"export   {table.height} {args.rows} as {args.format.upper()} rows -> {args.out} "
        f"({replayed.caption()})"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from engine.domain.errors import TadmurError
    from engine.interop.acled import document_id, plan_import, published_day
    from engine.interop.compare import disagreements
    from engine.project import replay_log
    from engine.store import default_log_dir, open_log
    from engine.store.sources import register_document

    path: Path = args.file
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TadmurError(
            f"not UTF-8 text (byte {exc.start})",
            where=str(path),
            hint="export ACLED data as UTF-8 CSV",
        ) from None
    doc_id = document_id(data)
    plan = plan_import(text, doc_id, where=str(path), max_km=args.max_km)
    if not plan.claims:
        print(f"import   nothing to import: {plan.describe()}")
        return 0
    if args.published:
        published = args.published
    else:
        published = published_day(text, str(path))
    log_dir = Path(args.log) if args.log else default_log_dir()
    log = open_log(log_dir)
    document = register_document(
        log_dir,
        path,
        doc_id=doc_id,
        published=published.isoformat(),
        published_precision="day",
        outlet="ACLED",
        title=f"ACLED export {path.name}",
        language="en",
    )
    before = log.head()
    log.append([document, *plan.claims])
    if log.head() == before:
        print(f"import   {path} is already in the log as document {doc_id}: nothing added")
    else:
        print(
            f"import   {path} as document {doc_id} (seq {before.seq + 1}..{log.head().seq}): "
            f"{plan.describe()}"
        )
    replayed = replay_log(log_dir=log_dir)
    found = disagreements(replayed.timelines.claims, replayed.with_policy)
    _print_disagreements(found)
    return 0


def _print_disagreements(found: pl.DataFrame) -> None:
    import polars as pl

    agree = found.filter(pl.col("verdict") == "agree").height
    print(
        f"compare  {found.height} ACLED claims: {agree} agree with the articles, "
        f"{found.height - agree} do not (verdicts per site below)"
    )
    for row in found.filter(pl.col("verdict") != "agree").iter_rows(named=True):
        day: dt.date = row["valid_to"]
        print(
            f"         {row['site_id']:<22} {day}  ACLED: {row['acled_gainer']:<10} "
            f"articles: {row['articles_controller'] or '-':<10} {row['verdict']}"
        )
