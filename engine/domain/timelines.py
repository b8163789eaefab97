"""The answer of a replay (:class:`Timelines`: claims, intervals, swings) and what is read
from it (:func:`snapshot`), in a module of their own: an answer read back from the
store's result cache (:mod:`engine.store.result_cache`) needs neither numpy nor the
replay's passes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import polars as pl

from engine.domain.policy import Policy
from engine.domain.schema import INTERVALS, SNAPSHOT, enforce_schema

if TYPE_CHECKING:
    from engine.domain.explain import Explanation


class Timelines:
    """The result of a replay: believed claims, intervals and swings, per schema.

    ``claims`` may be given as a function: the replay hands over the recipe for the
    (wide, string-heavy) claims table and it is gathered on first use, since most
    callers only read intervals and swings. ``swings`` may be a function too (an answer
    read back from the store's result cache reads its swings when first asked).

    >>> from engine.domain import replay
    >>> from engine.domain.testing import claim_events
    >>> replay(claim_events([dict(claim_id="a", site_id="arak", gainer="isis")]))
    Timelines(sites=1, intervals=1, swings=1, policy='all claimants')
    """

    __slots__ = ("_claims", "_folds", "_intervals", "_policy", "_swings")

    def __init__(
        self,
        claims: pl.DataFrame | Callable[[], pl.DataFrame],
        intervals: pl.DataFrame,
        swings: pl.DataFrame | Callable[[], pl.DataFrame],
        policy: Policy,
        folds: list | Mapping | None = None,
    ) -> None:
        self._claims = claims
        self._intervals = intervals
        self._swings = swings
        self._policy = policy
        # (the weighed replay may give a mapping that folds a site when asked)
        self._folds = (
            folds if isinstance(folds, Mapping) else {fold.site_id: fold for fold in folds or []}
        )

    # read-only: a replay's tables are its answer to (log, policy), not a scratch space
    @property
    def claims(self) -> pl.DataFrame:
        if callable(self._claims):
            self._claims = self._claims()
        return self._claims

    @property
    def intervals(self) -> pl.DataFrame:
        return self._intervals

    @property
    def swings(self) -> pl.DataFrame:
        if callable(self._swings):
            self._swings = self._swings()
        return self._swings

    @property
    def policy(self) -> Policy:
        return self._policy

    def snapshot(self, day: dt.date) -> pl.DataFrame:
        """Controller of every site with evidence on ``day`` (see :func:`snapshot`)."""
        return snapshot(self.intervals, day)

    def explain(self, site_id: str, day: dt.date) -> Explanation:
        """The state of ``site_id`` on ``day`` and why: the rule that decided, and the
        claims for and against with their weights (see :mod:`engine.domain.explain`).

        >>> from engine.domain import replay
        >>> from engine.domain.testing import claim_events
        >>> t = replay(claim_events([dict(claim_id="a", site_id="arak", gainer="isis",
        ...     loser="government", valid_from="2015-05-20")]))
        >>> t.explain("arak", dt.date(2015, 6, 1)).controller
        'isis'
        """
        from engine.domain.explain import explain

        return explain(self, site_id, day)

    def __repr__(self) -> str:
        sites = self.intervals["site_id"].n_unique()
        return (
            f"Timelines(sites={sites}, intervals={self.intervals.height}, "
            f"swings={self.swings.height}, policy={self.policy.describe()!r})"
        )


def snapshot(intervals: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Who held each site on ``day``: the last interval certainly begun by then.

    ``in_transition`` is true when ``day`` falls in the uncertain window of the next
    change (it may already have happened). Sites whose first evidence is later are absent.

    >>> from engine.domain import replay
    >>> from engine.domain.testing import claim_events
    >>> t = replay(claim_events([dict(claim_id="a", site_id="arak", gainer="isis",
    ...                               valid_from="2015-05-20", valid_to="2015-05-25")]))
    >>> t.snapshot(dt.date(2015, 6, 1)).select("site_id", "controller").rows()
    [('arak', 'isis')]
    >>> t.snapshot(dt.date(2015, 5, 22)).height
    0
    """
    frame = (
        enforce_schema(intervals, INTERVALS, "intervals")
        # an open start (held since before any evidence) has begun on any day
        .filter(pl.col("start_latest").is_null() | (pl.col("start_latest") <= pl.lit(day)))
        .group_by("site_id", maintain_order=True)
        .last()
        .select(
            "site_id",
            "controller",
            "status",
            in_transition=pl.col("end_earliest").is_not_null()
            & (pl.col("end_earliest") <= pl.lit(day)),
            since_earliest="start_earliest",
            since_latest="start_latest",
        )
        .sort("site_id")
    )
    return enforce_schema(frame, SNAPSHOT, "snapshot")
