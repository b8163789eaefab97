"""The options every ``tadmur`` command shares, in one place: the log folder, the sites,
the policy, the output. Each ``add_*`` adds its options to a subcommand's parser; the
matching ``*_from_args`` reads them back.

Stdlib at import time: ``tadmur --help`` builds every parser from here without polars.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_site_argument(parser)
>>> parser.parse_args(["--site", "palmyra", "t4_airbase", "--site", "qaryatayn"]).site
['palmyra', 't4_airbase', 'qaryatayn']
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from engine.domain import Policy
    from engine.store import TornTailRepair

TABLE_FORMATS = ("csv", "jsonl", "parquet")

#: the policy options and the ``build_policy`` argument each one names, for its errors
POLICY_OPTIONS = {"trust": "--trust", "distrust": "--distrust", "weights": "--weight"}


def parse_day(text: str) -> dt.date:
    """argparse type for YYYY-MM-DD with a clear error.

    >>> parse_day("2016-12-12")
    datetime.date(2016, 12, 12)
    """
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date YYYY-MM-DD, found {text!r} (hint: e.g. 2016-12-12)"
        ) from None


# -- the log folder ----------------------------------------------------------------------


def add_log_argument(
    parser: argparse.ArgumentParser, *, required: bool = False, help_text: str | None = None
) -> None:
    """``--log DIR``: the log folder; also where the user's own places (places.csv) are read."""
    parser.add_argument(
        "--log",
        type=Path,
        metavar="DIR",
        required=required,
        help=help_text
        or "log folder, also read for your places.csv "
        "(default: $TADMUR_LOG, else the project's events/)",
    )


@contextmanager
def log_folder(log: Path | str | None) -> Iterator[None]:
    """While a command runs, ``--log DIR`` means what ``TADMUR_LOG=DIR`` means: the store
    opens that log and the gazetteer reads that folder's ``places.csv``."""
    if log is None:
        yield
        return
    from engine.reference.places import forget_places

    before = os.environ.get("TADMUR_LOG")
    os.environ["TADMUR_LOG"] = str(log)
    forget_places()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TADMUR_LOG", None)
        else:
            os.environ["TADMUR_LOG"] = before
        forget_places()


# -- sites ---------------------------------------------------------------------------------


def add_site_argument(parser: argparse.ArgumentParser) -> None:
    """``--site a b`` and ``--site a --site b`` both mean the sites a and b."""
    parser.add_argument(
        "--site",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="only these sites: --site a b, or --site a --site b",
    )


def check_sites(site_ids: Iterable[str]) -> None:
    """Refuse an unknown site id before any work, with where to look."""
    from engine.domain.errors import TadmurError
    from engine.reference import site_ids as known

    for site_id in site_ids:
        if site_id not in known():
            raise TadmurError(
                f"unknown site id {site_id!r}",
                where="--site",
                hint="`tadmur sites` lists them (slugs such as palmyra, t4_airbase)",
            )


# -- the policy --------------------------------------------------------------------------


def add_policy_arguments(parser: argparse.ArgumentParser) -> None:
    """Whom to believe and what was known when (``policy_from_args`` reads them)."""
    parser.add_argument("--as-of-seq", type=int, metavar="N", help="replay the log up to seq N")
    parser.add_argument(
        "--known-by",
        type=parse_day,
        metavar="YYYY-MM-DD",
        help="only documents published by that day",
    )
    parser.add_argument("--trust", metavar="C1,C2", help="believe only these claimants")
    parser.add_argument("--distrust", metavar="C1,C2", help="never believe these claimants")
    parser.add_argument("--include-denied", action="store_true", help="believe denied claims too")
    parser.add_argument(
        "--include-candidates",
        action="store_true",
        help="believe unreviewed machine-extracted claims too",
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        metavar="X",
        help="drop claims below this extractor confidence (0-1)",
    )
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="CLAIMANT=W",
        help="weigh a claimant's word (default 1; repeatable), e.g. amaq=0.5",
    )
    parser.add_argument(
        "--mode",
        choices=["weighed", "strict"],
        default="weighed",
        help="weighed (default): claims weighed as an analyst would; "
        "strict: the first version's rules, for teaching",
    )


def policy_from_args(args: argparse.Namespace) -> Policy:
    """The :class:`~engine.domain.Policy` the policy options describe, built by
    :func:`engine.domain.policy.build_policy` as the explorer builds its own."""
    from engine.domain.policy import build_policy
    from engine.reference import claimant_ids

    return build_policy(
        as_of_seq=args.as_of_seq,
        known_by=args.known_by,
        trust=_names(args.trust),
        distrust=_names(args.distrust) or (),
        include_denied=args.include_denied,
        include_candidates=args.include_candidates,
        min_confidence=args.min_confidence,
        weights=_weights(args.weight),
        mode=args.mode,
        claimants=claimant_ids(),
        option_names=POLICY_OPTIONS,
    )


def _names(text: str | None) -> frozenset[str] | None:
    if text is None:
        return None
    return frozenset(n.strip() for n in text.split(",") if n.strip())


def _weights(pairs: list[str]) -> dict[str, float]:
    from engine.domain.errors import TadmurError

    weights = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise TadmurError(
                f"expected CLAIMANT=WEIGHT, found {pair!r}",
                where="--weight",
                hint="e.g. --weight amaq=0.5 --weight sana=0.5",
            ) from None
    return weights


# -- the kept answers ------------------------------------------------------------------


def add_cache_argument(parser: argparse.ArgumentParser) -> None:
    """``--no-cache``: replay afresh (see :mod:`engine.store.result_cache`)."""
    parser.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="replay afresh: neither read nor keep the answer kept for this log and policy "
        "(the log is still read through its checked snapshot)",
    )


# -- output ------------------------------------------------------------------------------


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """``--format csv|jsonl|parquet`` and ``--out FILE`` (default: stdout)."""
    parser.add_argument("--format", choices=TABLE_FORMATS, default="csv")
    parser.add_argument("--out", type=Path, help="write to FILE instead of stdout")


def write_table(table: pl.DataFrame, fmt: str, out: Path | None) -> None:
    """CSV (lists joined by ';', open ends empty), JSONL or Parquet, to a file or stdout."""
    import polars as pl

    from engine.domain.errors import TadmurError

    if fmt == "parquet":
        if out is None:
            raise TadmurError(
                "parquet is binary and needs a file",
                where="--format parquet",
                hint="add --out FILE.parquet",
            )
        table.write_parquet(out)
        return
    if fmt == "csv":
        flat = table.with_columns(
            pl.col(c).list.join(";") for c, t in table.schema.items() if isinstance(t, pl.List)
        )
        binary = out if out is not None else _stdout_bytes()
        if binary is not None:  # straight to the file: no copy of the whole text in memory
            sys.stdout.flush()
            flat.write_csv(binary, date_format="%Y-%m-%d")
            return
        text = flat.write_csv(date_format="%Y-%m-%d")
    else:
        text = table.write_ndjson()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _stdout_bytes():
    """The byte stream under ``sys.stdout``, if it has one (a captured stdout may not)."""
    buffer = getattr(sys.stdout, "buffer", None)
    return buffer if hasattr(buffer, "write") else None


def report_repairs(repairs: Iterable[TornTailRepair]) -> None:
    """Tell the user, on stderr, about torn tails a read moved aside."""
    for repair in repairs:
        print(f"note: {repair.describe()}", file=sys.stderr)


def default_doc_id(path: Path) -> str:
    """A slug from a file name: ``000_0960f390a84c1c5e.txt`` -> ``000_0960f390a84c1c5e``.

    >>> default_doc_id(Path("Seed 000.TXT"))
    'seed-000'
    """
    slug = re.sub(r"[^a-z0-9_\-]+", "-", path.stem.lower()).strip("-_")
    return slug[:80] or "doc"
