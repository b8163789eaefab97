"""The weighed replay's tables: believed claims in, the fold of
:mod:`engine.domain.weighing` per site, intervals and swings out (same schemas as the
strict replay, with support and dissent filled in).

The fold is plain Python over records, written to be read (it is the specification);
polars does the belief filter before it and the tables after it.
"""

from __future__ import annotations

import dataclasses

import polars as pl

from engine.domain.claims import believed, claims_table
from engine.domain.encoding import EncodedEvents
from engine.domain.errors import ClaimWithoutWindow
from engine.domain.policy import Policy
from engine.domain.schema import CLAIMS, INTERVALS, SWINGS, enforce_schema, polars_schema
from engine.domain.weighing import Claim, SiteTimeline, fold, support_of, weight_of


def weighed_timelines(
    encoded: EncodedEvents, policy: Policy
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[SiteTimeline]]:
    """(claims, intervals, swings, per-site folds) of a weighed replay.

    Denied claims are read too: unless the policy believes them (``include_denied``),
    they weigh against the change they deny.
    """
    hearing = dataclasses.replace(policy, include_denied=True)
    claims = claims_table(encoded, believed(encoded, hearing)).sort("seq")
    believed_claims = claims if policy.include_denied else claims.filter(~pl.col("denied"))
    placeless = believed_claims.filter(
        pl.any_horizontal(pl.col("site_id", "valid_from", "valid_to").is_null())
    )
    if placeless.height:
        raise ClaimWithoutWindow(placeless["claim_id"][0])
    # (a denied claim without a window, not believed, has nothing to weigh against)
    heard = claims.drop_nulls(["site_id", "valid_from", "valid_to"])
    records = [_claim(row, policy) for row in _rows(heard)]
    sites = fold(records)
    return (
        enforce_schema(believed_claims, CLAIMS, "claims"),
        _intervals(sites),
        _swings(sites),
        sites,
    )


def _rows(frame: pl.DataFrame):
    """The rows of ``frame`` as dicts (column lists zipped: cheaper than iter_rows)."""
    names = frame.columns
    for values in zip(*(frame[name].to_list() for name in names), strict=True):
        yield dict(zip(names, values, strict=True))


def _claim(row: dict, policy: Policy) -> Claim:
    return Claim(
        claim_id=row["claim_id"],
        seq=row["seq"],
        site_id=row["site_id"],
        kind=row["kind"],
        gainer=row["gainer"],
        loser=row["loser"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        time_precision=row["time_precision"],
        published=row["published_date"],
        claimant=row["claimant"],
        denied=bool(row["denied"]) and not policy.include_denied,
        weight=weight_of(row["claimant"], row["confidence"], policy.weights),
        evidence=row["evidence_text"] or "",
    )


def _ids(claims: list[Claim]) -> list[str]:
    return [c.claim_id for c in sorted(claims, key=lambda c: c.seq)]


def _intervals(sites: list[SiteTimeline]) -> pl.DataFrame:
    rows = []
    for site in sites:
        spans = site.intervals
        for i, interval in enumerate(spans):
            after = spans[i + 1] if i + 1 < len(spans) else None
            rows.append(
                {
                    "site_id": site.site_id,
                    "controller": interval.controller,
                    "status": interval.status,
                    "start_earliest": interval.start_earliest,
                    "start_latest": interval.start_latest,
                    "end_earliest": after.start_earliest if after else None,
                    "end_latest": after.start_latest if after else None,
                    "n_claims": len(interval.support),
                    "n_claimants": len({c.claimant for c in interval.support}),
                    "claim_ids": _ids(interval.support),
                    "open_start": interval.open_start,
                    "siege": interval.siege,
                    "support": support_of(interval),
                    "n_dissents": len(interval.dissent),
                    "dissent_ids": _ids(interval.dissent),
                }
            )
    return _frame(rows, INTERVALS, "intervals")


def _swings(sites: list[SiteTimeline]) -> pl.DataFrame:
    rows = []
    for site in sites:
        for swing in site.swings:
            agree = sum(c.share for c in swing.claims)
            against = sum(c.share for c in swing.dissent)
            rows.append(
                {
                    "site_id": site.site_id,
                    "from_controller": swing.from_controller,
                    "to_controller": swing.to_controller,
                    "window_start": swing.window_start,
                    "window_end": swing.window_end,
                    "n_claims": len(swing.claims),
                    "claimants": sorted({c.claimant for c in swing.claims}),
                    "claim_ids": _ids(swing.claims),
                    "support": round(agree / (agree + against), 6) if agree + against else None,
                    "dissent_ids": _ids(swing.dissent),
                }
            )
    return _frame(rows, SWINGS, "swings")


def _frame(rows: list[dict], columns, name: str) -> pl.DataFrame:
    """Rows as a frame of the schema, built column by column."""
    schema = polars_schema(columns)
    data = {c: pl.Series(c, [row[c] for row in rows], dtype=schema[c]) for c in schema}
    return enforce_schema(pl.DataFrame(data), columns, name)
