"""Claim events as integers: the form the replay works on.

Every name the replay compares or sorts (site, actor, claimant, kind, event, verdict)
becomes a small integer once, dates become day numbers, and each later event (a
correction, retraction or review) learns the row of the claim it points at. After
that the replay hashes no string and joins nothing: it filters, scatters and sorts
integers, and turns codes back into names only in its (much smaller) results.

Sites, actors and claimants are coded in the lexical order of their names, so sorting
codes sorts names. The string frame stays beside the codes (``source``): the believed
claims and the claim ids of intervals are gathered from it by row. The records are also
kept in replay order (``by_site``), an index every policy's believed claims are
filtered from.

Encoding costs about twice a replay; it is done once per log read and then serves every
policy, and the Parquet snapshot in :mod:`engine.store.read` keeps it
(:func:`engine.store.encoded_snapshot.load_encoded`), so an unchanged log is not encoded again.
Appends extend it (:meth:`EncodedEvents.extended`) without encoding the earlier events
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from engine.domain.codes import (
    CODES,
    EVENTS,
    MARKERS,
    RECORDED,
    VERDICTS,
    event_codes,
    small_codes,
)
from engine.domain.ordering import in_site_start_order, site_start, sort_ints
from engine.domain.revisions import Revisions, revisions_of
from engine.domain.schema import CLAIM_EVENTS, enforce_schema
from engine.domain.vocabulary import MANUAL_EXTRACTOR

#: the names other modules import from here (the codes live in engine.domain.codes)
__all__ = ["CODES", "EVENTS", "MARKERS", "RECORDED", "VERDICTS", "EncodedEvents", "codes_frame",
           "event_codes", "lexical_codes", "lexical_codes_of", "records_by_site", "stacked",
           "untouched_mask"]


@dataclass(frozen=True)
class EncodedEvents:
    """Claim events as integer columns (``codes``) plus the dictionaries back to names.

    Example:
        >>> from engine.domain.testing import claim_events
        >>> encoded = EncodedEvents.of(claim_events([
        ...     dict(claim_id="c1", site_id="palmyra", gainer="isis"),
        ...     dict(claim_id="c2", site_id="arak", gainer="government"),
        ...     dict(event="retracted", claim_id="c1")]))
        >>> encoded.codes.select("event", "claim", "site").rows()
        [(0, 0, 1), (0, 1, 0), (2, 0, None)]
        >>> encoded.sites.to_list(), encoded.actors.to_list()
        (['arak', 'palmyra'], ['government', 'isis', 'unknown'])
    """

    codes: pl.DataFrame
    sites: pl.Series
    actors: pl.Series  # always holds "unknown"
    claimants: pl.Series
    source: pl.DataFrame  # the claim_events frame the codes were made from, same rows
    #: the records of ``codes`` in replay order (see :func:`records_by_site`); made
    #: from ``codes`` when not given
    by_site: pl.DataFrame = field(default=None, repr=False)  # type: ignore[assignment]

    #: what later events made of the claims they touch, resolved once for every policy
    #: (:func:`~engine.domain.revisions.revisions_of`); made from ``codes`` when not given
    revisions: Revisions = field(default=None, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.by_site is None:
            object.__setattr__(self, "by_site", records_by_site(self.codes))
        if self.revisions is None:
            object.__setattr__(self, "revisions", revisions_of(self.codes))

    @staticmethod
    def of(claim_events: pl.DataFrame | EncodedEvents) -> EncodedEvents:
        """Encode a ``claim_events`` frame (an encoding is returned as it is)."""
        if isinstance(claim_events, EncodedEvents):
            return claim_events
        events = enforce_schema(claim_events, CLAIM_EVENTS, "claim_events")
        if not events["seq"].is_sorted():
            events = events.sort("seq")
        (site, sites), (gainer, gainers), (loser, losers), (claimant, claimants) = (
            lexical_codes_of(events, ["site_id", "gainer", "loser", "claimant"]))
        actors = pl.concat([gainers, losers, pl.Series(["unknown"])]).unique().sort()
        event = event_codes(events["event"])
        codes = codes_frame(events, event=event, claim=_claim_rows(events["claim_id"], event),
                            site=site, gainer=_recode(gainer, gainers, actors),
                            loser=_recode(loser, losers, actors), claimant=claimant)
        # each dictionary named after its field: what a kept encoding is read back as
        # (engine.store.encoded_snapshot.load_encoded), so the two compare equal
        return EncodedEvents(codes, sites.alias("sites"), actors.alias("actors"),
                             claimants.alias("claimants"), events)

    def extended(self, codes: pl.DataFrame, source: pl.DataFrame) -> EncodedEvents:
        """This encoding followed by ``codes``, later events coded with the same
        dictionaries (``source``: the string frame of all the events), none of them the
        record of a claim earlier events name (those would have to point at it: encode
        afresh). The new records are merged into :attr:`by_site`, not sorted in afresh,
        and new claims alone leave :attr:`revisions` as they were."""
        first = self.codes.height
        records = records_by_site(codes).with_columns(pl.col("record") + first)
        only_records = bool((codes["event"] == RECORDED).all())
        slots = _slots(self.by_site, records)
        by_site = (in_site_start_order(stacked(self.by_site, records)) if slots is None
                   else _inserted(self.by_site, records, slots))
        out = EncodedEvents(stacked(self.codes, codes), self.sites, self.actors,
                            self.claimants, source, by_site,
                            self.revisions if only_records else None)
        if only_records and slots is not None and "untouched" in self.__dict__:
            # nothing touches the new claims, and the old ones are touched as before: the
            # mask gains a True where each record went (a policy's filter needs it next)
            mask = self.__dict__["untouched"]
            out.__dict__["untouched"] = None if mask is None else _inserted(
                mask, pl.repeat(True, records.height, eager=True), slots)
        return out

    @property
    def height(self) -> int:
        return self.codes.height

    @cached_property
    def untouched(self) -> pl.Series | None:
        """Per row of :attr:`by_site`, whether no later event touched its claim (None:
        none did). Every policy filters on it, so it is made once."""
        return untouched_mask(self.height, self.revisions.touched, self.by_site["record"])

    def claimant_codes(self, names: frozenset[str]) -> list[int]:
        """The codes of those ``names`` this log knows (an unknown name matches nothing)."""
        known = set(self.claimants.to_list())
        return [self.claimants.index_of(name) for name in sorted(names & known)]


def records_by_site(codes: pl.DataFrame) -> pl.DataFrame:
    """The claims' records (``event`` recorded) in the order the replay reads them: by
    site, then start of window. Columns: ``record`` (the row in ``codes``), the codes a
    record carries (not ``event``, ``claim``, ``verdict``: always the same on a record),
    and ``site_start``, site and start packed in one Int64 (null if either is).

    Made once per encoding, it serves every policy: the claims a policy believes are
    filtered from it still in replay order, so the replay's largest sort finds its input
    sorted. The order is only a head start: the replay checks it and sorts if it must.
    """
    records = (codes.with_row_index("record").filter(pl.col("event") == RECORDED)
               .drop("event", "claim", "verdict"))  # fewer columns to gather (~75 ms each at 10M)
    return sort_ints(records, ["site", "start"]).with_columns(
        site_start=site_start(pl.col("site"), pl.col("start")))


def untouched_mask(height: int, touched: pl.Series, records: pl.Series) -> pl.Series | None:
    """Per record of ``records`` (rows of codes, ``height`` of them), whether it is not
    among the ``touched`` (None: nothing is)."""
    if not touched.len():
        return None
    return pl.repeat(True, height, eager=True).scatter(touched, False).gather(records)


def _slots(index: pl.DataFrame, records: pl.DataFrame) -> list[int] | None:
    """Where each of ``records`` (sorted, few) goes in ``index`` (sorted): after every row
    of its key; None if a key is null (the two are then ordered afresh)."""
    keys, new_keys = index["site_start"], records["site_start"]
    if keys.has_nulls() or new_keys.has_nulls():
        return None
    return keys.search_sorted(new_keys, side="right").to_list()


def _inserted(index, records, slots: list[int]):
    """``records`` slotted into ``index`` (frames or series) at ``slots``, between slices
    of it: an append costs a binary search, not a copy of the index."""
    pieces, done = [], 0
    for i, slot in enumerate(slots):
        pieces += [index.slice(done, slot - done), records.slice(i, 1)]
        done = slot
    joined = pl.concat([*pieces, index.slice(done)], rechunk=False)
    return _compacted(joined) if isinstance(joined, pl.DataFrame) else (
        joined.rechunk() if joined.n_chunks() > _MAX_CHUNKS else joined)


def stacked(frame: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` under ``frame``; copied whole only now and then (strings: ~6 ms at 200k)."""
    return _compacted(frame.vstack(rows))


_MAX_CHUNKS = 32


def _compacted(frame: pl.DataFrame) -> pl.DataFrame:
    """Appends pile up as chunks; past a few dozen, one copy makes the frame contiguous."""
    return frame.rechunk() if frame.n_chunks() > _MAX_CHUNKS else frame


def codes_frame(events: pl.DataFrame, **coded: pl.Series | list) -> pl.DataFrame:
    """The :data:`CODES` frame of ``events``, given the columns that need dictionaries
    (``event``, ``claim``, ``site``, ``gainer``, ``loser``, ``claimant``); the rest is
    read straight off the events."""
    return pl.DataFrame({
        "seq": events["seq"],
        "event": coded["event"],
        "claim": coded["claim"],
        "site": coded["site"],
        "kind": small_codes(events["kind"], MARKERS),
        "gainer": coded["gainer"],
        "loser": coded["loser"],
        "start": events["valid_from"].to_physical(),
        "end": events["valid_to"].to_physical(),
        "claimant": coded["claimant"],
        "denied": events["denied"],
        "confidence": events["confidence"],
        "published": events["published_date"].to_physical(),
        "manual": events["extractor"] == MANUAL_EXTRACTOR,
        "verdict": small_codes(events["verdict"], VERDICTS),
    }, schema_overrides=CODES).cast(CODES)  # type: ignore[arg-type]


def lexical_codes(column: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Codes 0..k-1 in the lexical order of the distinct values, and those values.

    >>> codes, names = lexical_codes(pl.Series(["b", None, "a", "b"]))
    >>> codes.to_list(), names.to_list()
    ([1, None, 0, 1], ['a', 'b'])
    """
    return lexical_codes_of(column.to_frame(), [column.name])[0]


def lexical_codes_of(frame: pl.DataFrame, columns: list[str]
                     ) -> list[tuple[pl.Series, pl.Series]]:
    """:func:`lexical_codes` of several string columns of ``frame``.

    One pass hashes the strings (a categorical cast) and finds the distinct values, for
    all the columns at once (polars runs them in parallel); the rest works on the few
    distinct values and on integers."""
    categorical = frame.select(pl.col(columns).cast(pl.Categorical))
    distinct = categorical.select(
        pl.col(c).unique().drop_nulls().cast(pl.String).sort().implode() for c in columns).row(0)
    coded = []
    for column, values in zip(columns, distinct, strict=True):
        names = pl.Series(column, values, dtype=pl.String)
        physical = categorical[column].to_physical().cast(pl.Int64)
        if names.len() == 0:
            coded.append((pl.Series(column, [None] * frame.height, dtype=pl.Int64), names))
            continue
        ids = names.cast(pl.Categorical).to_physical().cast(pl.Int64)
        ranks = pl.int_range(names.len(), dtype=pl.Int64, eager=True)
        if int(ids.max()) > 4 * frame.height + 4096:  # categories are process-wide: keep small
            coded.append((physical.replace_strict(ids, ranks, default=None), names))
            continue
        lookup = pl.Series([None], dtype=pl.Int64).extend_constant(None, int(ids.max()))
        coded.append((lookup.scatter(ids, ranks).gather(physical), names))
    return coded


def _recode(codes: pl.Series, names: pl.Series, dictionary: pl.Series) -> pl.Series:
    """``codes`` into ``names`` re-coded as positions in the sorted ``dictionary``."""
    positions = pl.Series([dictionary.index_of(v) for v in names.to_list()], dtype=pl.Int64)
    return codes.replace_strict(pl.int_range(names.len(), eager=True), positions, default=None)


def _claim_rows(claim_ids: pl.Series, event: pl.Series) -> pl.Series:
    """For every event, the row of its claim's record (null: not recorded here).

    Most claims are never touched again, so the few later events are matched by a
    64-bit hash of the id (an integer join is several times cheaper than one on
    strings) and the matches are confirmed on the strings; if two ids collide, the
    plain string join."""
    frame = pl.DataFrame({"claim_id": claim_ids, "event": event}).with_row_index("row")  # UInt32
    recorded = frame.filter(pl.col("event") == RECORDED).select("claim_id", "row")
    later = frame.filter(pl.col("event") != RECORDED).select("claim_id", at="row")
    key = recorded["claim_id"].hash().alias("key")
    later_key = later["claim_id"].hash().alias("key")
    matched = None
    if key.n_unique() == recorded.height:
        touched = key.is_in(later_key.implode())
        matched = (
            later.with_columns(later_key)
            .join(recorded.filter(touched).with_columns(key.filter(touched)).rename(
                {"claim_id": "recorded_id"}), on="key", how="left")
        )
        if not (matched["claim_id"] == matched["recorded_id"]).fill_null(True).all():
            matched = None
    if matched is None:
        matched = later.join(recorded, on="claim_id", how="left")
    claim = pl.repeat(None, frame.height, dtype=pl.UInt32, eager=True).alias("claim")
    return claim.scatter(recorded["row"], recorded["row"]).scatter(matched["at"], matched["row"])
