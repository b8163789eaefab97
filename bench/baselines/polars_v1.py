"""The first vectorised replay (string keys, `over` windows), kept as a baseline.

A copy of engine/domain/claims.py + replay.py before the speed work of issue 5 (only
the replay; its doc examples and ``snapshot`` dropped, ``Timelines`` taken from the
engine), so every benchmark can show the new replay against it in the same process.
"""
from __future__ import annotations

import polars as pl

from engine.domain import Timelines
from engine.domain.events import CORRECTABLE_FIELDS
from engine.domain.policy import Policy
from engine.domain.schema import CLAIM_EVENTS, CLAIMS, INTERVALS, SWINGS, enforce_schema
from engine.domain.vocabulary import MANUAL_EXTRACTOR, TRANSITION_KINDS


def resolve_claims(claim_events: pl.DataFrame, policy: Policy) -> pl.DataFrame:
    """The believed claims under ``policy``."""
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


_MARKER_ORDER = ["swing", "contest", "siege_on", "siege_off"]


def replay(claim_events: pl.DataFrame, policy: Policy | None = None) -> Timelines:
    """Replay claim events under ``policy`` into timelines."""
    policy = policy or Policy()
    claims = resolve_claims(claim_events, policy)
    return timelines_from_claims(claims, policy)


def timelines_from_claims(claims: pl.DataFrame, policy: Policy | None = None) -> Timelines:
    """The timeline part of :func:`replay`, for claims already resolved (one per claim)."""
    claims = enforce_schema(claims, CLAIMS, "claims")
    states = _states(_markers(claims))
    return Timelines(
        claims=claims,
        intervals=_intervals(states, claims),
        swings=_swings(states, claims),
        policy=policy or Policy(),
    )


def _markers(claims: pl.DataFrame) -> pl.DataFrame:
    """One row per state change candidate: swing/contest clusters, partials, sieges."""
    transitions = (
        claims.filter(pl.col("kind").is_in(TRANSITION_KINDS))
        .sort("site_id", "valid_from", "valid_to", "seq")
        .with_columns(
            reach=pl.col("valid_to").cum_max().shift(1).over("site_id")
        )
        .with_columns(
            cluster=(pl.col("reach").is_null() | (pl.col("valid_from") > pl.col("reach"))).cum_sum()
        )
    )
    known = pl.col("gainer").filter(pl.col("gainer") != "unknown")
    clusters = transitions.group_by("site_id", "cluster").agg(
        n_known=known.n_unique(),
        target=known.min(),
        loser_hint=pl.col("loser").filter(pl.col("loser") != pl.col("gainer")).min(),
        lo_from=pl.col("valid_from").min(),
        hi_from=pl.col("valid_from").max(),
        lo_to=pl.col("valid_to").min(),
        hi_to=pl.col("valid_to").max(),
        order_seq=pl.col("seq").min(),
        claim_ids=pl.col("claim_id").sort_by("seq"),
    )
    agree = pl.col("hi_from") <= pl.col("lo_to")
    swings_and_contests = clusters.select(
        "site_id",
        marker=pl.when(pl.col("n_known") > 1).then(pl.lit("contest")).otherwise(pl.lit("swing")),
        controller=pl.when(pl.col("n_known") > 1)
        .then(pl.lit(None, pl.String))
        .otherwise(pl.col("target").fill_null("unknown")),
        loser_hint="loser_hint",
        start_earliest=pl.when(agree).then("hi_from").otherwise("lo_from"),
        start_latest=pl.when(agree).then("lo_to").otherwise("hi_to"),
        order_seq="order_seq",
        claim_ids="claim_ids",
    )
    singles = claims.filter(pl.col("kind").is_in(["partial", "besieged", "siege_broken"])).select(
        "site_id",
        marker=pl.col("kind").replace_strict(
            {"partial": "contest", "besieged": "siege_on", "siege_broken": "siege_off"},
            return_dtype=pl.String,
        ),
        controller=pl.lit(None, pl.String),
        loser_hint=pl.lit(None, pl.String),
        start_earliest="valid_from",
        start_latest="valid_to",
        order_seq="seq",
        claim_ids=pl.concat_list("claim_id"),
    )
    return pl.concat([swings_and_contests, singles]).sort(
        "site_id", "start_earliest", "start_latest", "order_seq",
        pl.col("marker").cast(pl.Enum(_MARKER_ORDER)),
    )


def _states(markers: pl.DataFrame) -> pl.DataFrame:
    """The state after each marker: holder, contested, besieged -> controller, status."""
    row = pl.int_range(pl.len())

    def last_row_where(condition: pl.Expr) -> pl.Expr:
        return pl.when(condition).then(row).otherwise(None).forward_fill().over("site_id").fill_null(-1)

    marker = pl.col("marker")
    return (
        markers.with_columns(
            holder=pl.col("controller").forward_fill().over("site_id"),
            last_swing=last_row_where(marker == "swing"),
            last_contest=last_row_where(marker == "contest"),
            last_siege_on=last_row_where(marker == "siege_on"),
            last_siege_off=last_row_where(marker == "siege_off"),
        )
        .with_columns(
            previous_holder=pl.col("holder").shift(1).over("site_id"),
            controller=pl.col("holder").fill_null("unknown"),
            status=pl.when(pl.col("last_contest") > pl.col("last_swing"))
            .then(pl.lit("contested"))
            .when(pl.col("last_siege_on") > pl.max_horizontal("last_siege_off", "last_swing"))
            .then(pl.lit("besieged"))
            .when(pl.col("holder").fill_null("unknown") == "unknown")
            .then(pl.lit("unknown"))
            .otherwise(pl.lit("held")),
        )
        .with_columns(run=pl.struct("site_id", "controller", "status").rle_id())
    )


def _intervals(states: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    runs = states.group_by("run", maintain_order=True).agg(
        pl.col("site_id", "controller", "status", "start_earliest", "start_latest").first(),
        claim_ids=pl.col("claim_ids").list.explode(keep_nulls=False, empty_as_null=False),
    )
    support = (
        runs.select("run", "claim_ids")
        .explode("claim_ids")
        .join(claims.select(pl.col("claim_id").alias("claim_ids"), "seq", "claimant"),
              on="claim_ids", how="left")
        .sort("run", "seq")
        .group_by("run", maintain_order=True)
        .agg(
            claim_ids=pl.col("claim_ids"),
            n_claims=pl.len().cast(pl.UInt32),
            n_claimants=pl.col("claimant").n_unique().cast(pl.UInt32),
        )
    )
    intervals = (
        runs.drop("claim_ids")
        .join(support, on="run", how="left", maintain_order="left")
        .with_columns(
            end_earliest=pl.col("start_earliest").shift(-1).over("site_id"),
            end_latest=pl.col("start_latest").shift(-1).over("site_id"),
        )
    )
    return enforce_schema(intervals, INTERVALS, "intervals")


def _swings(states: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    changed = (pl.col("marker") == "swing") & (
        pl.col("previous_holder").is_null() | (pl.col("previous_holder") != pl.col("holder"))
    )
    swings = states.filter(changed).select(
        "site_id",
        from_controller=pl.coalesce("previous_holder", "loser_hint"),
        to_controller="holder",
        window_start="start_earliest",
        window_end="start_latest",
        claim_ids="claim_ids",
        n_claims=pl.col("claim_ids").list.len().cast(pl.UInt32),
        swing=pl.int_range(pl.len()),
    )
    claimants = (
        swings.select("swing", claim_id="claim_ids")
        .explode("claim_id")
        .join(claims.select("claim_id", "claimant"), on="claim_id", how="left")
        .group_by("swing")
        .agg(claimants=pl.col("claimant").unique().sort())
    )
    swings = swings.join(claimants, on="swing", how="left", maintain_order="left")
    return enforce_schema(swings, SWINGS, "swings")
