"""``tadmur claims import FILE.jsonl``: claims typed or extracted elsewhere, appended as
accepted claims (see :mod:`engine.extract.claims_import` for the fields of a line).

A bad line is refused with what, where and a hint, and nothing of it is appended; the
good lines go in; re-running adds nothing (event ids are content hashes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.cli.errors import error_line
from engine.cli.options import add_log_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``claims import``."""
    claims = subparsers.add_parser("claims", help="claims from elsewhere: `tadmur claims import`")
    sub = claims.add_subparsers(dest="claims_command", metavar="ACTION", required=True)
    p = sub.add_parser("import", help="append claims from a JSON lines file as accepted claims")
    p.add_argument("file", type=Path, metavar="FILE.jsonl")
    add_log_argument(p)
    p.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from engine.domain.errors import TadmurError
    from engine.domain.events import ClaimReviewed
    from engine.extract.claims_import import (
        REVIEWER,
        claim_lines,
        claim_of,
        document_text,
        parse_line,
    )
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    texts: dict[str, str | None] = {}
    events, refused, lines = [], 0, 0
    for number, raw in enumerate(claim_lines(args.file), start=1):
        if not raw.strip():
            continue
        lines += 1
        where = f"{args.file}:{number}"
        try:
            claim = claim_of(
                parse_line(raw, where), where, lambda doc: document_text(log, doc, texts)
            )
        except TadmurError as exc:
            print(error_line("claims import", exc, label="refused"), file=sys.stderr)
            refused += 1
            continue
        events += [
            claim,
            ClaimReviewed(claim.claim_id, "accepted", REVIEWER, f"imported from {args.file.name}"),
        ]
    if events:
        log.append(events)
    added = len(log.appended) if events else 0
    print(
        f"{len(events) // 2} of {lines} claims read; {added} new events appended "
        f"(log seq {log.head().seq}); {refused} lines refused"
    )
    return 2 if refused else 0
