"""Small claim-event frames for examples, doctests and property tests.

``claim_events(rows)`` fills every column a row leaves out with a plain default, so an
example only states what it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from engine.domain.events import CORRECTABLE_FIELDS
from engine.domain.schema import CLAIM_EVENTS, enforce_schema, polars_schema

_DEFAULTS: dict[str, Any] = {
    "doc_id": "doc1",
    "published_date": "2017-01-01",
    "kind": "captured",
    "loser": None,
    "valid_from": "2016-01-01",
    "time_precision": "day",
    "claimant": "outlet",
    "denied": False,
    "confidence": 1.0,
    "extractor": "manual",
    "evidence_text": "…",
    "evidence_start": 0,
    "evidence_end": 1,
}


def claim_events(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A ``claim_events`` frame; ``seq`` defaults to the row number (from 1).

    Recorded rows get defaults for every claim field (``valid_to`` defaults to
    ``valid_from``); corrected rows carry only what they assert; retracted and reviewed
    rows only point at a claim.

    >>> claim_events([dict(claim_id="c1", site_id="palmyra", gainer="isis")]).select(
    ...     "seq", "event", "valid_to").row(0)
    (1, 'recorded', datetime.date(2016, 1, 1))
    """
    full = []
    for number, row in enumerate(rows, start=1):
        row = dict(row)
        row.setdefault("seq", number)
        row.setdefault("event", "recorded")
        if row["event"] in ("recorded", "corrected"):
            for key, value in _DEFAULTS.items():
                # a correction restates the correctable fields: all but its window default
                if row["event"] == "recorded" or (key in CORRECTABLE_FIELDS
                                                  and key != "valid_from"):
                    row.setdefault(key, value)
            row.setdefault("valid_to", row.get("valid_from"))
        full.append({name: _as_date(row.get(name)) if name in _DATES else row.get(name)
                     for name in CLAIM_EVENTS})
    frame = pl.DataFrame(full, schema=polars_schema(CLAIM_EVENTS), orient="row")
    return enforce_schema(frame, CLAIM_EVENTS, "claim_events")


_DATES = ("published_date", "valid_from", "valid_to")


def _as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
