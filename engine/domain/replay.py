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

How it stays fast (the same rules, cheaper machinery): it reads the events as integer
codes (:mod:`engine.domain.encoding`: sites and actors coded in lexical order, so
sorting codes sorts names; dates as day numbers), and the believed claims arrive in
(site, start) order from an index the encoding keeps, so the transitions need a merge,
not a sort; every sort is on integers, packed into one key where the ranges allow
(:mod:`engine.domain.ordering`); "within the same site" is a comparison with the row
where the site's block begins, not a window partitioned by site; the lists of claim ids
come from one sort on (run, row of the record), built once at the end; names come back
only in the results, and the wide claims table is gathered when first asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from engine.domain.claims import believed, claims_table
from engine.domain.encoding import MARKERS, EncodedEvents
from engine.domain.ordering import SMALL, in_site_start_order, site_start, sort_ints
from engine.domain.policy import Policy
from engine.domain.schema import INTERVALS, SNAPSHOT, SWINGS, enforce_schema
from engine.domain.vocabulary import STATUSES

_SWING, _CONTEST, _SIEGE_ON, _SIEGE_OFF = (MARKERS[k] for k in (
    "captured", "partial", "besieged", "siege_broken"))


class Timelines:
    """The result of a replay: believed claims, intervals and swings, per schema.

    ``claims`` may be given as a function: the replay hands over the recipe for the
    (wide, string-heavy) claims table and it is gathered on first use, since most
    callers only read intervals and swings.

    >>> from engine.domain.testing import claim_events
    >>> replay(claim_events([dict(claim_id="a", site_id="arak", gainer="isis")]))
    Timelines(sites=1, intervals=1, swings=1, policy='all claimants')
    """

    __slots__ = ("_claims", "_intervals", "_policy", "_swings")

    def __init__(self, claims: pl.DataFrame | Callable[[], pl.DataFrame],
                 intervals: pl.DataFrame, swings: pl.DataFrame, policy: Policy) -> None:
        self._claims = claims
        self._intervals = intervals
        self._swings = swings
        self._policy = policy

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
        return self._swings

    @property
    def policy(self) -> Policy:
        return self._policy

    def snapshot(self, day: dt.date) -> pl.DataFrame:
        """Controller of every site with evidence on ``day`` (see :func:`snapshot`)."""
        return snapshot(self.intervals, day)

    def __repr__(self) -> str:
        sites = self.intervals["site_id"].n_unique()
        return (f"Timelines(sites={sites}, intervals={self.intervals.height}, "
                f"swings={self.swings.height}, policy={self.policy.describe()!r})")


def replay(claim_events: pl.DataFrame | EncodedEvents, policy: Policy | None = None) -> Timelines:
    """Replay claim events under ``policy`` into timelines.

    ``claim_events`` is the ``claim_events`` frame, or the same already encoded
    (:class:`~engine.domain.encoding.EncodedEvents`: encode once, replay under many
    policies).

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
    encoded = EncodedEvents.of(claim_events)
    claims = believed(encoded, policy).with_row_index("row")
    unknown = encoded.actors.index_of("unknown")
    markers, claim_marker = _markers(claims, unknown)
    states = _states(markers, unknown)
    support = _support(states, claim_marker, claims, encoded)
    return Timelines(
        claims=lambda: claims_table(encoded, claims),
        intervals=_intervals(states, support, encoded),
        swings=_swings(states, support, encoded),
        policy=policy,
    )


def _first_in_block(key: pl.Expr) -> pl.Expr:
    """True on the first row of each run of equal ``key`` (a sorted frame's blocks)."""
    return (key != key.shift(1)).fill_null(True)


def _markers(frame: pl.DataFrame, unknown: int) -> tuple[pl.DataFrame, pl.Series]:
    """State change candidates (swing/contest clusters, partials, sieges) in replay order,
    and for each believed claim (by row) the id of the marker it supports (null: none)."""
    site = pl.col("site").cast(pl.Int64)
    # Clustering reads only the order of (site, start): every aggregate below is a min,
    # a max or the first/last start, so ties need no further key.
    transitions = in_site_start_order(frame.filter(pl.col("kind") == _SWING).select(
        "row", "site", "start", "end", "gainer", "loser", "seq", "site_start"))
    # A cluster begins where a window starts after every earlier window of its site has
    # ended. Packing the site above the day makes one running max restart at each site.
    packed_end = site_start(pl.col("site"), pl.col("end"))
    transitions = transitions.with_columns(
        marker=((_first_in_block(site) | (pl.col("site_start") > packed_end.cum_max().shift(1)))
                .cum_sum().cast(pl.Int64) - 1)
        .set_sorted()  # ascending by construction: cheap groups
    )
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
    singles = frame.filter(pl.col("kind") > _SWING).select(
        marker=pl.int_range(clusters.height, clusters.height + pl.len(), dtype=pl.Int64),
        site="site",
        kind="kind",
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
    singles = pl.DataFrame(singles.get_columns()[:-1])  # without "row" (last), no query
    markers = sort_ints(pl.concat([swings_and_contests, singles], how="vertical_relaxed"),
                        ["site", "start_earliest", "start_latest", "order_seq"])
    return markers, claim_marker


def _states(markers: pl.DataFrame, unknown: int) -> pl.DataFrame:
    """The state after each marker (holder, contested, besieged -> controller, status),
    and the run of equal (site, controller, status) it belongs to."""
    row = pl.int_range(pl.len(), dtype=pl.Int64)

    def last_row_of(kind: int) -> pl.Expr:  # -1: none yet in this site
        last = pl.when(pl.col("kind") == kind).then(row).forward_fill()
        return pl.when(last >= pl.col("site_row")).then(last).otherwise(-1)

    holder = pl.col("holder")
    status = (
        pl.when(pl.col("last_contest") > pl.col("last_swing")).then(1)
        .when(pl.col("last_siege_on") > pl.max_horizontal("last_siege_off", "last_swing"))
        .then(2)
        .when(holder.fill_null(unknown) == unknown).then(3)
        .otherwise(0)
    )
    return (
        markers
        .with_columns(
            site_row=pl.when(_first_in_block(pl.col("site"))).then(row).forward_fill())
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
            previous_holder=pl.when(row > pl.col("site_row")).then(holder.shift(1)),
            state_controller=holder.fill_null(unknown),
            status=status.cast(pl.Int64),
        )
        .with_columns(
            run=_first_in_block(
                pl.col("site").cast(pl.Int64) * (1 << 32)
                + pl.col("state_controller").cast(pl.Int64) * 4 + pl.col("status")
            ).cum_sum().cast(pl.Int64) - 1
        )
    )


def _support(states: pl.DataFrame, claim_marker: pl.Series, claims: pl.DataFrame,
             encoded: EncodedEvents) -> pl.DataFrame:
    """The claims behind the markers, grouped by run in log order: run, claim_id,
    claimant (code), and whether the claim's marker is a change of holder (``swing``).

    One sort serves both tables: a run holds at most one change of holder (a
    change starts a new run, unless it is a site's first holder and "unknown"), so a
    swing's claims are its run's claims filtered, still in log order."""
    m = states.height
    run = pl.repeat(0, m, dtype=pl.Int64, eager=True).scatter(states["marker"], states["run"])
    swing = pl.repeat(False, m, eager=True).scatter(
        states["marker"], states.select(_changed()).to_series())
    supporting = pl.DataFrame([claim_marker, claims["record"], claims["claimant"]]).filter(
        pl.col("marker").is_not_null())
    grouped = sort_ints(supporting.select(
        run=pl.lit(run).gather("marker"),
        record="record",  # the log order
        swing=pl.lit(swing).gather("marker"),
        claimant="claimant",
    ), ["run", "record"])
    return grouped.select(
        pl.col("run").set_sorted(),
        "swing",
        claim_id=pl.lit(encoded.source["claim_id"]).gather("record"),
        claimant="claimant",
    )


def _intervals(states: pl.DataFrame, support: pl.DataFrame, encoded: EncodedEvents
               ) -> pl.DataFrame:
    if states.height == 0:
        return enforce_schema(pl.DataFrame(schema=_schema(INTERVALS)), INTERVALS, "intervals")
    lists = support.group_by("run", maintain_order=True).agg(
        claim_ids="claim_id",
        n_claims=pl.len().cast(pl.UInt32),
        n_claimants=pl.col("claimant").n_unique().cast(pl.UInt32),
    )
    runs = states.filter(_first_in_block(pl.col("run")))
    same_site_next = pl.col("site").shift(-1) == pl.col("site")
    # names gathered inside the one query (a Series op each would be a query of its own)
    intervals = runs.select(
        site_id=pl.lit(encoded.sites).gather("site"),
        controller=pl.lit(encoded.actors).gather("state_controller"),
        status=pl.lit(pl.Series(STATUSES)).gather("status"),
        start_earliest=pl.col("start_earliest").cast(pl.Date),
        start_latest=pl.col("start_latest").cast(pl.Date),
        end_earliest=pl.when(same_site_next).then(pl.col("start_earliest").shift(-1)).cast(pl.Date),
        end_latest=pl.when(same_site_next).then(pl.col("start_latest").shift(-1)).cast(pl.Date),
    ).hstack(lists.get_columns()[1:])  # (lists: run first)
    return enforce_schema(intervals, INTERVALS, "intervals")


def _changed() -> pl.Expr:
    """A marker that changes a site's holder: a swing to someone new (or the first)."""
    return (pl.col("kind") == _SWING) & (
        pl.col("previous_holder").is_null() | (pl.col("previous_holder") != pl.col("holder")))


def _swings(states: pl.DataFrame, support: pl.DataFrame, encoded: EncodedEvents) -> pl.DataFrame:
    if states.height == 0:
        return enforce_schema(pl.DataFrame(schema=_schema(SWINGS)), SWINGS, "swings")
    lists = _claimant_lists(support.filter("swing"), encoded.claimants)
    rows = states.filter(_changed())
    swings = rows.select(
        site_id=pl.lit(encoded.sites).gather("site"),
        from_controller=pl.lit(encoded.actors).gather(pl.coalesce("previous_holder", "loser_hint")),
        to_controller=pl.lit(encoded.actors).gather("holder"),
        window_start=pl.col("start_earliest").cast(pl.Date),
        window_end=pl.col("start_latest").cast(pl.Date),
    ).hstack(lists.get_columns()[1:])  # (lists: run first)
    return enforce_schema(swings, SWINGS, "swings")


def _claimant_lists(support: pl.DataFrame, names: pl.Series) -> pl.DataFrame:
    """Per run: ``claim_ids``, ``n_claims`` and ``claimants`` (distinct names, sorted).

    Distinct sets of claimants are few: each run's set is gathered as a bit mask (one
    integer aggregate, far cheaper than a per-group unique), and each distinct mask is
    spelt out once."""
    claimant = support["claimant"]
    if support.height < SMALL or names.len() > 62 or claimant.has_nulls():
        return support.group_by("run", maintain_order=True).agg(
            claim_ids="claim_id",
            n_claims=pl.len().cast(pl.UInt32),
            # codes are in lexical order: sorting codes sorts names
            claimants=pl.col("claimant").unique().sort().replace_strict(
                pl.int_range(names.len(), dtype=pl.Int32, eager=True), names),
        )
    bits = pl.Series("bit", [1 << code for code in range(names.len())], dtype=pl.Int64)
    lists = support.with_columns(bit=bits.gather(claimant)).group_by(
        "run", maintain_order=True).agg(
        claim_ids="claim_id",
        n_claims=pl.len().cast(pl.UInt32),
        mask=pl.col("bit").bitwise_or(),
    )
    spelt = (
        lists.select(pl.col("mask").unique())
        .join(pl.DataFrame({"bit": bits, "name": names}), how="cross")
        .filter((pl.col("mask") & pl.col("bit")) != 0)
        .sort("mask", "bit")  # bits in code order: names in lexical order
        .group_by("mask", maintain_order=True)
        .agg(claimants="name")
    )
    return lists.join(spelt, on="mask", how="left", maintain_order="left").drop("mask")


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
