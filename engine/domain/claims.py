"""Claim events -> the claims a policy believes (one row per claim, its latest version).

Rules, in order: cut the log at ``as_of_seq``; the latest of a claim's retractions and
corrections wins (a retraction drops it, a correction replaces what it asserts);
rejected claims never count; machine-extracted candidates count once accepted; then
the policy's belief filter (known_by, trust, denied, confidence).
"""

from __future__ import annotations

import polars as pl

from engine.domain.events import CORRECTABLE_FIELDS
from engine.domain.policy import Policy
from engine.domain.schema import CLAIM_EVENTS, CLAIMS, enforce_schema
from engine.domain.vocabulary import MANUAL_EXTRACTOR


def resolve_claims(claim_events: pl.DataFrame, policy: Policy) -> pl.DataFrame:
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
    events = enforce_schema(claim_events, CLAIM_EVENTS, "claim_events")
    if policy.as_of_seq is not None:
        events = events.filter(pl.col("seq") <= policy.as_of_seq)
    recorded = events.filter(pl.col("event") == "recorded")
    latest_change = _latest(events, ("corrected", "retracted")).select(
        "claim_id", pl.col("event").alias("change"), *[pl.col(f).alias(f"{f}__c") for f in CORRECTABLE_FIELDS]
    )
    verdicts = _latest(events, ("reviewed",)).select("claim_id", "verdict")
    corrected = pl.col("change") == "corrected"
    believed = (
        recorded.drop("verdict")
        .join(latest_change, on="claim_id", how="left")
        .join(verdicts, on="claim_id", how="left")
        .filter(pl.col("change").is_null() | corrected)
        .with_columns(pl.when(corrected).then(pl.col(f"{f}__c")).otherwise(pl.col(f)).alias(f)
                      for f in CORRECTABLE_FIELDS)
        .filter(_accepted(policy))
        .filter(policy.claim_filter())
        .sort("seq")
    )
    return enforce_schema(believed, CLAIMS, "claims")


def _latest(events: pl.DataFrame, kinds: tuple[str, ...]) -> pl.DataFrame:
    """The last event of the given kinds per claim (highest seq wins)."""
    return (
        events.filter(pl.col("event").is_in(kinds))
        .sort("seq")
        .group_by("claim_id", maintain_order=True)
        .last()
    )


def _accepted(policy: Policy) -> pl.Expr:
    verdict = pl.col("verdict")
    rejected = verdict.fill_null("") == "rejected"
    manual = pl.col("extractor") == MANUAL_EXTRACTOR
    ok = manual | (verdict.fill_null("") == "accepted")
    if policy.include_candidates:
        ok |= verdict.is_null()
    return ok & ~rejected
