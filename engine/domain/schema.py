"""Schemas of every table Tadmur produces, as data: a dtype and a description per column.

``enforce_schema`` is called at each boundary (log -> claim events -> intervals), so a
wrong column is caught where it enters, with its name in the error.
"""

from __future__ import annotations

import polars as pl

from engine.domain.errors import TadmurError

Columns = dict[str, tuple[pl.DataType, str]]

#: One row per claim event (recorded, corrected, retracted, reviewed), in log order.
CLAIM_EVENTS: Columns = {
    "seq": (pl.Int64(), "position of the event in the log (knowledge time)"),
    "event": (pl.String(), "recorded | corrected | retracted | reviewed"),
    "claim_id": (pl.String(), "the claim this event records or points at"),
    "doc_id": (pl.String(), "document quoted by the claim (recorded rows)"),
    "published_date": (pl.Date(), "publication date of that document"),
    "site_id": (pl.String(), "site slug, e.g. palmyra"),
    "kind": (pl.String(), "captured | withdrew | partial | besieged | siege_broken | attacked"),
    "gainer": (pl.String(), "actor taking or holding the site"),
    "loser": (pl.String(), "actor losing the site, if stated"),
    "valid_from": (pl.Date(), "earliest day the change can have happened"),
    "valid_to": (pl.Date(), "latest day the change can have happened"),
    "time_precision": (pl.String(), "day | days | week | month | season | year | fallback"),
    "claimant": (pl.String(), "who asserts it: amaq, sana, sohr, outlet, reference..."),
    "denied": (pl.Boolean(), "the text reports the claim as denied"),
    "confidence": (pl.Float64(), "extractor confidence, 1.0 for hand-curated claims"),
    "extractor": (pl.String(), "manual or rules@<version>"),
    "evidence_text": (pl.String(), "exact quote from the source"),
    "evidence_start": (pl.Int64(), "character offset of the quote in the source text"),
    "evidence_end": (pl.Int64(), "end offset (exclusive)"),
    "verdict": (pl.String(), "accepted | rejected (reviewed rows)"),
}

#: The claims that survive a policy: one row per claim, its latest version.
CLAIMS: Columns = {
    name: CLAIM_EVENTS[name]
    for name in (
        "claim_id", "seq", "doc_id", "published_date", "site_id", "kind", "gainer", "loser",
        "valid_from", "valid_to", "time_precision", "claimant", "denied", "confidence",
        "extractor", "evidence_text", "evidence_start", "evidence_end",
    )
}

_WINDOW: Columns = {
    "start_earliest": (pl.Date(), "first day the interval may have begun (null: before any evidence)"),
    "start_latest": (pl.Date(), "last day by which it had begun"),
    "end_earliest": (pl.Date(), "first day it may have ended (null: still open)"),
    "end_latest": (pl.Date(), "last day by which it had ended (null: still open)"),
}

#: Per-site control intervals: a partition of each site's known history.
INTERVALS: Columns = {
    "site_id": (pl.String(), "site slug"),
    "controller": (pl.String(), "isis | government | opposition | sdf | unknown"),
    "status": (pl.String(), "held | contested | besieged | unknown"),
    **_WINDOW,
    "n_claims": (pl.UInt32(), "number of supporting claims"),
    "n_claimants": (pl.UInt32(), "number of distinct claimants among them"),
    "claim_ids": (pl.List(pl.String()), "supporting claims, in log order"),
    "open_start": (pl.Boolean(), "held since before the first evidence (the first change's loser)"),
    "siege": (pl.Boolean(), "under siege during the interval, whatever its status shows"),
    "support": (pl.Float64(), "agreeing weight / (agreeing + dissenting weight); null: no evidence"),
    "n_dissents": (pl.UInt32(), "number of believed claims that disagree"),
    "dissent_ids": (pl.List(pl.String()), "believed claims that disagree, in log order"),
}

#: Changes of controller: one row per merged swing.
SWINGS: Columns = {
    "site_id": (pl.String(), "site slug"),
    "from_controller": (pl.String(), "holder before the swing (null if nothing earlier is known)"),
    "to_controller": (pl.String(), "holder after the swing"),
    "window_start": (pl.Date(), "earliest day of the change"),
    "window_end": (pl.Date(), "latest day of the change"),
    "n_claims": (pl.UInt32(), "number of supporting claims"),
    "claimants": (pl.List(pl.String()), "distinct claimants, sorted"),
    "claim_ids": (pl.List(pl.String()), "supporting claims, in log order"),
    "support": (pl.Float64(), "agreeing weight / (agreeing + dissenting weight) after the swing"),
    "dissent_ids": (pl.List(pl.String()), "believed claims that disagree with the new holder"),
}

#: Controller of every site on one day (for maps).
SNAPSHOT: Columns = {
    "site_id": (pl.String(), "site slug"),
    "controller": (pl.String(), "holder on that day"),
    "status": (pl.String(), "held | contested | besieged | unknown"),
    "in_transition": (pl.Boolean(), "the day falls inside the uncertain window of the next change"),
    "since_earliest": (pl.Date(), "start_earliest of the interval"),
    "since_latest": (pl.Date(), "start_latest of the interval"),
}


def polars_schema(columns: Columns) -> pl.Schema:
    """The ``pl.Schema`` of a column table.

    >>> polars_schema({"a": (pl.Int64(), "a number")})
    Schema([('a', Int64)])
    """
    return pl.Schema({name: dtype for name, (dtype, _doc) in columns.items()})


def describe(columns: Columns) -> pl.DataFrame:
    """A documentation table: column, dtype, description.

    >>> describe(SWINGS).shape
    (10, 3)
    """
    return pl.DataFrame(
        {
            "column": list(columns),
            "dtype": [str(dtype) for dtype, _ in columns.values()],
            "description": [doc for _, doc in columns.values()],
        }
    )


def enforce_schema(frame: pl.DataFrame, columns: Columns, name: str) -> pl.DataFrame:
    """Select and order the columns of ``frame``; refuse missing or mistyped ones.

    >>> enforce_schema(pl.DataFrame({"b": [1], "a": [2]}), {"a": (pl.Int64(), "")}, "demo")
    shape: (1, 1)
    ┌─────┐
    │ a   │
    │ --- │
    │ i64 │
    ╞═════╡
    │ 2   │
    └─────┘
    """
    expected, found = polars_schema(columns), frame.schema  # (a frame builds its schema anew)
    missing = [c for c in expected if c not in found]
    wrong = [
        f"{c}: expected {expected[c]}, found {found[c]}"
        for c in expected
        if c in found and found[c] != expected[c]
    ]
    if not missing and not wrong and list(found) == list(expected):
        return frame  # as it should be: a select would copy nothing but cost a query
    if missing or wrong:
        raise TadmurError(
            f"table {name!r} does not match its schema: "
            + "; ".join([f"missing {', '.join(missing)}"] * bool(missing) + wrong),
            where=name,
            hint="see engine/domain/schema.py for the expected columns",
        )
    return frame.select(list(expected))
