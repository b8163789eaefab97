"""Incremental replay: after an append, replay only the sites the new events touch.

A site's timeline depends only on the claims that (after retractions and corrections)
stand at that site, and a claim's fate depends only on its own events. So the events
are indexed by site once — every event of a claim is filed under each site the claim
has ever named (its record and its corrections) — and an append replays, with the real
:func:`engine.domain.replay`, just the events filed under the sites it touches. The
result for those sites equals a full replay's rows for them (the tests check it).

Encoding a site's events costs about as much as replaying them, so a site replayed on
its own keeps its encoded form (:class:`~engine.domain.EncodedEvents`) and an append
encodes only the new rows against that site's dictionaries.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from engine.domain import EncodedEvents, Policy, Timelines, replay
from engine.domain.codes import EVENTS, RECORDED, event_codes
from engine.domain.encoding import codes_frame, stacked
from engine.domain.errors import PolicyError
from engine.domain.replay_weighed import extend_text_codes
from engine.domain.schema import CLAIM_EVENTS, enforce_schema

#: above this many touched sites an append replays them together, in one call: the
#: fixed cost of many small replays would exceed the encoding it saves
_FEW_SITES = 8


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
        if not events["seq"].is_sorted():
            events = events.sort("seq")
        self._chunks = [events]
        self._timelines = replay(events, self.policy)
        self._fresh: dict[str, Timelines] = {}  # replayed sites not yet merged in
        claim_sites = _claim_sites(events)
        filed = (events.join(claim_sites, on="claim_id", how="inner")
                 .sort("filed_site", "seq"))
        bounds = filed.group_by("filed_site", maintain_order=True).len()
        slices, at = {}, 0
        for site, length in bounds.iter_rows():
            slices[site] = (at, length)
            at += length
        self._filed = filed.drop("filed_site")
        self._slices = slices
        self._sites: dict[str, _SiteLog] = {}  # sites appended to since
        # events of claims that have named no site yet (say, a review before its
        # record): they join the claim's first site
        self._unfiled = events.join(claim_sites, on="claim_id", how="anti")
        self._claim_sites = claim_sites.sort("claim_id")
        self._new_claim_sites: dict[str, set[str]] = {}

    def append(self, new_events: pl.DataFrame) -> Timelines:
        """Take events appended to the log (seq above every earlier one) and return the
        timelines of the sites they touch, replayed; the rest is updated lazily."""
        new_events = enforce_schema(new_events, CLAIM_EVENTS, "claim_events")
        if not new_events["seq"].is_sorted():
            new_events = new_events.sort("seq")
        named: dict[str, set[str]] = {}  # claim -> the sites its new events name
        for claim, site in zip(new_events["claim_id"], new_events["site_id"], strict=True):
            if site is not None:
                named.setdefault(claim, set()).add(site)
        before = {claim: self._sites_of(claim) for claim in new_events["claim_id"].unique()}
        history: dict[str, list[pl.DataFrame]] = {}
        for claim, sites in before.items():
            # a claim moved to a new site by a correction brings its history with it
            for site in named.get(claim, set()) - sites:
                earlier = self._history_of(claim, sites)
                if earlier.height:
                    history.setdefault(site, []).append(earlier)
            self._new_claim_sites[claim] = sites | named.get(claim, set())
        homeless = [c for c in before if not self._new_claim_sites[c]]
        if homeless:
            self._unfiled = pl.concat([
                self._unfiled, new_events.filter(pl.col("claim_id").is_in(homeless))])
        touched = sorted(set().union(*before.values(), *named.values()))
        for site in touched:
            mine = new_events if len(before) == 1 else new_events.filter(pl.col("claim_id").is_in(
                [c for c in before if site in self._new_claim_sites[c]]))
            self._site_log(site).add(pl.concat([*history.get(site, []), mine]),
                                     in_order=site not in history)
        self._chunks.append(new_events)
        if len(touched) <= _FEW_SITES:
            parts = [self._replay_site(site) for site in touched]
        else:
            subset = pl.concat([self._sites[s].events for s in touched])
            replayed = replay(subset.unique("seq", keep="first").sort("seq"), self.policy)
            parts = [_only_sites(replayed, [site]) for site in touched]
        self._fresh.update(zip(touched, parts, strict=True))
        return _side_by_side(parts, self._timelines)

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

    def _site_log(self, site: str) -> _SiteLog:
        if site not in self._sites:
            self._sites[site] = _SiteLog(self._events_of(site))
        return self._sites[site]

    def _events_of(self, site: str) -> pl.DataFrame:
        if site in self._sites:
            return self._sites[site].events
        start, length = self._slices.get(site, (0, 0))
        return self._filed.slice(start, length)

    def _history_of(self, claim: str, sites: set[str]) -> pl.DataFrame:
        """Every earlier event of ``claim``: each site it named files all of them."""
        events = self._events_of(min(sites)) if sites else self._unfiled
        return events.filter(pl.col("claim_id") == claim)

    def _replay_site(self, site: str) -> Timelines:
        encoded = self._sites[site].encoded()
        replayed = replay(encoded, self.policy)
        if encoded.sites.len() == 1:
            return replayed  # the site's events name no other site: nothing to drop
        return _only_sites(replayed, [site])

    def _sites_of(self, claim_id: str) -> set[str]:
        if claim_id in self._new_claim_sites:
            return set(self._new_claim_sites[claim_id])
        ids = self._claim_sites["claim_id"]
        lo = int(ids.search_sorted(claim_id, side="left"))
        hi = int(ids.search_sorted(claim_id, side="right"))
        return set(self._claim_sites["filed_site"].slice(lo, hi - lo).to_list())


class _SiteLog:
    """The events filed under one site, in log order, and once the site is replayed
    alone, the same encoded: appends then encode only their own rows."""

    def __init__(self, events: pl.DataFrame):
        self.events = events
        self._encoded: EncodedEvents | None = None
        self._lookup: _Lookup | None = None

    def add(self, rows: pl.DataFrame, *, in_order: bool) -> None:
        """Take ``rows`` filed under this site: after every earlier row (``in_order``)
        or, for a claim moved here with its history, anywhere."""
        if not in_order:
            self.events = (pl.concat([self.events, rows]).unique("seq", keep="first")
                           .sort("seq"))
            self._encoded = self._lookup = None
            return
        self.events = stacked(self.events, rows)
        if self._encoded is None or self._lookup is None:
            return
        codes = _codes_of(rows, self._encoded.height, self._lookup)
        if codes is None:
            self._encoded = self._lookup = None
            return
        extended = self._encoded.extended(codes, self.events)
        # the weighed replay's codes of the text: the site's kept, the new rows' read
        extend_text_codes(self._encoded, extended)
        self._encoded = extended

    def encoded(self) -> EncodedEvents:
        if self._encoded is None:
            self._encoded = EncodedEvents.of(self.events)
            self._lookup = _Lookup.of(self._encoded)  # None: every append encodes afresh
        return self._encoded


@dataclass
class _Lookup:
    """A site's dictionaries the other way round (name -> code), the row of each
    recorded claim, and the claims of later events whose record is not here (yet)."""

    sites: dict[str, int]
    actors: dict[str, int]
    claimants: dict[str, int]
    records: dict[str, int]
    orphans: set[str]

    @staticmethod
    def of(encoded: EncodedEvents) -> _Lookup | None:
        """None if a claim is recorded twice (which row later events point at is then
        the encoder's business)."""
        def codes_of(names: pl.Series) -> dict[str, int]:
            return {name: code for code, name in enumerate(names.to_list())}

        ids, recorded = encoded.source["claim_id"], encoded.codes["event"] == RECORDED
        records = dict(zip(ids.filter(recorded).to_list(), recorded.arg_true().to_list(),
                           strict=True))
        if len(records) < recorded.sum():
            return None
        return _Lookup(
            codes_of(encoded.sites), codes_of(encoded.actors), codes_of(encoded.claimants),
            records, set(ids.filter(~recorded & encoded.codes["claim"].is_null()).to_list()))


def _codes_of(rows: pl.DataFrame, first_row: int, lookup: _Lookup) -> pl.DataFrame | None:
    """The codes :meth:`EncodedEvents.of` would give ``rows`` placed after ``first_row``
    earlier rows, or None if they need the site encoded afresh: a name the site's
    dictionaries lack (codes follow the lexical order of names, so a new one shifts
    others) or the record of a claim seen before (earlier rows would change)."""
    # an append brings a few rows: Python lookups in small dicts beat building the
    # dictionaries as frames to join or replace against (~0.3 ms each)
    site = _coded(rows["site_id"], lookup.sites)
    gainer = _coded(rows["gainer"], lookup.actors)
    loser = _coded(rows["loser"], lookup.actors)
    claimant = _coded(rows["claimant"], lookup.claimants)
    if site is None or gainer is None or loser is None or claimant is None:
        return None
    claim: list[int | None] = []
    for row, (event, claim_id) in enumerate(zip(rows["event"], rows["claim_id"], strict=True),
                                            start=first_row):
        if event == EVENTS[RECORDED]:
            if claim_id in lookup.records or claim_id in lookup.orphans:
                return None
            lookup.records[claim_id] = row
        elif claim_id not in lookup.records:
            lookup.orphans.add(claim_id)
        claim.append(lookup.records.get(claim_id))
    return codes_frame(rows, event=event_codes(rows["event"]), claim=claim, site=site,
                       gainer=gainer, loser=loser, claimant=claimant)


def _coded(names: pl.Series, codes: dict[str, int], *, strict: bool = True) -> list | None:
    """``names`` as their codes (a name not in ``codes``: None if ``strict``, else null)."""
    coded = [None if name is None else codes.get(name) for name in names.to_list()]
    if strict and coded.count(None) != names.null_count():
        return None
    return coded


def _claim_sites(events: pl.DataFrame) -> pl.DataFrame:
    """Every (claim, site) a claim's record or corrections name."""
    return (events.filter(pl.col("site_id").is_not_null())
            .select("claim_id", filed_site="site_id").unique())


def _only_sites(timelines: Timelines, sites: list[str]) -> Timelines:
    at = pl.col("site_id").is_in(sites)
    return Timelines(lambda: timelines.claims.filter(at), timelines.intervals.filter(at),
                     timelines.swings.filter(at), timelines.policy)


def _side_by_side(parts: list[Timelines], like: Timelines) -> Timelines:
    """Timelines of different sites (given in site order) as one replay would give them;
    no sites: empty tables ``like`` those."""
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return Timelines(lambda: like.claims.clear(), like.intervals.clear(),
                         like.swings.clear(), like.policy)
    return Timelines(lambda: pl.concat([p.claims for p in parts]).sort("seq"),
                     pl.concat([p.intervals for p in parts]),
                     pl.concat([p.swings for p in parts]), like.policy)


def _by_site(base: pl.DataFrame, parts: list[pl.DataFrame]) -> pl.DataFrame:
    """Rows of every site, sites in order, each site's rows in their replay order."""
    frame = pl.concat([base, *parts]).with_row_index("_order")
    return frame.sort("site_id", "_order").drop("_order")
