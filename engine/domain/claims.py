"""Claim events -> the claims a policy believes (one row per claim, its latest version).

Rules, in order: cut the log at ``as_of_seq``; the latest of a claim's retractions and
corrections wins (a retraction drops it, a correction replaces what it asserts);
rejected claims never count; machine-extracted candidates count once accepted; then
the policy's belief filter (known_by, trust, denied, confidence).

The work is done on :class:`~engine.domain.encoding.EncodedEvents` (integers only);
:func:`resolve_claims` gathers the believed rows back into the ``claims`` table.
"""

from __future__ import annotations

import polars as pl

from engine.domain.encoding import CORRECTED, RECORDED, RETRACTED, REVIEWED, VERDICTS, EncodedEvents
from engine.domain.events import CORRECTABLE_FIELDS
from engine.domain.policy import Policy
from engine.domain.schema import CLAIMS, enforce_schema

#: what a correction replaces, as codes
_ASSERTED = ["site", "kind", "gainer", "loser", "start", "end", "claimant", "denied",
             "confidence"]


def resolve_claims(claim_events: pl.DataFrame | EncodedEvents, policy: Policy) -> pl.DataFrame:
    """The believed claims under ``policy``.

    Example:
        >>> import datetime as dt
        >>> from engine.domain.testing import claim_events
        >>> events = claim_events([
        ...     dict(claim_id="c1", site_id="palmyra", gainer="isis", valid_from="2015-05-20"),
        ...     dict(claim_id="c2", site_id="palmyra", gainer="government"),
        ...     dict(event="retracted", claim_id="c2"),
        ... ])
        >>> resolve_claims(events, Policy())["claim_id"].to_list()
        ['c1']
        >>> resolve_claims(events, Policy(as_of_seq=2))["claim_id"].to_list()
        ['c1', 'c2']
    """
    encoded = _encoded(claim_events)
    return claims_table(encoded, believed(encoded, policy))


def believed(encoded: EncodedEvents, policy: Policy) -> pl.DataFrame:
    """One row per believed claim, in log order: ``record`` (row of its record),
    ``source`` (row of its latest assertion: the record or a correction), the record's
    ``seq``, and the asserted codes (``site``, ``kind``, ``gainer``, ``loser``,
    ``start``, ``end``, ``claimant``)."""
    codes = encoded.codes
    if policy.as_of_seq is not None:  # a prefix of the log: a slice, not a filter
        codes = codes.head(int(codes["seq"].search_sorted(policy.as_of_seq, side="right")))
    n = codes.height
    event, claim = codes["event"], codes["claim"]
    # Later events are few: find them once and work on those rows only.
    at = (event != RECORDED).arg_true()
    later = pl.DataFrame({"at": at, "claim": claim.gather(at), "event": event.gather(at),
                          "verdict": codes["verdict"].gather(at)}).filter(pl.col("claim") < n)
    change = (later.filter(pl.col("event").is_in([CORRECTED, RETRACTED]))
              .group_by("claim").agg(pl.col("event", "at").last()))  # rows are in log order
    corrected = change.filter(pl.col("event") == CORRECTED)
    review = later.filter(pl.col("event") == REVIEWED).group_by("claim").agg(
        pl.col("verdict").last())
    # Patch each record row in place (copies of the columns, not of the frame): its
    # latest assertion, whether it was retracted, its last verdict. No join, no gather
    # of the untouched majority.
    claims = codes.with_columns(
        _patched(codes["event"] == RECORDED, change["claim"], change["event"] != RETRACTED),
        _patched(codes["verdict"], review["claim"], review["verdict"]),
        *[_patched(codes[name], corrected["claim"], codes[name].gather(corrected["at"]))
          for name in _ASSERTED],
        source=_patched(pl.int_range(n, dtype=pl.UInt32, eager=True), corrected["claim"],
                        corrected["at"]),
        record=pl.int_range(n, dtype=pl.UInt32),
    )
    return claims.filter(pl.col("event") & _accepted(policy) & _trusted(policy, encoded)).select(
        "record", "source", "seq", "site", "kind", "gainer", "loser", "start", "end",
        "claimant")


def _patched(column: pl.Series, rows: pl.Series, values: pl.Series) -> pl.Series:
    """``column`` with ``values`` written at ``rows`` (a copy; ``column`` is unchanged)."""
    return column.clone().scatter(rows, values) if rows.len() else column


def claims_table(encoded: EncodedEvents, believed: pl.DataFrame) -> pl.DataFrame:
    """The ``claims`` table of ``believed`` rows: the record's own columns (id, document,
    evidence…) with the latest assertion's fields."""
    events = encoded.source
    quoted = events.drop(CORRECTABLE_FIELDS, "event", "verdict")
    table = pl.concat([quoted.gather(believed["record"]),
                       events.select(CORRECTABLE_FIELDS).gather(believed["source"])],
                      how="horizontal")
    return enforce_schema(table, CLAIMS, "claims")


def _encoded(events: pl.DataFrame | EncodedEvents) -> EncodedEvents:
    return events if isinstance(events, EncodedEvents) else EncodedEvents.of(events)


def _accepted(policy: Policy) -> pl.Expr:
    verdict = pl.col("verdict")
    ok = pl.col("manual") | (verdict == VERDICTS["accepted"]).fill_null(False)
    if policy.include_candidates:
        ok |= verdict.is_null()
    return ok & (verdict != VERDICTS["rejected"]).fill_null(True)


def _trusted(policy: Policy, encoded: EncodedEvents) -> pl.Expr:
    """``policy.claim_filter`` on codes: the belief filter over effective claims."""
    keep = pl.lit(True)
    if policy.known_by is not None:
        keep &= pl.col("published") <= pl.lit(policy.known_by).cast(pl.Int32)
    if policy.trust is not None:
        keep &= pl.col("claimant").is_in(encoded.claimant_codes(policy.trust))
    if policy.distrust:
        keep &= ~pl.col("claimant").is_in(encoded.claimant_codes(policy.distrust))
    if not policy.include_denied:
        keep &= ~pl.col("denied")
    if policy.min_confidence > 0:
        keep &= pl.col("confidence") >= policy.min_confidence
    return keep

