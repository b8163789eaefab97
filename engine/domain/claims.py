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
    if not events["seq"].is_sorted():
        events = events.sort("seq")
    if policy.as_of_seq is not None:  # a prefix of the log: a slice, not a filter
        events = events.head(int(events["seq"].search_sorted(policy.as_of_seq, side="right")))
    # Work on narrow frames of row numbers; gather the wide columns once, at the end.
    numbered = events.select("claim_id", "event", "verdict",
                             row=pl.int_range(pl.len(), dtype=pl.Int64))
    recorded = numbered.filter(pl.col("event") == "recorded").select("claim_id", "row")
    later = numbered.filter(pl.col("event") != "recorded")
    change = (
        later.filter(pl.col("event").is_in(["corrected", "retracted"]))
        .group_by("claim_id").agg(pl.col("event", "row").last())  # rows are in log order
        .select("claim_id", retracted=pl.col("event") == "retracted", correction="row")
    )
    verdict = (
        later.filter(pl.col("event") == "reviewed")
        .group_by("claim_id").agg(pl.col("verdict").last())
    )
    followed = change.join(verdict, on="claim_id", how="full", coalesce=True)
    claims = _join_followed(recorded, followed).select(
        "row",
        "verdict",
        # where each correctable field is read from: the latest correction, else the claim
        source=pl.coalesce("correction", "row"),
        retracted=pl.col("retracted").fill_null(False),
    )
    assertion = events.select(CORRECTABLE_FIELDS)
    quoted = events.drop(CORRECTABLE_FIELDS, "event", "verdict")
    belief = pl.concat(
        [
            claims,
            assertion.select("claimant", "denied", "confidence").gather(claims["source"]),
            quoted.select("extractor", "published_date").gather(claims["row"]),
        ],
        how="horizontal",
    )
    kept = belief.filter(~pl.col("retracted") & _accepted(policy) & policy.claim_filter())
    believed = pl.concat(
        [quoted.gather(kept["row"]), assertion.gather(kept["source"])], how="horizontal"
    )
    return enforce_schema(believed, CLAIMS, "claims")


def _join_followed(recorded: pl.DataFrame, followed: pl.DataFrame) -> pl.DataFrame:
    """``recorded`` left-joined with the few claims that later events touch, in order.

    Most claims are never touched, so the touched rows are found with a 64-bit hash of
    the id (an integer ``is_in`` is several times cheaper than a join on strings), only
    those rows are joined, and their ids are compared as strings; on a hash collision,
    the plain string join."""
    key, followed_key = recorded["claim_id"].hash(), followed["claim_id"].hash()
    if followed_key.n_unique() == followed.height:
        touched = key.is_in(followed_key.implode())
        joined = (
            recorded.filter(touched).with_columns(key=key.filter(touched))
            .join(followed.rename({"claim_id": "followed_id"}).with_columns(key=followed_key),
                  on="key", how="left", maintain_order="left")
        )
        if (joined["claim_id"] == joined["followed_id"]).all():
            at = touched.arg_true()
            n = recorded.height
            return recorded.with_columns(
                pl.Series("retracted", [None], pl.Boolean).extend_constant(None, n - 1)
                .scatter(at, joined["retracted"]),
                pl.Series("correction", [None], pl.Int64).extend_constant(None, n - 1)
                .scatter(at, joined["correction"]),
                pl.Series("verdict", [None], pl.String).extend_constant(None, n - 1)
                .scatter(at, joined["verdict"]),
            ) if n else recorded.join(followed, on="claim_id", how="left")
    return recorded.join(followed, on="claim_id", how="left", maintain_order="left")


def _accepted(policy: Policy) -> pl.Expr:
    verdict = pl.col("verdict")
    rejected = verdict.fill_null("") == "rejected"
    manual = pl.col("extractor") == MANUAL_EXTRACTOR
    ok = manual | (verdict.fill_null("") == "accepted")
    if policy.include_candidates:
        ok |= verdict.is_null()
    return ok & ~rejected
