"""Replay: believed claims -> per-site control intervals, swings and snapshots.

Columnar throughout (sorts, window expressions, ``rle_id``); no Python loop over rows.
The semantics, per site in valid-time order:

1. ``captured``/``withdrew`` claims are *transitions* to their gainer over a date window.
   Transitions whose windows overlap (transitively) form one cluster. A cluster whose
   claims name one known controller (``unknown`` gainers agree with anyone) is a
   **swing**; one naming several is a **contest**. Its window is the intersection of the
   claims' windows when they share a day (the tightest reading on which all agree), else
   their union.
2. ``partial`` opens a contest; ``besieged``/``siege_broken`` open/close a siege; a swing
   ends both. ``attacked`` changes nothing.
3. These markers, sorted by window, give a state per site (holder, contested, besieged);
   runs of equal (controller, status) are the **intervals**, and each ends where the
   next begins. A change of holder is a **swing** row.

How it stays fast (the same rules, cheaper machinery): names become integer codes once
(sites and actors coded in lexical order, so sorting codes sorts names; dates as day
numbers); every sort is on integers; "within the same site" is a comparison with the
row where the site's block begins, not a window partitioned by site; claims are
numbered in log order, so each list of claim ids comes out in log order from one stable
sort, built once at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from engine.domain.claims import resolve_claims
from engine.domain.policy import Policy
from engine.domain.schema import CLAIMS, INTERVALS, SNAPSHOT, SWINGS, enforce_schema

_SWING, _CONTEST, _SIEGE_ON, _SIEGE_OFF = range(4)
#: kind -> marker it raises (transitions are clustered first); attacked raises none
_KIND_MARKER = {"captured": _SWING, "withdrew": _SWING, "partial": _CONTEST,
                "besieged": _SIEGE_ON, "siege_broken": _SIEGE_OFF}
_STATUSES = ["held", "contested", "besieged", "unknown"]


@dataclass(frozen=True)
class Timelines:
    """The result of a replay: believed claims, intervals and swings, per schema."""

    claims: pl.DataFrame
    intervals: pl.DataFrame
    swings: pl.DataFrame
    policy: Policy

    def snapshot(self, day: dt.date) -> pl.DataFrame:
        """Controller of every site with evidence on ``day`` (see :func:`snapshot`)."""
        return snapshot(self.intervals, day)


def replay(claim_events: pl.DataFrame, policy: Policy | None = None) -> Timelines:
    """Replay claim events under ``policy`` into timelines.

    Example:
        >>> from engine.domain.testing import claim_events
        >>> t = replay(claim_events([
        ...     dict(claim_id="a", site_id="palmyra", gainer="isis", loser="government",
        ...          valid_from="2015-05-20", valid_to="2015-05-21"),
        ...     dict(claim_id="b", site_id="palmyra", gainer="government", valid_from="2016-03-27"),
        ... ]))
        >>> t.intervals.select("controller", "start_latest", "end_latest").rows()
        [('isis', datetime.date(2015, 5, 21), datetime.date(2016, 3, 27)), ('government', datetime.date(2016, 3, 27), None)]
        >>> t.swings.select("from_controller", "to_controller").rows()
        [('government', 'isis'), ('isis', 'government')]
    """
    policy = policy or Policy()
    claims = resolve_claims(claim_events, policy)
    return timelines_from_claims(claims, policy)


def timelines_from_claims(claims: pl.DataFrame, policy: Policy | None = None) -> Timelines:
    """The timeline part of :func:`replay`, for claims already resolved (one per claim)."""
    claims = enforce_schema(claims, CLAIMS, "claims")
    if not claims["seq"].is_sorted():
        claims = claims.sort("seq")
    codes = _Codes.of(claims)
    markers, claim_marker = _markers(codes)
    states = _states(markers, codes.unknown)
    return Timelines(
        claims=claims,
        intervals=_intervals(states, claim_marker, codes),
        swings=_swings(states, claim_marker, codes),
        policy=policy or Policy(),
    )


@dataclass(frozen=True)
class _Codes:
    """The claims as integer columns, and the dictionaries back to names."""

    frame: pl.DataFrame  # row, site, marker_kind, gainer, loser, start, end, seq
    claims: pl.DataFrame
    sites: pl.Series  # code -> site_id, sorted
    actors: pl.Series  # code -> actor, sorted, always holding "unknown"
    unknown: int

    @staticmethod
    def of(claims: pl.DataFrame) -> _Codes:
        site, sites = _lexical_codes(claims["site_id"])
        gainer, gainers = _lexical_codes(claims["gainer"])
        loser, losers = _lexical_codes(claims["loser"])
        actors = pl.concat([gainers, losers, pl.Series(["unknown"])]).unique().sort()
        frame = pl.DataFrame({
            "row": pl.int_range(claims.height, dtype=pl.Int64, eager=True),
            "site": site,
            # 0 transition, 1 partial (contest), 2 siege on, 3 siege off, null: no marker
            "marker_kind": claims["kind"].replace_strict(_KIND_MARKER, default=None,
                                                         return_dtype=pl.Int8),
            # the two actor columns re-coded into one dictionary (a few names: cheap)
            "gainer": gainer.replace_strict(pl.int_range(gainers.len(), eager=True),
                                            _positions(gainers, actors), default=None),
            "loser": loser.replace_strict(pl.int_range(losers.len(), eager=True),
                                          _positions(losers, actors), default=None),
            "start": claims["valid_from"].to_physical().cast(pl.Int64),
            "end": claims["valid_to"].to_physical().cast(pl.Int64),
            "seq": claims["seq"],
        })
        return _Codes(frame, claims, sites, actors, actors.index_of("unknown"))

    def site_names(self, codes: pl.Expr) -> pl.Expr:
        return codes.cast(pl.UInt32).cast(pl.Enum(self.sites)).cast(pl.String)

    def actor_names(self, codes: pl.Expr) -> pl.Expr:
        return codes.cast(pl.UInt32).cast(pl.Enum(self.actors)).cast(pl.String)


def _lexical_codes(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Codes 0..k-1 in the lexical order of the distinct values, and those values.

    One pass hashes the strings (a categorical cast); the rest works on the few
    distinct values and on integers."""
    categorical = column.cast(pl.Categorical)
    physical = categorical.to_physical().cast(pl.Int64)
    names = categorical.unique().drop_nulls().cast(pl.String).sort()
    if names.len() == 0:
        return pl.Series(column.name, [None] * column.len(), dtype=pl.Int64), names
    ids = names.cast(pl.Categorical).to_physical().cast(pl.Int64)
    ranks = pl.int_range(names.len(), dtype=pl.Int64, eager=True)
    if int(ids.max()) > 4 * column.len() + 4096:  # categories are process-wide: keep small
        return physical.replace_strict(ids, ranks, default=None), names
    lookup = pl.Series([None], dtype=pl.Int64).extend_constant(None, int(ids.max()))
    return lookup.scatter(ids, ranks).gather(physical), names


def _positions(values: pl.Series, dictionary: pl.Series) -> pl.Series:
    """Where each of a few ``values`` stands in a sorted ``dictionary``."""
    return pl.Series([dictionary.index_of(v) for v in values.to_list()], dtype=pl.Int64)


def _first_in_block(key: pl.Expr) -> pl.Expr:
    """True on the first row of each run of equal ``key`` (a sorted frame's blocks)."""
    return (key != key.shift(1)).fill_null(True)


def _sort_ints(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``frame.sort(columns)`` for non-null integer columns, the last unique per row.

    Sorting one integer column is several times cheaper than a multi-column sort, so the
    leading columns are packed into one Int64 key when their value ranges fit in 62
    bits: all of them (then a plain sort), else all but the last (then a two-column sort).
    """
    if frame.height == 0:
        return frame
    bounds = frame.select(
        *[pl.col(c).min().alias(f"lo_{c}") for c in columns],
        *[pl.col(c).max().alias(f"hi_{c}") for c in columns],
        nulls=pl.sum_horizontal(pl.col(columns).null_count()),
    ).row(0, named=True)
    if bounds["nulls"]:
        return frame.sort(columns)
    for packed, rest in ((columns, []), (columns[:-1], columns[-1:])):
        spans = [bounds[f"hi_{c}"] - bounds[f"lo_{c}"] + 1 for c in packed]
        total = 1
        for span in spans:
            total *= span
        if total < 1 << 62:
            key = pl.lit(0, pl.Int64)
            for column, span in zip(packed, spans, strict=True):
                key = key * span + (pl.col(column) - bounds[f"lo_{column}"])
            return frame.sort([key, *rest])
    return frame.sort(columns)


def _markers(codes: _Codes) -> tuple[pl.DataFrame, pl.Series]:
    """State change candidates (swing/contest clusters, partials, sieges) in replay order,
    and for each claim (by row) the id of the marker it supports (null: none)."""
    frame, unknown = codes.frame, codes.unknown
    site = pl.col("site")
    transitions = _sort_ints(frame.filter(pl.col("marker_kind") == _SWING),
                             ["site", "start", "end", "seq"])
    # A cluster begins where a window starts after every earlier window of its site has
    # ended. Packing the site above the day makes one running max restart at each site.
    packed_end = site * (1 << 32) + (pl.col("end") + (1 << 31))
    packed_start = site * (1 << 32) + (pl.col("start") + (1 << 31))
    transitions = transitions.with_columns(
        marker=(_first_in_block(site) | (packed_start > packed_end.cum_max().shift(1)))
        .cum_sum().cast(pl.Int64) - 1
    ).with_columns(pl.col("marker").set_sorted())  # ascending by construction: cheap groups
    known = pl.col("gainer").filter(pl.col("gainer") != unknown)
    clusters = transitions.group_by("marker", maintain_order=True).agg(
        site=site.first(),
        known_min=known.min(),
        known_max=known.max(),
        loser_hint=pl.col("loser").filter(pl.col("loser") != pl.col("gainer")).min(),
        lo_from=pl.col("start").first(),
        hi_from=pl.col("start").last(),
        lo_to=pl.col("end").min(),
        hi_to=pl.col("end").max(),
        order_seq=pl.col("seq").min(),
    )
    agree = pl.col("hi_from") <= pl.col("lo_to")
    contest = pl.col("known_min") != pl.col("known_max")
    swings_and_contests = clusters.select(
        "marker",
        "site",
        kind=pl.when(contest).then(pl.lit(_CONTEST, pl.Int8)).otherwise(pl.lit(_SWING, pl.Int8)),
        controller=pl.when(contest).then(pl.lit(None, pl.Int64))
        .otherwise(pl.col("known_min").fill_null(unknown)),
        loser_hint="loser_hint",
        start_earliest=pl.when(agree).then("hi_from").otherwise("lo_from"),
        start_latest=pl.when(agree).then("lo_to").otherwise("hi_to"),
        order_seq="order_seq",
    )
    singles = frame.filter(pl.col("marker_kind") > _SWING).select(
        marker=pl.int_range(clusters.height, clusters.height + pl.len(), dtype=pl.Int64),
        site="site",
        kind="marker_kind",
        controller=pl.lit(None, pl.Int64),
        loser_hint=pl.lit(None, pl.Int64),
        start_earliest="start",
        start_latest="end",
        order_seq="seq",
        row="row",
    )
    claim_marker = (
        pl.Series("marker", [None], dtype=pl.Int64).extend_constant(None, frame.height - 1)
        .scatter(transitions["row"], transitions["marker"])
        .scatter(singles["row"], singles["marker"])
    ) if frame.height else pl.Series("marker", [], dtype=pl.Int64)
    # distinct markers have distinct order_seq (distinct claims), which settles every tie
    markers = _sort_ints(pl.concat([swings_and_contests, singles.drop("row")]),
                         ["site", "start_earliest", "start_latest", "order_seq"])
    return markers, claim_marker


def _states(markers: pl.DataFrame, unknown: int) -> pl.DataFrame:
    """The state after each marker (holder, contested, besieged -> controller, status),
    and the run of equal (site, controller, status) it belongs to."""
    row = pl.int_range(pl.len(), dtype=pl.Int64)

    def last_row_of(kind: int) -> pl.Expr:  # -1: none yet in this site
        last = pl.when(pl.col("kind") == kind).then(row).forward_fill()
        return pl.when(last >= pl.col("site_start")).then(last).otherwise(-1)

    holder = pl.col("holder")
    status = (
        pl.when(pl.col("last_contest") > pl.col("last_swing")).then(1)
        .when(pl.col("last_siege_on") > pl.max_horizontal("last_siege_off", "last_swing"))
        .then(2)
        .when(holder.fill_null(unknown) == unknown).then(3)
        .otherwise(0)
    )
    return (
        markers.with_columns(
            site_start=pl.when(_first_in_block(pl.col("site"))).then(row).forward_fill())
        .with_columns(
            last_swing=last_row_of(_SWING),
            last_contest=last_row_of(_CONTEST),
            last_siege_on=last_row_of(_SIEGE_ON),
            last_siege_off=last_row_of(_SIEGE_OFF),
        )
        .with_columns(
            holder=pl.when(pl.col("last_swing") >= 0)
            .then(pl.col("controller").gather(pl.col("last_swing").clip(0)))
        )
        .with_columns(
            previous_holder=pl.when(row > pl.col("site_start")).then(holder.shift(1)),
            state_controller=holder.fill_null(unknown),
            status=status.cast(pl.Int64),
        )
        .with_columns(
            run=_first_in_block(
                pl.col("site") * (1 << 32) + pl.col("state_controller").cast(pl.Int64) * 4
                + pl.col("status")
            ).cum_sum().cast(pl.Int64) - 1
        )
    )


def _claims_by(group: pl.Series, claim_marker: pl.Series, markers: pl.DataFrame,
               codes: _Codes) -> pl.DataFrame:
    """The claims of each group of markers (``group`` per sorted marker, null: none),
    grouped in log order: group, claim_ids, claimant."""
    by_marker = (pl.Series([None], dtype=pl.Int64).extend_constant(None, markers.height - 1)
                 .scatter(markers["marker"], group))
    claims = pl.DataFrame({
        "group": by_marker.gather(claim_marker),
        "claim_id": codes.claims["claim_id"],
        "claimant": codes.claims["claimant"],
    })
    grouped = claims.filter(pl.col("group").is_not_null()).sort("group", maintain_order=True)
    return grouped.with_columns(pl.col("group").set_sorted())


def _intervals(states: pl.DataFrame, claim_marker: pl.Series, codes: _Codes) -> pl.DataFrame:
    if states.height == 0:
        return enforce_schema(pl.DataFrame(schema=_schema(INTERVALS)), INTERVALS, "intervals")
    support = (
        _claims_by(states["run"], claim_marker, states, codes)
        .group_by("group", maintain_order=True)
        .agg(
            claim_ids="claim_id",
            n_claims=pl.len().cast(pl.UInt32),
            n_claimants=pl.col("claimant").n_unique().cast(pl.UInt32),
        )
    )
    runs = states.filter(_first_in_block(pl.col("run")))
    same_site_next = pl.col("site").shift(-1) == pl.col("site")
    intervals = runs.select(
        site_id=codes.sites.gather(runs["site"]),
        controller=codes.actors.gather(runs["state_controller"]),
        status=pl.Series(_STATUSES).gather(runs["status"]),
        start_earliest=pl.col("start_earliest").cast(pl.Date),
        start_latest=pl.col("start_latest").cast(pl.Date),
        end_earliest=pl.when(same_site_next).then(pl.col("start_earliest").shift(-1)).cast(pl.Date),
        end_latest=pl.when(same_site_next).then(pl.col("start_latest").shift(-1)).cast(pl.Date),
    ).hstack(support.drop("group"))
    return enforce_schema(intervals, INTERVALS, "intervals")


def _swings(states: pl.DataFrame, claim_marker: pl.Series, codes: _Codes) -> pl.DataFrame:
    changed = (pl.col("kind") == _SWING) & (
        pl.col("previous_holder").is_null() | (pl.col("previous_holder") != pl.col("holder"))
    )
    if states.height == 0:
        return enforce_schema(pl.DataFrame(schema=_schema(SWINGS)), SWINGS, "swings")
    number = states.select(
        pl.when(changed).then(changed.cum_sum().cast(pl.Int64) - 1)).to_series()
    support = (
        _claims_by(number, claim_marker, states, codes)
        .group_by("group", maintain_order=True)
        .agg(
            claim_ids="claim_id",
            n_claims=pl.len().cast(pl.UInt32),
            claimants=pl.col("claimant").unique().sort(),
        )
    )
    rows = states.filter(changed)
    swings = rows.select(
        site_id=codes.sites.gather(rows["site"]),
        from_controller=codes.actors.gather(
            rows.select(pl.coalesce("previous_holder", "loser_hint")).to_series()),
        to_controller=codes.actors.gather(rows["holder"]),
        window_start=pl.col("start_earliest").cast(pl.Date),
        window_end=pl.col("start_latest").cast(pl.Date),
    ).hstack(support.drop("group"))
    return enforce_schema(swings, SWINGS, "swings")


def _schema(columns) -> dict:
    return {name: dtype for name, (dtype, _doc) in columns.items()}


def snapshot(intervals: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    """Who held each site on ``day``: the last interval certainly begun by then.

    ``in_transition`` is true when ``day`` falls in the uncertain window of the next
    change (it may already have happened). Sites whose first evidence is later are absent.

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
        .filter(pl.col("start_latest") <= pl.lit(day))
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
