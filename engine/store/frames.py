"""Logged events -> the ``claim_events`` frame that the replay consumes."""

from __future__ import annotations

import polars as pl

from engine.domain.events import (
    EVENT_CLASSES,
    ClaimCorrected,
    ClaimRecorded,
    ClaimReviewed,
    DocumentRegistered,
    payload_fields,
)
from engine.domain.schema import CLAIM_EVENTS, enforce_schema, polars_schema
from engine.store.codec import LoggedEvent

_ACTION = {cls: cls.ACTION for cls in EVENT_CLASSES if cls.ACTION}


def claim_events_frame(logged: list[LoggedEvent]) -> pl.DataFrame:
    """One row per claim event, with the publication date of the quoted document.

    Building rows is the adapter's job (events are objects here); everything after
    this frame is columnar.
    """
    published = {
        e.event.doc_id: e.event.published
        for e in logged
        if isinstance(e.event, DocumentRegistered)
    }
    rows: dict[str, list] = {name: [] for name in CLAIM_EVENTS}
    for item in logged:
        event = item.event
        action = _ACTION.get(type(event))
        if action is None:
            continue
        row = dict.fromkeys(CLAIM_EVENTS)
        row.update(seq=item.seq, event=action, claim_id=event.claim_id)
        if isinstance(event, ClaimRecorded):
            row.update({k: getattr(event, k) for k in _CLAIM_FIELDS})
            row["published_date"] = published[event.doc_id]
            row["evidence_text"] = event.evidence["text"]
            row["evidence_start"] = event.evidence["start"]
            row["evidence_end"] = event.evidence["end"]
        elif isinstance(event, ClaimCorrected):
            row.update(event.corrected)
        elif isinstance(event, ClaimReviewed):
            row["verdict"] = event.verdict
        for name, value in row.items():
            rows[name].append(value)
    schema = polars_schema(CLAIM_EVENTS)
    strings = {k: (pl.String if v == pl.Date else v) for k, v in schema.items()}
    frame = pl.DataFrame(rows, schema=strings).with_columns(
        pl.col(k).str.to_date("%Y-%m-%d") for k, v in schema.items() if v == pl.Date
    )
    return enforce_schema(frame, CLAIM_EVENTS, "claim_events")


#: a record's fields that are columns as they stand (its evidence is split in three)
_CLAIM_FIELDS = tuple(name for name in payload_fields(ClaimRecorded) if name in CLAIM_EVENTS)
