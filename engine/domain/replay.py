"""Replay: believed claims -> per-site control intervals, swings and snapshots.

No Python loop over rows: columns and compiled passes (a small log's passes run as the
plain Python they are written in: see :mod:`engine.domain.passes`). The semantics, per site in
valid-time order:

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
(site, start) order from an index the encoding keeps, so they need a merge, not a sort.
The three steps that carry state from row to row (clustering, the state after each
marker, dealing claims into runs in log order) are compiled loops
(:mod:`engine.domain.passes`), one pass each where window queries took several, on
two threads for multi-million replays (each over its own sites). The markers come out
of the walk nearly in replay order, so a compiled insertion sort finishes the order
(a packed-key sort, :mod:`engine.domain.ordering`, if they ever come far from it).
Polars does the filtering, the lists and the names. Names come back only in the
results, and the wide claims table is gathered when first asked for.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from engine.domain import passes
from engine.domain.claims import believed, claims_table
from engine.domain.encoding import EncodedEvents
from engine.domain.errors import ClaimWithoutWindow
from engine.domain.ordering import SMALL, sort_ints
from engine.domain.passes import NONE
from engine.domain.policy import Policy
from engine.domain.schema import INTERVALS, SWINGS, enforce_schema
from engine.domain.timelines import Timelines, snapshot  # noqa: F401 (snapshot: re-exported)
from engine.domain.vocabulary import STATUSES


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
        >>> t.intervals.select("controller", "start_latest", "end_latest", "open_start").rows()
        [('government', None, datetime.date(2015, 5, 21), True), ('isis', datetime.date(2015, 5, 21), datetime.date(2016, 3, 27), False), ('government', datetime.date(2016, 3, 27), None, False)]
        >>> t.swings.select("from_controller", "to_controller").rows()
        [('government', 'isis'), ('isis', 'government')]
    """
    policy = policy or Policy()
    encoded = EncodedEvents.of(claim_events)
    if policy.mode == "weighed":
        from engine.domain.replay_weighed import weighed_timelines

        claims_, intervals, swings, folds = weighed_timelines(encoded, policy)
        return Timelines(claims_, intervals, swings, policy, folds)
    claims = believed(encoded, policy)
    unknown = encoded.actors.index_of("unknown")
    walks, claim_marker, markers = _markers(claims, encoded, unknown)
    states = _states(markers, unknown)
    support = _support(states, walks, claim_marker, claims, encoded)
    # what the tables no longer need goes before they are built; the claims table, when
    # asked for, filters the believed claims again (a few ms at 1M) rather than keeping
    # them (30 MB at 1M) for as long as the timelines live
    del claims, walks, claim_marker, markers
    return Timelines(
        claims=lambda: claims_table(encoded, believed(encoded, policy)),
        intervals=_intervals(states, support, encoded),
        swings=_swings(states, support, encoded),
        policy=policy,
    )


def _markers(claims: pl.DataFrame, encoded: EncodedEvents, unknown: int
             ) -> tuple[list[np.ndarray], np.ndarray, pl.DataFrame]:
    """The walks over the believed claims (rows in (site, start) order, split between
    sites); for each claim (by row) the number of the marker it supports (``NONE``:
    none); and the markers (swing/contest clusters, partials, sieges) in replay order."""
    _require_windows(claims, encoded)
    codes = claims.select(
        "site_start", "site", pl.col("kind").fill_null(NONE), "start", "end",
        pl.col("gainer", "loser").fill_null(NONE), "seq")
    site_start_key, *columns = (series.to_numpy() for series in codes.get_columns())
    walks = _split_between_sites(passes.site_start_order(site_start_key), columns[0])
    claim_marker = np.empty(claims.height, np.int32)

    def walk(rows: np.ndarray, first: int) -> pl.DataFrame:
        made = passes.markers_of(rows, *columns, unknown, claim_marker, first)
        return _in_replay_order(dict(zip(_MARKER_COLUMNS, made, strict=True)), first)

    # a walk numbers its markers from its first claim's position: no walk before it
    # has made more markers than it has claims
    firsts = np.cumsum([0] + [rows.size for rows in walks[:-1]]).tolist()
    markers = pl.concat(_on_threads(walk, walks, firsts))
    # a swing's controller stays a code (only the compiled states read it); the loser
    # hint is null where none was named, as the swings table needs it
    return walks, claim_marker, markers.with_columns(
        loser_hint=pl.when(pl.col("loser_hint") != NONE).then("loser_hint"))


_MARKER_COLUMNS = ("site", "kind", "controller", "loser_hint", "start_earliest", "start_latest",
                   "order_seq")
#: distinct markers have distinct order_seq (distinct claims), which settles every tie
_REPLAY_ORDER = ("site", "start_earliest", "start_latest", "order_seq")
#: the insertion sort of the markers gives up past this many moves a marker, and they
#: are sorted instead (measured: 9,440 moves for the 191,309 markers of 1M claims)
_MOVES_PER_MARKER = 8
#: from this many believed claims on, the compiled walks run on two cores, each over
#: its own sites (the walks release the GIL). Measured: -17% at 10M claims (6.5M believed),
#: -9% at 1M (651k); but after replays on threads, a single replay of a hot site in the same
#: process came out ~3 ms slower in some runs (unexplained), and appends replay such
#: sites, so only multi-million replays use them
_PARALLEL_FROM = 1 << 20


def _split_between_sites(order: np.ndarray, site: np.ndarray) -> list[np.ndarray]:
    """``order`` (rows by site) in two pieces of about equal size, cut where a site
    begins, when polars has two threads or more: the sites' timelines are independent,
    so each piece can be walked on its own. A site holding most of the claims (a
    single hot site replayed after an append) is not worth a second thread."""
    n = order.size
    if n < _PARALLEL_FROM or pl.thread_pool_size() < 2:
        return [order]
    middle = site[order[n // 2]]
    bounds = [bisect_fn(range(n), middle, key=lambda k: site[order[k]])
              for bisect_fn in (bisect.bisect_left, bisect.bisect_right)]
    cut = min(bounds, key=lambda bound: abs(n - 2 * bound))  # the nearer end of that site
    return [order[:cut], order[cut:]] if 0 < cut < n and n // 4 <= cut <= n - n // 4 else [order]


def _on_threads(fn: Callable, *arguments: list) -> list:
    """``fn`` over the walks, each on its own thread when there are several."""
    if len(arguments[0]) == 1:
        return [fn(*args) for args in zip(*arguments, strict=True)]
    with ThreadPoolExecutor(max_workers=len(arguments[0])) as pool:
        return list(pool.map(fn, *arguments))


def _in_replay_order(columns: dict[str, np.ndarray], first: int) -> pl.DataFrame:
    """The markers of one walk, numbered from ``first`` in the order they were made
    (``marker``), in replay order."""
    keys = [columns[name] for name in _REPLAY_ORDER]
    order, found = passes.marker_order(*keys, _MOVES_PER_MARKER * len(keys[0]) + 4096)
    if found:
        return pl.DataFrame({"marker": order.astype(np.int64) + first}
                            | {name: column[order] for name, column in columns.items()})
    made = pl.DataFrame(columns).with_row_index("marker", offset=first)
    return sort_ints(made.with_columns(pl.col("marker").cast(pl.Int64)), list(_REPLAY_ORDER))


def _require_windows(claims: pl.DataFrame, encoded: EncodedEvents) -> None:
    """A claim without a site or a window has no place in a timeline: say which."""
    if not (claims["site_start"].has_nulls() or claims["end"].has_nulls()):
        return
    record = claims.filter(pl.col("site_start").is_null() | pl.col("end").is_null())["record"][0]
    raise ClaimWithoutWindow(encoded.source["claim_id"][record])


def _states(markers: pl.DataFrame, unknown: int) -> pl.DataFrame:
    """The state after each marker: holder, controller and status, the run of equal
    (site, controller, status) it belongs to, and whether it changed the holder."""
    holder, previous, state, status, run, changed = passes.states_of(
        *(markers[c].to_numpy() for c in ("site", "kind")),
        markers["controller"].to_numpy(), unknown)
    return markers.with_columns(
        holder=_nullable(holder),
        previous_holder=_nullable(previous),
        state_controller=pl.Series(state),
        status=pl.Series(status).cast(pl.Int64),
        run=pl.Series(run),
        changed=pl.Series(changed),
    )


def _nullable(codes: np.ndarray) -> pl.Series:
    series = pl.Series(codes)
    return series.set(series == NONE, None) if (codes == NONE).any() else series


def _support(states: pl.DataFrame, walks: list[np.ndarray], claim_marker: np.ndarray,
             claims: pl.DataFrame, encoded: EncodedEvents) -> pl.DataFrame:
    """The claims behind the markers, grouped by run in log order: run, claim_id,
    claimant (code), and whether the claim's marker is a change of holder (``swing``).

    One order serves both tables: a run holds at most one change of holder (a
    change starts a new run, unless it is a site's first holder and "unknown"), so a
    swing's claims are its run's claims filtered, still in log order."""
    numbered = int(states["marker"].max()) + 1 if states.height else 0
    marker_run, changed = np.zeros(numbered, np.int32), np.zeros(numbered, np.bool_)
    at = states["marker"].to_numpy()
    marker_run[at], changed[at] = states["run"].to_numpy(), states["changed"].to_numpy()
    runs = int(states["run"].max()) + 1 if states.height else 0
    record, claimant = claims["record"].to_numpy(), claims["claimant"].fill_null(NONE).to_numpy()
    # the walks cover sites in order, so their runs follow one another
    dealt = _on_threads(lambda rows: passes.support_of(
        rows, claim_marker, record, claimant, marker_run, changed, runs), walks)
    record, claimant, run, swing = (np.concatenate(parts) for parts in zip(*dealt, strict=True))
    return pl.DataFrame({"record": record, "claimant": _nullable(claimant)}).select(
        run=pl.Series(run).set_sorted(),
        swing=pl.Series(swing),
        # (a gather from a string column in many chunks, as appends and the snapshot leave
        # it, costs ten times a rechunk and a gather: 3.5 ms against 0.5 for 126k ids; a
        # replay at 1M from the snapshot's 31 chunks took 130 ms without the rechunk, 87
        # with it, for 12 MB less at the first timeline's peak)
        claim_id=pl.lit(encoded.source["claim_id"].rechunk()).gather("record"),
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
    runs = states.filter((pl.col("run") != pl.col("run").shift(1)).fill_null(True))
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
    return enforce_schema(intervals.with_columns(**_NO_WEIGHING), INTERVALS, "intervals")


#: the strict rules weigh nothing: every claim behind an interval supports it
_NO_WEIGHING = {
    "open_start": pl.lit(False),
    "siege": pl.col("status") == "besieged",
    "support": pl.when(pl.col("n_claims") > 0).then(1.0),
    "n_dissents": pl.lit(0, pl.UInt32),
    "dissent_ids": pl.lit([], pl.List(pl.String)),
}


def _swings(states: pl.DataFrame, support: pl.DataFrame, encoded: EncodedEvents) -> pl.DataFrame:
    if states.height == 0:
        return enforce_schema(pl.DataFrame(schema=_schema(SWINGS)), SWINGS, "swings")
    lists = _claimant_lists(support.filter("swing"), encoded.claimants)
    rows = states.filter("changed")
    swings = rows.select(
        site_id=pl.lit(encoded.sites).gather("site"),
        from_controller=pl.lit(encoded.actors).gather(pl.coalesce("previous_holder", "loser_hint")),
        to_controller=pl.lit(encoded.actors).gather("holder"),
        window_start=pl.col("start_earliest").cast(pl.Date),
        window_end=pl.col("start_latest").cast(pl.Date),
    ).hstack(lists.get_columns()[1:])  # (lists: run first)
    return enforce_schema(swings.with_columns(support=pl.lit(1.0), dissent_ids=pl.lit(
        [], pl.List(pl.String))), SWINGS, "swings")


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
