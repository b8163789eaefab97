"""Events for tests, built in one place: a valid claim whose fields a test overrides."""

from __future__ import annotations

from typing import Any

from engine.domain.events import ClaimRecorded


def claim_recorded(text: str = "x", **fields: Any) -> ClaimRecorded:
    """ISIS captured Palmyra, 8–11 Dec 2016, said by the outlet, with ``text`` as the whole
    evidence; any field may be overridden."""
    values: dict[str, Any] = {
        "doc_id": "doc1",
        "site_id": "palmyra",
        "kind": "captured",
        "gainer": "isis",
        "loser": None,
        "valid_from": "2016-12-08",
        "valid_to": "2016-12-11",
        "time_precision": "days",
        "claimant": "outlet",
        "denied": False,
        "evidence": {"start": 0, "end": len(text), "text": text},
        "extractor": "manual",
        "confidence": 1.0,
    }
    return ClaimRecorded.make(**(values | fields))
