"""Incremental replay: after an append, replay only the sites the new events touch.

A site's timeline depends only on the claims that (after retractions and corrections)
stand at that site, and a claim's fate depends only on its own events. So the events
are indexed by site once — every event of a claim is filed under each site the claim
has ever named (its record and its corrections) — and an append replays, with the real
:func:`engine.domain.replay`, just the events filed under the sites it touches. The
result for those sites equals a full replay's rows for them (the tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from engine.domain import Policy, Timelines, replay
from engine.domain.errors import PolicyError
from engine.domain.schema import CLAIM_EVENTS, enforce_schema


@dataclass
class _SiteIndex:
    """Events filed by site: a frame sorted by site plus each site's slice, and the
    frames of sites that changed since (kept apart so an append stays small)."""

    filed: pl.DataFrame
    slices: dict[str, tuple[int, int]]
    changed: dict[str, pl.DataFrame] = field(default_factory=dict)

    def events_of(self, site: str) -> pl.DataFrame:
        if site in self.changed:
            return self.changed[site]
        start, length = self.slices.get(site, (0, 0))
        return self.filed.slice(start, length)


class IncrementalReplay:
    """A replay kept current under appends.

    Example:
        >>> from engine.domain.testing import claim_events
        >>> live = IncrementalReplay(claim_events([
        ...     dict(claim_id="a", site_id="palmyra", gainer="isis", valid_from="2015-05-20"),
        ...     dict(claim_id="b", site_id="arak", gainer="isis", valid_from="2015-05-21")]))
        >>> touched = live.append(claim_events([dict(seq=3, claim_id="c", site_id="palmyra",
        ...     gainer="government", valid_from="2016-03-27")]))
        >>> touched.intervals.select("site_id", "controller").rows()
        [('palmyra', 'isis'), ('palmyra', 'government')]
        >>> live.timelines().intervals.height
        3
    """

    def __init__(self, claim_events: pl.DataFrame, policy: Policy | None = None):
        self.policy = policy or Policy()
        if self.policy.as_of_seq is not None:
            raise PolicyError(
                "an incremental replay follows the head of the log; as_of_seq cuts it",
                where="IncrementalReplay", hint="replay(events, policy) answers as-of questions")
        events = enforce_schema(claim_events, CLAIM_EVENTS, "claim_events")
        self._chunks = [events]
        self._timelines = replay(events, self.policy)
        self._fresh: dict[str, Timelines] = {}  # replayed sites not yet merged in
        claim_sites = _claim_sites(events)
        filed = (events.join(claim_sites, on="claim_id", how="inner")
                 .sort("filed_site", "seq"))
        bounds = filed.group_by("filed_site", maintain_order=True).len()
        offsets, at = {}, 0
        for site, length in bounds.iter_rows():
            offsets[site] = (at, length)
            at += length
        self._index = _SiteIndex(filed.drop("filed_site"), offsets)
        self._claim_sites = claim_sites.sort("claim_id")
        self._new_claim_sites: dict[str, set[str]] = {}

    def append(self, new_events: pl.DataFrame) -> Timelines:
        """Take events appended to the log (seq above every earlier one) and return the
        timelines of the sites they touch, replayed; the rest is updated lazily."""
        new_events = enforce_schema(new_events, CLAIM_EVENTS, "claim_events")
        claims = new_events["claim_id"].unique().to_list()
        old_sites = {c: self._sites_of(c) for c in claims}
        named = new_events.filter(pl.col("site_id").is_not_null())
        sites = set(named["site_id"].to_list())
        for claim in claims:
            sites |= old_sites[claim]
        parts = {site: self._index.events_of(site) for site in sorted(sites)}
        # a claim moved to a new site by a correction brings its history with it
        for claim, before in old_sites.items():
            new_sites = set(named.filter(pl.col("claim_id") == claim)["site_id"].to_list())
            for site in new_sites - before if before else ():
                history = pl.concat([self._index.events_of(s) for s in sorted(before)])
                history = history.filter(pl.col("claim_id") == claim)
                parts[site] = pl.concat([parts[site], history]).unique("seq", keep="first")
            self._new_claim_sites.setdefault(claim, set(before)).update(new_sites)
        for site, part in parts.items():
            mine = new_events if len(claims) == 1 else new_events.filter(pl.col("claim_id").is_in(
                [c for c in claims if site in self._new_claim_sites[c]]))
            parts[site] = pl.concat([part, mine]).sort("seq")
            self._index.changed[site] = parts[site]
        self._chunks.append(new_events)
        if len(parts) == 1:
            subset = next(iter(parts.values()))
        else:
            subset = pl.concat(list(parts.values())).unique("seq", keep="first").sort("seq")
        replayed = replay(subset, self.policy)
        for site in parts:
            self._fresh[site] = _only_sites(replayed, [site])
        return _only_sites(replayed, sorted(parts))

    def timelines(self) -> Timelines:
        """The whole timelines, equal to a full replay of every event so far."""
        if self._fresh:
            keep = ~pl.col("site_id").is_in(sorted(self._fresh))
            parts = list(self._fresh.values())
            base = self._timelines
            self._timelines = Timelines(
                claims=pl.concat([base.claims.filter(keep), *[p.claims for p in parts]]).sort("seq"),
                intervals=_by_site(base.intervals.filter(keep), [p.intervals for p in parts]),
                swings=_by_site(base.swings.filter(keep), [p.swings for p in parts]),
                policy=self.policy,
            )
            self._fresh.clear()
        return self._timelines

    def claim_events(self) -> pl.DataFrame:
        """Every event so far, in log order."""
        if len(self._chunks) > 1:
            self._chunks = [pl.concat(self._chunks)]
        return self._chunks[0]

    def _sites_of(self, claim_id: str) -> set[str]:
        if claim_id in self._new_claim_sites:
            return set(self._new_claim_sites[claim_id])
        ids = self._claim_sites["claim_id"]
        lo = int(ids.search_sorted(claim_id, side="left"))
        hi = int(ids.search_sorted(claim_id, side="right"))
        return set(self._claim_sites["filed_site"].slice(lo, hi - lo).to_list())


def _claim_sites(events: pl.DataFrame) -> pl.DataFrame:
    """Every (claim, site) a claim's record or corrections name."""
    return (events.filter(pl.col("site_id").is_not_null())
            .select("claim_id", filed_site="site_id").unique())


def _only_sites(timelines: Timelines, sites: list[str]) -> Timelines:
    present = timelines.intervals["site_id"].unique().to_list()
    if set(present) <= set(sites) and len(sites) == 1 and timelines.claims.height and \
            set(timelines.claims["site_id"].unique().to_list()) <= set(sites):
        return timelines  # nothing from elsewhere (the common case): no filtering
    at = pl.col("site_id").is_in(sites)
    return Timelines(timelines.claims.filter(at), timelines.intervals.filter(at),
                     timelines.swings.filter(at), timelines.policy)


def _by_site(base: pl.DataFrame, parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Rows of every site, sites in order, each site's rows in their replay order."""
    frame = pl.concat([base, *parts]).with_row_index("_order")
    return frame.sort("site_id", "_order").drop("_order")
