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

from engine.domain.codes import VERDICTS
from engine.domain.encoding import EncodedEvents, untouched_mask
from engine.domain.events import CORRECTABLE_FIELDS
from engine.domain.policy import Policy
from engine.domain.revisions import revisions_of
from engine.domain.schema import CLAIMS, enforce_schema


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
    encoded = EncodedEvents.of(claim_events)
    return claims_table(encoded, believed(encoded, policy))


def believed(encoded: EncodedEvents, policy: Policy) -> pl.DataFrame:
    """One row per believed claim: ``record`` (row of its record: sort on it for log
    order), ``source`` (row of its latest assertion: the record or a correction), the
    record's ``seq``, the asserted codes (``site``, ``kind``, ``gainer``, ``loser``,
    ``start``, ``end``, ``claimant``) and ``site_start``. Replay order (by ``site_start``,
    see :func:`~engine.domain.encoding.records_by_site`) twice over: the claims nothing
    later touched, then those later events revised."""
    records, revisions = encoded.by_site, encoded.revisions
    if policy.as_of_seq is None:
        untouched = encoded.untouched
    else:  # a prefix of the log: a slice, not a filter
        cut = int(encoded.codes["seq"].search_sorted(policy.as_of_seq, side="right"))
        records, revisions = records.filter(pl.col("record") < cut), revisions_of(
            encoded.codes.head(cut))
        untouched = untouched_mask(cut, revisions.touched, records["record"])
    believes = _accepted(policy) & policy.claim_filter(
        encoded.claimant_codes, published=pl.col("published").cast(pl.Date))
    # the untouched majority is one filter of the records (no join), in replay order;
    # the mask is made first, so the filter moves only the columns kept
    # (a record's own verdict column is empty: only a review carries one)
    keep = records.with_columns(verdict=pl.lit(None, pl.Int8)).select(
        believes if untouched is None else pl.lit(untouched) & believes).to_series()
    plain = records.select("record", pl.col("record").alias("source"), *_COLUMNS[2:]).filter(keep)
    if untouched is None:
        return plain
    return pl.concat([plain, revisions.standing.filter(believes).select(_COLUMNS)])


_COLUMNS = ["record", "source", "seq", "site", "kind", "gainer", "loser", "start", "end",
            "claimant", "site_start"]


def claims_table(encoded: EncodedEvents, believed: pl.DataFrame) -> pl.DataFrame:
    """The ``claims`` table of ``believed`` rows: the record's own columns (id, document,
    evidence…) with the latest assertion's fields."""
    events, believed = encoded.source, believed.sort("record")
    quoted = events.drop(CORRECTABLE_FIELDS, "event", "verdict")
    table = pl.concat([quoted.gather(believed["record"]),
                       events.select(CORRECTABLE_FIELDS).gather(believed["source"])],
                      how="horizontal")
    return enforce_schema(table, CLAIMS, "claims")


def _accepted(policy: Policy) -> pl.Expr:
    verdict = pl.col("verdict")
    ok = pl.col("manual") | (verdict == VERDICTS["accepted"]).fill_null(False)
    if policy.include_candidates:
        ok |= verdict.is_null()
    return ok & (verdict != VERDICTS["rejected"]).fill_null(True)
