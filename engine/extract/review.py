"""``tadmur ingest`` and ``tadmur review``: candidate claims into the log, then verdicts.

Ingest registers each article and appends its candidate claims with
``extractor="rules@<version>"``; appending is idempotent because event ids are
content hashes. Candidates count in a replay only once an analyst accepts them
(``ClaimReviewed``), or corrects them (``ClaimCorrected`` + accepted). Review works
without a terminal: ``--accept ID… --reject ID… --correct ID --set field=value``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimReviewed,
)
from engine.domain.vocabulary import MANUAL_EXTRACTOR
from engine.extract.articles import ArticleError, parse_published, read_text, why_empty
from engine.extract.pipeline import VERSION, extract_claims

EXTRACTOR = f"rules@{VERSION}"


def register(subparsers, guarded) -> None:
    """Add ``ingest`` and ``review`` (``guarded`` turns Tadmur errors into exit code 2)."""
    p = subparsers.add_parser("ingest", help="register articles and append their candidate claims")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--published", required=True, help="publication date YYYY-MM-DD")
    p.add_argument("--outlet", default="")
    p.add_argument("--url", default="")
    p.add_argument("--doc-id", default=None, help="only with a single FILE")
    p.add_argument("--log", default=None, help="log directory (default: events/ or $TADMUR_LOG)")
    p.add_argument("--accept-all", action="store_true", help="accept every candidate (bulk runs)")
    p.set_defaults(func=guarded(run_ingest))

    p = subparsers.add_parser("review", help="accept, reject or correct candidate claims")
    p.add_argument("--log", default=None)
    p.add_argument("--accept", nargs="+", default=[], metavar="CLAIM_ID")
    p.add_argument("--reject", nargs="+", default=[], metavar="CLAIM_ID")
    p.add_argument("--correct", default=None, metavar="CLAIM_ID")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help=f"with --correct; fields: {', '.join(CORRECTABLE_FIELDS)}")
    p.add_argument("--note", default="", help="why (kept with the verdict)")
    p.add_argument("--reviewer", default="analyst")
    p.set_defaults(func=guarded(run_review))


def claim_events(doc_id: str, text: str, published, accept: bool) -> list:
    """ClaimRecorded candidates of one article (plus accepted reviews with ``accept``)."""
    events: list = []
    for c in extract_claims(text, published, doc_id).claims:
        claim = ClaimRecorded.make(
            doc_id=doc_id, site_id=c["site_id"], kind=c["kind"], gainer=c["gainer"], loser=c["loser"],
            valid_from=c["date_from"], valid_to=c["date_to"], time_precision=c["time_precision"],
            claimant=c["claimant"], denied=c["denied"],
            evidence={"start": c["evidence_start"], "end": c["evidence_end"], "text": c["evidence"]},
            extractor=EXTRACTOR, confidence=c["confidence"],
        )
        events.append(claim)
        if accept:
            events.append(ClaimReviewed(claim.claim_id, "accepted", "accept-all", "bulk ingest"))
    return events


def run_ingest(args: argparse.Namespace) -> int:
    """Register each FILE and append its candidates; prints what was added."""
    from engine.commands import report_repairs
    from engine.extract.commands import default_doc_id
    from engine.store import open_log
    from engine.store.sources import register_document

    if args.doc_id and len(args.files) > 1:
        raise ArticleError("--doc-id names one document but several files were given",
                           where="tadmur ingest", hint="ingest the files one by one, or drop --doc-id")
    published = parse_published(args.published, "--published")
    log = open_log(args.log)
    for path in args.files:
        text = read_text(path)
        doc_id = args.doc_id or default_doc_id(path)
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")[:120]
        doc = register_document(log.root, path, doc_id=doc_id, published=published.isoformat(),
                                outlet=args.outlet, url=args.url, title=title)
        reason = why_empty(text)
        events = [doc] + ([] if reason else claim_events(doc_id, text, published, args.accept_all))
        before = log.head().seq
        seqs = log.append(events)
        added = sum(1 for s in seqs if s > before)
        claims = sum(1 for e in events if isinstance(e, ClaimRecorded))
        note = f" ({reason})" if reason else ""
        print(f"{doc_id}: {claims} candidate claims{note}; {added} new events "
              f"(log seq {log.head().seq})")
    report_repairs(log.repairs)
    return 0


def pending_claims(log) -> list[ClaimRecorded]:
    """Machine-extracted claims without a verdict yet, in log order."""
    claims: dict[str, ClaimRecorded] = {}
    decided: set[str] = set()
    for logged in log.events():
        event = logged.event
        if isinstance(event, ClaimRecorded) and event.extractor != MANUAL_EXTRACTOR:
            claims[event.claim_id] = event
        elif isinstance(event, ClaimReviewed):
            decided.add(event.claim_id)
    return [c for cid, c in claims.items() if cid not in decided]


def run_review(args: argparse.Namespace) -> int:
    """List pending candidates, or append the verdicts given as options."""
    from engine.store import open_log

    log = open_log(args.log)
    known = {e.event.claim_id: e.event for e in log.events() if isinstance(e.event, ClaimRecorded)}
    for cid in [*args.accept, *args.reject, *([args.correct] if args.correct else [])]:
        if cid not in known:
            raise ArticleError(f"no claim {cid!r} in the log", where=str(log.root),
                               hint="run `tadmur review` to list pending claim ids")
    events: list = []
    events += [ClaimReviewed(c, "accepted", args.reviewer, args.note) for c in args.accept]
    events += [ClaimReviewed(c, "rejected", args.reviewer, args.note) for c in args.reject]
    if args.correct:
        events += _correction(known[args.correct], args)
    elif args.set:
        raise ArticleError("--set needs --correct CLAIM_ID", where="tadmur review",
                           hint="e.g. --correct c0123… --set gainer=isis")
    if events:
        seqs = log.append(events)
        print(f"appended {len(events)} verdicts (log seq {max(seqs)})")
        return 0
    pending = pending_claims(log)
    if sys.stdin.isatty() and pending:
        return _interactive(log, pending, args.reviewer)
    for c in pending:
        print(f"{c.claim_id}  {c.site_id:22} {c.kind:9} {c.gainer:>10} <- {c.loser or '-':10} "
              f"{c.valid_from}..{c.valid_to}  {c.claimant:14} {c.evidence.get('text', '')[:60]}")
    print(f"{len(pending)} pending; accept with `tadmur review --accept ID…`", file=sys.stderr)
    return 0


def _correction(claim: ClaimRecorded, args: argparse.Namespace) -> list:
    fields = {name: getattr(claim, name) for name in CORRECTABLE_FIELDS}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or name not in CORRECTABLE_FIELDS:
            raise ArticleError(f"cannot set {item!r}", where="--set",
                               hint=f"FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE_FIELDS)}")
        fields[name] = _typed(name, value)
    reason = args.note or "corrected in review"
    return [ClaimCorrected(claim.claim_id, fields, reason),
            ClaimReviewed(claim.claim_id, "accepted", args.reviewer, reason)]


def _typed(name: str, value: str):
    if name == "denied":
        return value.lower() in ("1", "true", "yes")
    if name == "confidence":
        try:
            return float(value)
        except ValueError:
            raise ArticleError(f"confidence must be a number, found {value!r}", where="--set",
                               hint="e.g. confidence=0.8") from None
    if name == "loser" and value.lower() in ("", "none", "null"):
        return None
    return value


def _interactive(log, pending: list[ClaimRecorded], reviewer: str) -> int:  # pragma: no cover - needs a tty
    for c in pending:
        print(f"\n{c.site_id} {c.kind} {c.gainer} <- {c.loser}  {c.valid_from}..{c.valid_to}  "
              f"[{c.claimant}]\n  {c.evidence.get('text', '')}")
        answer = input("[a]ccept [r]eject [s]kip [q]uit? ").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("a", "r"):
            verdict = "accepted" if answer == "a" else "rejected"
            log.append([ClaimReviewed(c.claim_id, verdict, reviewer, "interactive review")])
    return 0
