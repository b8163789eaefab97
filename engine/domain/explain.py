"""Why a site was in a state on a day: the interval, the rule that made it, and the
claims for and against, each with its weight and role.

The weighed replay keeps each claim's role (:mod:`engine.domain.weighing`); under the
strict rules every claim behind the interval supports it and the rule is the strict one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from engine.domain.errors import TadmurError

if TYPE_CHECKING:
    from engine.domain.timelines import Timelines

#: the columns of :attr:`Explanation.claims`
CLAIM_COLUMNS = (
    "stance",
    "claim_id",
    "claimant",
    "kind",
    "gainer",
    "loser",
    "valid_from",
    "valid_to",
    "published_date",
    "weight",
    "role",
)


@dataclass(frozen=True)
class Explanation:
    """The answer of :func:`explain`: the state and the claims behind it."""

    site_id: str
    day: dt.date
    controller: str
    status: str
    interval: dict
    rule: str
    claims: pl.DataFrame  # CLAIM_COLUMNS; stance "for" or "against"

    def __str__(self) -> str:
        i = self.interval
        since = (
            "since before the first evidence"
            if i["open_start"]
            else f"since {_window(i['start_earliest'], i['start_latest'])}"
        )
        until = (
            ""
            if i["end_latest"] is None
            else f", until {_window(i['end_earliest'], i['end_latest'])}"
        )
        support = "" if i["support"] is None else f" · support {i['support']:.2f}"
        lines = [
            (
                f"{self.site_id} on {self.day}: {self.controller} ({self.status}) "
                f"{since}{until}{support}"
            ),
            f"rule: {self.rule}",
        ]
        for stance in ("for", "against"):
            rows = self.claims.filter(pl.col("stance") == stance)
            lines.append(f"{stance} ({rows.height}):")
            for r in rows.iter_rows(named=True):
                lines.append(
                    f"  {r['claim_id']}  {r['claimant']}: {r['kind']} {r['gainer'] or '?'}"
                    f" ({_window(r['valid_from'], r['valid_to'])}, published "
                    f"{r['published_date']}) weight {r['weight']:.2f} — {r['role']}"
                )
        return "\n".join(lines)


def _window(start: dt.date | None, end: dt.date | None) -> str:
    return str(end) if start == end else f"{start}..{end}"


def explain(timelines: Timelines, site_id: str, day: dt.date) -> Explanation:
    """The state of ``site_id`` on ``day`` in ``timelines`` and the claims behind it."""
    rows = timelines.intervals.filter(pl.col("site_id") == site_id).with_row_index("at")
    if rows.height == 0:
        raise TadmurError(
            f"no believed claim speaks of site {site_id!r}",
            where="explain",
            hint="`tadmur sites` lists the site ids; "
            "`tadmur timeline --site ID` shows what the policy believes",
        )
    begun = rows.filter(pl.col("start_latest").is_null() | (pl.col("start_latest") <= day))
    if begun.height == 0:
        first = rows.row(0, named=True)
        raise TadmurError(
            f"nothing is known of {site_id} on {day}: its first evidence is from "
            f"{first['start_earliest']}",
            where="explain",
            hint=f"ask about a day from {first['start_latest']} on",
        )
    interval = begun.row(-1, named=True)
    fold = getattr(timelines, "_folds", {}).get(site_id)
    if fold is not None:
        spans = fold.intervals[interval["at"]]
        rule = spans.rule or "the state carries on from the change before"
        roles = [("for", c) for c in spans.support] + [("against", c) for c in spans.dissent]
        claims = pl.DataFrame(
            [
                (
                    stance,
                    c.claim_id,
                    c.claimant,
                    c.kind,
                    c.gainer,
                    c.loser,
                    c.valid_from,
                    c.valid_to,
                    c.published,
                    c.share,
                    c.role,
                )
                for stance, c in roles
            ],
            schema=_SCHEMA,
            orient="row",
        )
    else:
        rule = "strict rules: every claim behind the interval supports it"
        claims = (
            pl.DataFrame({"claim_id": interval["claim_ids"]}, schema={"claim_id": pl.String})
            .join(timelines.claims, on="claim_id", how="left", maintain_order="left")
            .with_columns(
                stance=pl.lit("for"), weight=pl.lit(1.0), role=pl.lit("supports the interval")
            )
            .select(CLAIM_COLUMNS)
            .cast(_SCHEMA)
        )  # type: ignore[arg-type]
    return Explanation(
        site_id,
        day,
        interval["controller"],
        interval["status"],
        {k: v for k, v in interval.items() if k != "at"},
        rule,
        claims,
    )


_SCHEMA = pl.Schema(
    {
        "stance": pl.String,
        "claim_id": pl.String,
        "claimant": pl.String,
        "kind": pl.String,
        "gainer": pl.String,
        "loser": pl.String,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
        "published_date": pl.Date,
        "weight": pl.Float64,
        "role": pl.String,
    }
)
