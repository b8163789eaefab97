"""``tadmur ingest`` and ``tadmur review``: candidate claims into the log, then verdicts.

Ingest registers each article and appends its candidate claims with
``extractor="rules@<version>"``; appending is idempotent because event ids are
content hashes. Candidates count in a replay only once an analyst accepts them
(``ClaimReviewed``), or corrects them (``ClaimCorrected`` + accepted). Review works
without a terminal: ``--accept ID… --reject ID… --correct ID --set field=value``.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    validate_claim_fields,
)
from engine.domain.vocabulary import ACTORS, CLAIM_KINDS, MANUAL_EXTRACTOR, TIME_PRECISIONS
from engine.store.references import check_site
from engine.terminal import printable
from engine.extract.articles import ArticleError


def register(subparsers, guarded) -> None:
    """Add ``ingest`` and ``review`` (``guarded`` turns Tadmur errors into exit code 2)."""
    from engine.extract import ingest

    p = subparsers.add_parser("ingest", help="register articles and append their candidate claims")
    ingest.add_arguments(p)
    p.set_defaults(func=guarded(ingest.run_ingest))

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
    # the rules come in with the first article, not with `tadmur --help`
    from engine.extract.pipeline import VERSION, extract_claims

    for c in extract_claims(text, published, doc_id).claims:
        claim = ClaimRecorded.make(
            doc_id=doc_id, site_id=c["site_id"], kind=c["kind"], gainer=c["gainer"], loser=c["loser"],
            valid_from=c["date_from"], valid_to=c["date_to"], time_precision=c["time_precision"],
            claimant=c["claimant"], denied=c["denied"],
            evidence={"start": c["evidence_start"], "end": c["evidence_end"], "text": c["evidence"]},
            extractor=f"rules@{VERSION}", confidence=c["confidence"],
        )
        events.append(claim)
        if accept:
            events.append(ClaimReviewed(claim.claim_id, "accepted", "accept-all", "bulk ingest"))
    return events


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


@dataclass
class ClaimState:
    """Where a claim stands after every act on it: what review starts from."""

    recorded: ClaimRecorded
    #: the assertion in force: the latest correction's, else the record's
    effective: dict[str, Any]
    #: the last review (verdict, event_id, seq), or None
    review: tuple[str, str, int] | None = None
    #: the last correction or retraction (event_id), "" if none
    last_change: str = ""
    retracted: bool = False


def claim_states(logged_events) -> dict[str, ClaimState]:
    """Each recorded claim's :class:`ClaimState`, from the log's events in order."""
    states: dict[str, ClaimState] = {}
    for logged in logged_events:
        event = logged.event
        if isinstance(event, ClaimRecorded):
            states[event.claim_id] = ClaimState(
                event, {name: getattr(event, name) for name in CORRECTABLE_FIELDS})
            continue
        state = states.get(getattr(event, "claim_id", None))
        if state is None:
            continue
        if isinstance(event, ClaimReviewed):
            state.review = (event.verdict, logged.event_id, logged.seq)
        elif isinstance(event, ClaimCorrected):
            state.effective, state.retracted = dict(event.corrected), False
            state.last_change = logged.event_id
        elif isinstance(event, ClaimRetracted):
            state.retracted, state.last_change = True, logged.event_id
    return states


def run_review(args: argparse.Namespace) -> int:
    """List pending candidates, or append the verdicts given as options."""
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    states = claim_states(log.events())
    for cid in [*args.accept, *args.reject, *([args.correct] if args.correct else [])]:
        if cid not in states:
            raise ArticleError(f"no claim {printable(cid)!r} in the log", where=str(log.root),
                               hint="run `tadmur review` to list pending claim ids")
    if args.set and not args.correct:
        raise ArticleError("--set needs --correct CLAIM_ID", where="tadmur review",
                           hint="e.g. --correct c0123… --set gainer=isis")
    events: list = []
    unchanged: list[str] = []
    for verdict, ids in (("accepted", args.accept), ("rejected", args.reject)):
        for cid in ids:
            review = _verdict(states[cid], verdict, args.reviewer, args.note)
            if review is None:
                unchanged.append(f"{cid} is already {verdict} (log seq {states[cid].review[2]})")
            else:
                events.append(review)
    if args.correct:
        correction = _correction(states[args.correct], args)
        if not correction:
            unchanged.append(f"{args.correct} already asserts these values and is accepted")
        events += correction
    for line in unchanged:
        print(f"nothing to do: {line}", file=sys.stderr)
    if events:
        log.append(events)
        written = log.appended
        if written:
            print(f"appended {len(written)} event(s) (log seq {written[0]}"
                  + (f"..{written[-1]}" if len(written) > 1 else "") + ")")
        else:
            print(f"appended nothing: these {len(events)} event(s) are already in the log "
                  f"(log seq {log.head().seq})")
        return 0
    if unchanged:
        return 0
    pending = pending_claims(log)
    if sys.stdin.isatty() and pending:
        return _interactive(log, pending, args.reviewer)
    for c in pending:
        print(printable(
            f"{c.claim_id}  {c.site_id:22} {c.kind:9} {c.gainer:>10} <- {c.loser or '-':10} "
            f"{c.valid_from}..{c.valid_to}  {c.claimant:14} {c.evidence.get('text', '')[:60]}"))
    print(f"{len(pending)} pending; accept with `tadmur review --accept ID…`", file=sys.stderr)
    return 0


def _verdict(state: ClaimState, verdict: str, reviewer: str, note: str) -> ClaimReviewed | None:
    """The review act, or None when the claim already has this verdict (a retry)."""
    if state.review is not None and state.review[0] == verdict:
        return None
    return ClaimReviewed(state.recorded.claim_id, verdict, reviewer, note,
                         supersedes=state.review[1] if state.review else "")


def _correction(state: ClaimState, args: argparse.Namespace) -> list:
    """A correction from the claim's *effective* assertion (so a second field does not
    undo the first), every value checked against the vocabularies; plus an acceptance."""
    fields = dict(state.effective)
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or name not in CORRECTABLE_FIELDS:
            raise ArticleError(f"cannot set {printable(item)!r}", where="--set",
                               hint=f"FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE_FIELDS)}")
        fields[name] = _typed(name, value)
    claim_id = state.recorded.claim_id
    validate_claim_fields(fields, f"--correct {claim_id}")
    check_site(fields["site_id"], "--set site_id")
    reason = args.note or "corrected in review"
    events: list = []
    if fields != state.effective or state.retracted:
        events.append(ClaimCorrected(claim_id, fields, reason, supersedes=state.last_change))
    accepted = state.review is not None and state.review[0] == "accepted"
    if events or not accepted:
        review = _verdict(state, "accepted", args.reviewer, reason)
        if review is not None:
            events.append(review)
    return events


def _typed(name: str, value: str):
    """A --set value as its field's type, refused unless the vocabulary has it."""
    from engine.reference import claimant_ids

    choices: dict[str, tuple[str, ...]] = {
        "kind": CLAIM_KINDS, "gainer": ACTORS, "loser": (*ACTORS, "none"),
        "time_precision": TIME_PRECISIONS, "claimant": tuple(sorted(claimant_ids())),
        "denied": ("true", "false"),
    }
    if name == "confidence":
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0.0 <= number <= 1.0:
            raise ArticleError(f"confidence must be a number in [0, 1], found {printable(value)!r}",
                               where="--set", hint="e.g. confidence=0.8")
        return number
    if name == "loser" and value.lower() in ("", "none", "null"):
        return None
    if name in choices and value not in choices[name]:
        close = difflib.get_close_matches(value, choices[name], n=3)
        raise ArticleError(
            f"{name} must be one of {', '.join(choices[name])}; found {printable(value)!r}",
            where=f"--set {name}",
            hint=(f"did you mean {' or '.join(close)}? " if close else "")
            + ("claimants are listed in engine/reference/claimants.csv" if name == "claimant"
               else "values are the project's vocabularies"))
    if name == "denied":
        return value == "true"
    return value


def _interactive(log, pending: list[ClaimRecorded], reviewer: str) -> int:  # pragma: no cover - needs a tty
    for c in pending:
        print(printable(f"{c.site_id} {c.kind} {c.gainer} <- {c.loser}  {c.valid_from}.."
                        f"{c.valid_to}  [{c.claimant}]"))
        print("  " + printable(c.evidence.get("text", "")))
        answer = input("[a]ccept [r]eject [s]kip [q]uit? ").strip().lower()[:1]
        if answer == "q":
            break
        if answer in ("a", "r"):
            verdict = "accepted" if answer == "a" else "rejected"
            state = claim_states(log.events())[c.claim_id]
            review = _verdict(state, verdict, reviewer, "interactive review")
            if review is not None:
                log.append([review])
    return 0
