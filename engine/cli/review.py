"""``tadmur review``: accept, reject or correct candidate claims.

Works without a terminal: ``--accept ID… --reject ID… --correct ID --set field=value``;
on a terminal without options it asks claim by claim. A verdict a claim already has is
not appended again (a retry is harmless).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from typing import TYPE_CHECKING

from engine.cli.options import add_log_argument
from engine.terminal import printable

if TYPE_CHECKING:
    from engine.domain.events import ClaimRecorded, ClaimReviewed
    from engine.extract.review import ClaimState


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``review``."""
    from engine.domain.events import CORRECTABLE_FIELDS

    p = subparsers.add_parser("review", help="accept, reject or correct candidate claims")
    add_log_argument(p)
    p.add_argument("--accept", nargs="+", default=[], metavar="CLAIM_ID")
    p.add_argument("--reject", nargs="+", default=[], metavar="CLAIM_ID")
    p.add_argument("--correct", default=None, metavar="CLAIM_ID")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"with --correct; fields: {', '.join(CORRECTABLE_FIELDS)}",
    )
    p.add_argument("--note", default="", help="why (kept with the verdict)")
    p.add_argument("--reviewer", default="analyst")
    p.set_defaults(func=run_review)


def run_review(args: argparse.Namespace) -> int:
    """List pending candidates, or append the verdicts given as options."""
    from engine.extract.articles import ArticleError
    from engine.extract.review import claim_states, pending_claims
    from engine.store import open_log

    log = open_log(args.log, must_exist=True)
    states = claim_states(log.events())
    for cid in [*args.accept, *args.reject, *([args.correct] if args.correct else [])]:
        if cid not in states:
            raise ArticleError(
                f"no claim {printable(cid)!r} in the log",
                where=str(log.root),
                hint="run `tadmur review` to list pending claim ids",
            )
    if args.set and not args.correct:
        raise ArticleError(
            "--set needs --correct CLAIM_ID",
            where="tadmur review",
            hint="e.g. --correct c0123… --set gainer=isis",
        )
    events: list = []
    unchanged: list[str] = []
    for verdict, ids in (("accepted", args.accept), ("rejected", args.reject)):
        for cid in ids:
            review = _verdict(states[cid], verdict, args.reviewer, args.note)
            if review is None:  # the claim already has this verdict: a retry
                seq = states[cid].review[2]  # type: ignore[index]
                unchanged.append(f"{cid} is already {verdict} (log seq {seq})")
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
            print(
                f"appended {len(written)} event(s) (log seq {written[0]}"
                + (f"..{written[-1]}" if len(written) > 1 else "")
                + ")"
            )
        else:
            print(
                f"appended nothing: these {len(events)} event(s) are already in the log "
                f"(log seq {log.head().seq})"
            )
        return 0
    if unchanged:
        return 0
    pending = pending_claims(log)
    if sys.stdin.isatty() and pending:
        return _interactive(log, pending, args.reviewer)
    for c in pending:
        print(
            printable(
                f"{c.claim_id}  {c.site_id:22} {c.kind:9} {c.gainer:>10} <- {c.loser or '-':10} "
                f"{c.valid_from}..{c.valid_to}  {c.claimant:14} {c.evidence.get('text', '')[:60]}"
            )
        )
    print(f"{len(pending)} pending; accept with `tadmur review --accept ID…`", file=sys.stderr)
    return 0


def _verdict(state: ClaimState, verdict: str, reviewer: str, note: str) -> ClaimReviewed | None:
    """The review act, or None when the claim already has this verdict (a retry)."""
    from engine.domain.events import ClaimReviewed

    if state.review is not None and state.review[0] == verdict:
        return None
    return ClaimReviewed(
        state.recorded.claim_id,
        verdict,
        reviewer,
        note,
        supersedes=state.review[1] if state.review else "",
    )


def _correction(state: ClaimState, args: argparse.Namespace) -> list:
    """A correction from the claim's *effective* assertion (so a second field does not
    undo the first), every value checked against the vocabularies; plus an acceptance."""
    from engine.domain.events import CORRECTABLE_FIELDS, ClaimCorrected, validate_claim_fields
    from engine.extract.articles import ArticleError
    from engine.store.references import check_site

    fields = dict(state.effective)
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or name not in CORRECTABLE_FIELDS:
            raise ArticleError(
                f"cannot set {printable(item)!r}",
                where="--set",
                hint=f"FIELD=VALUE with FIELD one of {', '.join(CORRECTABLE_FIELDS)}",
            )
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
    from engine.domain.vocabulary import ACTORS, CLAIM_KINDS, TIME_PRECISIONS
    from engine.extract.articles import ArticleError
    from engine.reference import claimant_ids

    choices: dict[str, tuple[str, ...]] = {
        "kind": CLAIM_KINDS,
        "gainer": ACTORS,
        "loser": (*ACTORS, "none"),
        "time_precision": TIME_PRECISIONS,
        "claimant": tuple(sorted(claimant_ids())),
        "denied": ("true", "false"),
    }
    if name == "confidence":
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0.0 <= number <= 1.0:
            raise ArticleError(
                f"confidence must be a number in [0, 1], found {printable(value)!r}",
                where="--set",
                hint="e.g. confidence=0.8",
            )
        return number
    if name == "loser" and value.lower() in ("", "none", "null"):
        return None
    if name in choices and value not in choices[name]:
        close = difflib.get_close_matches(value, choices[name], n=3)
        raise ArticleError(
            f"{name} must be one of {', '.join(choices[name])}; found {printable(value)!r}",
            where=f"--set {name}",
            hint=(f"did you mean {' or '.join(close)}? " if close else "")
            + (
                "claimants are listed in engine/reference/claimants.csv"
                if name == "claimant"
                else "values are the project's vocabularies"
            ),
        )
    if name == "denied":
        return value == "true"
    return value


def _interactive(
    log, pending: list[ClaimRecorded], reviewer: str
) -> int:  # pragma: no cover - needs a tty
    from engine.extract.review import claim_states

    for c in pending:
        print(
            printable(
                f"{c.site_id} {c.kind} {c.gainer} <- {c.loser}  {c.valid_from}.."
                f"{c.valid_to}  [{c.claimant}]"
            )
        )
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
