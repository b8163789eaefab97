"""Candidate claims and where each claim stands: what ``tadmur ingest`` appends and
``tadmur review`` (``engine.cli.review``) starts from.

Ingest appends an article's candidate claims with ``extractor="rules@<version>"``;
appending is idempotent because event ids are content hashes. Candidates count in a
replay only once an analyst accepts them (``ClaimReviewed``), or corrects them
(``ClaimCorrected`` + accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
)
from engine.domain.vocabulary import MANUAL_EXTRACTOR


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
