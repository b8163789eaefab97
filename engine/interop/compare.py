"""Where ACLED's coding and the articles disagree, site by site.

Each believed ACLED claim is set against a replay of the articles alone (every claimant
but ``acled`` and the project's ``reference`` chronology): who held the site on the last
day of ACLED's window? When the articles name another holder, the nearest article swing
to ACLED's gainer (if any within a month) says whether they only date it differently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from engine.domain import Policy, Timelines

#: claimants left out of "the articles": ACLED itself and the teaching chronology
NOT_ARTICLES = frozenset({"acled", "reference"})
#: how far apart an ACLED day and an article swing may be to count as "dated differently"
NEAR = dt.timedelta(days=31)

SCHEMA = {
    "site_id": pl.String,
    "claim_id": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "acled_gainer": pl.String,
    "articles_controller": pl.String,
    "verdict": pl.String,
}


def verdict(gainer: str, held: str | None, swings: pl.DataFrame, day: dt.date) -> str:
    """One ACLED claim against the articles: agree, no article evidence, dated
    differently (with the articles' window), or disagree.

    >>> no_swings = pl.DataFrame(schema={"to_controller": pl.String,
    ...     "window_start": pl.Date, "window_end": pl.Date})
    >>> verdict("isis", "isis", no_swings, dt.date(2016, 12, 11))
    'agree'
    >>> verdict("isis", None, no_swings, dt.date(2016, 12, 11))
    'no article evidence by then'
    >>> one = pl.DataFrame({"to_controller": ["isis"], "window_start": [dt.date(2016, 12, 8)],
    ...                     "window_end": [dt.date(2016, 12, 11)]})
    >>> verdict("isis", "government", one, dt.date(2016, 12, 1))
    'articles date it 2016-12-08..2016-12-11'
    """
    if held == gainer:
        return "agree"
    if held is None:
        return "no article evidence by then"
    near = swings.filter(
        (pl.col("to_controller") == gainer)
        & (pl.col("window_start") <= day + NEAR)
        & (pl.col("window_end") >= day - NEAR)
    )
    if near.height:
        first = near.row(0, named=True)
        return f"articles date it {first['window_start']}..{first['window_end']}"
    return f"disagree: the articles have {held}"


def disagreements(claims: pl.DataFrame, with_policy: Callable[[Policy], object]) -> pl.DataFrame:
    """Every believed ACLED claim with the articles' holder on its last day and a verdict.

    Args:
        claims: the believed claims of a replay that includes claimant ``acled``.
        with_policy: replays the same log under another policy (``Replayed.with_policy``).
    """
    acled = claims.filter(pl.col("claimant") == "acled").sort("site_id", "valid_to")
    if acled.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    articles: Timelines = with_policy(Policy(distrust=NOT_ARTICLES)).timelines  # type: ignore[attr-defined]
    rows = []
    for claim in acled.iter_rows(named=True):
        day = claim["valid_to"]
        held = articles.snapshot(day).filter(pl.col("site_id") == claim["site_id"])
        holder = held["controller"].item() if held.height else None
        site_swings = articles.swings.filter(pl.col("site_id") == claim["site_id"])
        rows.append(
            {
                "site_id": claim["site_id"],
                "claim_id": claim["claim_id"],
                "valid_from": claim["valid_from"],
                "valid_to": day,
                "acled_gainer": claim["gainer"],
                "articles_controller": holder,
                "verdict": verdict(claim["gainer"], holder, site_swings, day),
            }
        )
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
