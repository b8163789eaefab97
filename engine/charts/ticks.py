"""Claim ticks: claims grouped in polars, coarsened until any log fits under ``TICK_LIMIT``."""

from __future__ import annotations

import polars as pl

from engine.charts.bidi import isolate
from engine.charts.frames import site_labels, window_text
from engine.charts.style import CONTROLLERS
from engine.reference import load_claimants

#: Most claim ticks drawn one per exact window; past it, ticks are grouped by month.
TICK_LIMIT = 2000

#: Longest evidence quote shown in a tooltip, in characters.
EVIDENCE_CHARS = 220



def _bucketed(keys: list[str], every: str) -> list[pl.Expr]:
    period = pl.col("valid_from").dt.truncate(every).alias("_period")
    return [period if key == "valid_from" else pl.col(key) for key in keys if key != "valid_to"]


def _widen(frame: pl.DataFrame, keys: list[str], every: str) -> pl.DataFrame:
    """Stretch every window to the span of its group's claims within one ``every`` period."""
    groups = _bucketed(keys, every)
    return frame.with_columns(pl.col("valid_from").min().over(groups),
                              pl.col("valid_to").max().over(groups))


def claim_ticks(claims: pl.DataFrame, sites: pl.DataFrame | None = None) -> pl.DataFrame:
    """Claim ticks: claims grouped by site, date window, claimant, kind and gainer.

    Past ``TICK_LIMIT`` distinct groups, windows are widened to whole months, then
    quarters, then years; past that, one tick per site, year and gainer stands for all its
    claimants and kinds (named "several"). So even a huge log gives a chart Altair can
    inline, and the aggregation happens here, in polars.

    Each row keeps the number of claims, their ids and the first quote (by log order),
    with each quote isolated (its own text direction) and cut to ``EVIDENCE_CHARS``.

    >>> import datetime as dt
    >>> c = pl.DataFrame({"claim_id": ["c1", "c2"], "seq": [1, 2], "site_id": ["palmyra"] * 2,
    ...     "kind": ["captured"] * 2, "gainer": ["isis"] * 2, "claimant": ["amaq"] * 2,
    ...     "valid_from": [dt.date(2015, 5, 20)] * 2, "valid_to": [dt.date(2015, 5, 21)] * 2,
    ...     "published_date": [dt.date(2015, 5, 21)] * 2, "doc_id": ["d1", "d2"],
    ...     "evidence_text": ["سيطر التنظيم على تدمر", "x"]})
    >>> claim_ticks(c)["n_claims"].to_list()
    [2]
    """
    names = load_claimants().select(claimant="claimant_id", claimant_name="name_en")
    quote = pl.col("evidence_text").fill_null("")
    short = (
        pl.when(quote.str.len_chars() > EVIDENCE_CHARS)
        .then(quote.str.slice(0, EVIDENCE_CHARS) + "…")
        .otherwise(quote)
    )
    keys = ["site_id", "valid_from", "valid_to", "claimant", "kind", "gainer"]
    # each quote isolated in its tooltip cell, its first strong letter setting its
    # direction (Arabic right to left, the English reference chronology left to right),
    # and its Latin and numeric runs isolated inside it so a date is never reordered
    quoted = claims.sort("seq").with_columns(evidence=isolate(short))
    def too_many(frame: pl.DataFrame) -> bool:
        return frame.select(pl.struct(keys).n_unique()).item() > TICK_LIMIT

    for every in ("1mo", "3mo", "1y"):  # too many ticks to draw one each: coarser windows
        if not too_many(quoted):
            break
        quoted = _widen(quoted, keys, every)
    if too_many(quoted):
        quoted = _widen(quoted.with_columns(claimant=pl.lit("several"), kind=pl.lit("several")),
                        keys, "1y")
    return (
        quoted.group_by(keys, maintain_order=True)
        .agg(
            n_claims=pl.len(),
            claim_ids=pl.col("claim_id"),
            evidence=pl.col("evidence").first(),
            doc_id=pl.col("doc_id").first(),
            published_date=pl.col("published_date").min(),
        )
        .join(names, on="claimant", how="left")
        .join(site_labels(sites), on="site_id", how="left")
        .with_columns(
            pl.col("kind").fill_null(""),
            gainer_key=pl.when(pl.col("gainer").is_in(list(CONTROLLERS)).fill_null(False))
            .then(pl.col("gainer"))
            .otherwise(pl.lit("unknown")),
            valid_mid=(
                (pl.col("valid_from").cast(pl.Int32) + pl.col("valid_to").cast(pl.Int32)) // 2
            ).cast(pl.Date),
            window=window_text("valid_from", "valid_to"),
            claimant_name=pl.coalesce("claimant_name", "claimant"),
            site_label=pl.coalesce("site_label", "site_id"),
            site_rank=pl.coalesce("site_rank", pl.lit(10_000, dtype=pl.Int32)),
            published=pl.col("published_date").dt.to_string("%Y-%m-%d").fill_null("?"),
        )
        .sort("site_rank", "valid_from", "valid_to", "claimant", "kind", "gainer", nulls_last=True)
    )
