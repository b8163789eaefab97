"""The integer codes the replay works on: one small integer per event, kind and verdict,
and the schema of the coded columns (:data:`CODES`).

Names (sites, actors, claimants) get their codes from the log itself
(:mod:`engine.domain.encoding`); the closed vocabularies here are fixed, so the compiled
passes (:mod:`engine.domain.passes`) can name them.

>>> EVENTS[CORRECTED], MARKERS["besieged"], VERDICTS["rejected"]
('corrected', 2, 1)
"""

from __future__ import annotations

import polars as pl

from engine.domain.events import CORRECTABLE_FIELDS

#: event -> code; a claim's own record is 0
EVENTS = ("recorded", "corrected", "retracted", "reviewed")
RECORDED, CORRECTED, RETRACTED, REVIEWED = range(4)
#: kind -> the replay's marker: 0 transition, 1 partial (contest), 2 siege on,
#: 3 siege off; attacked raises none (null)
MARKERS = {"captured": 0, "withdrew": 0, "partial": 1, "besieged": 2, "siege_broken": 3}
VERDICTS = {"accepted": 0, "rejected": 1}

#: the integer columns, one row per claim event, in log order
CODES = pl.Schema(
    {
        "seq": pl.Int64(),
        "event": pl.Int8(),
        "claim": pl.UInt32(),  # row of the claim's record (null: no record in this frame)
        "site": pl.Int32(),
        "kind": pl.Int8(),  # the marker it raises (see MARKERS)
        "gainer": pl.Int32(),
        "loser": pl.Int32(),
        "start": pl.Int32(),  # days since 1970-01-01
        "end": pl.Int32(),
        "claimant": pl.Int32(),
        "denied": pl.Boolean(),
        "confidence": pl.Float64(),
        "published": pl.Int32(),
        "manual": pl.Boolean(),
        "verdict": pl.Int8(),
    }
)

#: the columns of :data:`CODES` that hold a claim event's field under another name
CODED_AS = {"site_id": "site", "valid_from": "start", "valid_to": "end"}
#: what a claim asserts (and a correction replaces), as the columns of :data:`CODES`: the
#: correctable fields the replay reads (not ``time_precision``)
ASSERTED_CODES = tuple(
    CODED_AS.get(name, name) for name in CORRECTABLE_FIELDS if CODED_AS.get(name, name) in CODES
)


def event_codes(events: pl.Series) -> pl.Series:
    """``recorded | corrected | retracted | reviewed`` as 0..3.

    >>> event_codes(pl.Series(["reviewed", "recorded"])).to_list()
    [3, 0]
    """
    return small_codes(events, dict(zip(EVENTS, range(len(EVENTS)), strict=True)))


def small_codes(column: pl.Series, mapping: dict[str, int]) -> pl.Series:
    """A closed vocabulary as Int8 codes (anything else: null).

    >>> small_codes(pl.Series(["partial", "attacked"]), MARKERS).to_list()
    [1, None]
    """
    if column.len() <= _FEW:  # an append's few rows: a dict beats setting up a replace
        return pl.Series(column.name, [mapping.get(v) for v in column.to_list()], dtype=pl.Int8)
    return column.replace_strict(mapping, default=None, return_dtype=pl.Int8)


_FEW = 64
