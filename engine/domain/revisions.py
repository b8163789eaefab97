"""What later events (corrections, retractions, reviews) made of the claims they touch,
resolved once per log, before any policy (:class:`Revisions`).

Later events are few, so this is small; it is the part of
:func:`engine.domain.claims.believed` no policy changes, kept with the encoding
(:attr:`engine.domain.encoding.EncodedEvents.revisions`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from engine.domain.codes import ASSERTED_CODES, CORRECTED, RECORDED, RETRACTED, REVIEWED
from engine.domain.ordering import site_start


@dataclass(frozen=True)
class Revisions:
    """What later events (corrections, retractions, reviews) made of the claims they
    touch, before any policy: ``touched``, the rows of those claims' records, and
    ``standing``, one row per such claim not retracted: its latest assertion, its last
    review's verdict and what a policy filters on, in replay order."""

    touched: pl.Series
    standing: pl.DataFrame


def revisions_of(codes: pl.DataFrame) -> Revisions:
    """The :class:`Revisions` of ``codes`` (a :data:`~engine.domain.codes.CODES` frame).

    >>> from engine.domain.encoding import EncodedEvents
    >>> from engine.domain.testing import claim_events
    >>> codes = EncodedEvents.of(claim_events([
    ...     dict(claim_id="c1", site_id="palmyra", gainer="isis"),
    ...     dict(claim_id="c2", site_id="palmyra", gainer="government"),
    ...     dict(event="retracted", claim_id="c2")])).codes
    >>> revisions = revisions_of(codes)
    >>> revisions.touched.to_list(), revisions.standing.height
    ([1], 0)
    """
    n, event = codes.height, codes["event"]
    at = (event != RECORDED).arg_true()
    later = pl.DataFrame(
        {
            "at": at,
            "claim": codes["claim"].gather(at),
            "event": event.gather(at),
            "verdict": codes["verdict"].gather(at),
        }
    ).filter(pl.col("claim") < n)
    touched = _touched(later)
    kept = touched.filter(~pl.col("retracted"))
    standing = pl.concat(
        [
            kept.select("record", "source", "verdict"),
            codes.select("seq", "published", "manual").gather(kept["record"]),
            codes.select(ASSERTED_CODES).gather(kept["source"]),
        ],
        how="horizontal",
    ).with_columns(site_start=site_start(pl.col("site"), pl.col("start")))
    # (site, start), then log order: the same rows in the same order on every run
    return Revisions(touched["record"], standing.sort("site_start", "record"))


def _touched(later: pl.DataFrame) -> pl.DataFrame:
    """Per claim that later events touch: ``record``, ``source`` (its last correction,
    else its record), ``retracted`` (its last change was a retraction), ``verdict``
    (its last review's)."""
    change = pl.col("event").is_in([CORRECTED, RETRACTED])
    last_change = pl.col("event").filter(change).last()
    return (
        later.group_by("claim")  # rows are in log order within each group
        .agg(
            last_change=last_change,
            changed_at=pl.col("at").filter(change).last(),
            verdict=pl.col("verdict").filter(pl.col("event") == REVIEWED).last(),
        )
        .select(
            record="claim",
            source=pl.when(pl.col("last_change") == CORRECTED)
            .then("changed_at")
            .otherwise("claim"),
            retracted=(pl.col("last_change") == RETRACTED).fill_null(False),
            verdict="verdict",
        )
    )
