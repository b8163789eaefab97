"""The weighed replay's tables: believed claims in, the fold of
:mod:`engine.domain.weighing` per site, intervals and swings out (same schemas as the
strict replay, with support and dissent filled in).

The fold is written twice. :mod:`engine.domain.weighing` is plain Python over records,
written to be read: the specification, which small logs run as it is (and ``explain``
always). :mod:`engine.domain.weighing_passes` is the same rules over arrays, compiled,
which larger logs run; polars prepares its input (codes, day numbers, each claim's
voice) and builds the tables from its output. The property tests check that the two
give the same tables on generated logs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

import numpy as np
import polars as pl

from engine.domain import weighed_tables as tables
from engine.domain import weighing_passes as passes
from engine.domain.claims import believed, claims_table
from engine.domain.codes import MARKERS, RECORDED
from engine.domain.encoding import EncodedEvents
from engine.domain.errors import ClaimWithoutWindow
from engine.domain.policy import Policy
from engine.domain.schema import CLAIMS, INTERVALS, SWINGS, enforce_schema, polars_schema
from engine.domain.vocabulary import STATUSES
from engine.domain.weighing import (
    FALLBACK,
    Claim,
    SiteTimeline,
    _words,
    fold,
    fold_site,
    support_of,
    weight_of,
)

#: from this many heard claims on, the compiled fold runs; below, the specification.
#: Warm, the compiled fold is faster from a few hundred claims on (measured on synthetic
#: logs, a 2-core VM under load: 1,000 events, ~620 heard claims: 21 ms against 7.5 ms;
#: 10,000 events: 431 ms against 11 ms), but its first call in a process loads its machine
#: code from numba's cache (0.3-0.7 s), which the plain fold repays only at several
#: thousand claims (~70 us a claim). A process that replays a small log once (the
#: embedded log, a notebook's, the dev corpus) never loads it.
COMPILED_FROM = 5_000
#: from this many heard claims on, the compiled fold runs on two threads, each over its
#: own sites. Measured at 1M events (617k heard) on the 2-core VM: under a load of 7.5
#: no gain (median 529 ms on one thread, 554 on two); under a load of 1.6, the whole
#: weighed replay 433 ms on one thread and 373 ms on two (medians of 6, alternating). A
#: machine with a free core gains, a busy one loses little: from half a million on
PARALLEL_FROM = 1 << 19


def weighed_timelines(
    encoded: EncodedEvents, policy: Policy, *, compiled: bool | None = None
) -> tuple[pl.DataFrame | object, pl.DataFrame, pl.DataFrame, object]:
    """(claims, intervals, swings, per-site folds) of a weighed replay.

    Denied claims are read too: unless the policy believes them (``include_denied``),
    they weigh against the change they deny. ``compiled`` forces one fold or the other
    (default: the compiled one from :data:`COMPILED_FROM` heard claims on). The claims
    table may come as a function (gathered on first use), the folds as a mapping that
    folds a site with the specification when asked.
    """
    hearing = dataclasses.replace(policy, include_denied=True)
    heard = believed(encoded, hearing)
    if compiled is None:
        compiled = heard.height >= COMPILED_FROM
    if not compiled:
        return _spec_timelines(encoded, policy, heard)
    denied = encoded.codes["denied"].gather(heard["source"])
    _require_windows(encoded, heard if policy.include_denied else heard.filter(~denied))
    placed = pl.col("site", "start", "end").is_not_null()
    heard = heard.filter(pl.all_horizontal(placed))
    intervals, swings = _compiled_tables(encoded, policy, heard)
    return (
        lambda: claims_table(encoded, believed(encoded, policy)),
        intervals,
        swings,
        _SpecFolds(encoded, policy, heard, intervals["site_id"].unique(maintain_order=True)),
    )


def _spec_timelines(encoded: EncodedEvents, policy: Policy, heard: pl.DataFrame):
    """The specification's fold over records, and the tables of its answer."""
    claims = claims_table(encoded, heard).sort("seq")
    believed_claims = claims if policy.include_denied else claims.filter(~pl.col("denied"))
    placeless = believed_claims.filter(
        pl.any_horizontal(pl.col("site_id", "valid_from", "valid_to").is_null())
    )
    if placeless.height:
        raise ClaimWithoutWindow(placeless["claim_id"][0])
    # (a denied claim without a window, not believed, has nothing to weigh against)
    heard_claims = claims.drop_nulls(["site_id", "valid_from", "valid_to"])
    records = [_claim(row, policy) for row in _rows(heard_claims)]
    sites = fold(records)
    return (
        enforce_schema(believed_claims, CLAIMS, "claims"),
        _intervals(sites),
        _swings(sites),
        sites,
    )


def _require_windows(encoded: EncodedEvents, believed_rows: pl.DataFrame) -> None:
    """A believed claim without a site or a window has no place in a timeline: say
    which (the first in log order)."""
    placeless = believed_rows.filter(pl.any_horizontal(pl.col("site", "start", "end").is_null()))
    if placeless.height:
        first = placeless["record"].min()
        raise ClaimWithoutWindow(encoded.source["claim_id"][int(first)])  # type: ignore[arg-type]


def _rows(frame: pl.DataFrame):
    """The rows of ``frame`` as dicts (column lists zipped: cheaper than iter_rows)."""
    names = frame.columns
    for values in zip(*(frame[name].to_list() for name in names), strict=True):
        yield dict(zip(names, values, strict=True))


def _claim(row: dict, policy: Policy) -> Claim:
    return Claim(
        claim_id=row["claim_id"],
        seq=row["seq"],
        site_id=row["site_id"],
        kind=row["kind"],
        gainer=row["gainer"],
        loser=row["loser"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
        time_precision=row["time_precision"],
        published=row["published_date"],
        claimant=row["claimant"],
        denied=bool(row["denied"]) and not policy.include_denied,
        weight=weight_of(row["claimant"], row["confidence"], policy.weights),
        evidence=row["evidence_text"] or "",
    )


def _ids(claims: list[Claim]) -> list[str]:
    return [c.claim_id for c in sorted(claims, key=lambda c: c.seq)]


def _intervals(sites: list[SiteTimeline]) -> pl.DataFrame:
    rows = []
    for site in sites:
        spans = site.intervals
        for i, interval in enumerate(spans):
            after = spans[i + 1] if i + 1 < len(spans) else None
            rows.append(
                {
                    "site_id": site.site_id,
                    "controller": interval.controller,
                    "status": interval.status,
                    "start_earliest": interval.start_earliest,
                    "start_latest": interval.start_latest,
                    "end_earliest": after.start_earliest if after else None,
                    "end_latest": after.start_latest if after else None,
                    "n_claims": len(interval.support),
                    "n_claimants": len({c.claimant for c in interval.support}),
                    "claim_ids": _ids(interval.support),
                    "open_start": interval.open_start,
                    "siege": interval.siege,
                    "support": support_of(interval),
                    "n_dissents": len(interval.dissent),
                    "dissent_ids": _ids(interval.dissent),
                }
            )
    return _frame(rows, INTERVALS, "intervals")


def _swings(sites: list[SiteTimeline]) -> pl.DataFrame:
    rows = []
    for site in sites:
        for swing in site.swings:
            agree = sum(c.share for c in swing.claims)
            against = sum(c.share for c in swing.dissent)
            rows.append(
                {
                    "site_id": site.site_id,
                    "from_controller": swing.from_controller,
                    "to_controller": swing.to_controller,
                    "window_start": swing.window_start,
                    "window_end": swing.window_end,
                    "n_claims": len(swing.claims),
                    "claimants": sorted({c.claimant for c in swing.claims}),
                    "claim_ids": _ids(swing.claims),
                    "support": round(agree / (agree + against), 6) if agree + against else None,
                    "dissent_ids": _ids(swing.dissent),
                }
            )
    return _frame(rows, SWINGS, "swings")


def _frame(rows: list[dict], columns, name: str) -> pl.DataFrame:
    """Rows as a frame of the schema, built column by column."""
    schema = polars_schema(columns)
    data = {c: pl.Series(c, [row[c] for row in rows], dtype=schema[c]) for c in schema}
    return enforce_schema(pl.DataFrame(data), columns, name)


# ---------------------------------------------------------------- the compiled fold


def _compiled_tables(
    encoded: EncodedEvents, policy: Policy, heard: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Intervals and swings of the heard claims (codes, one row each, with a window),
    by :func:`engine.domain.weighing_passes.fold_sites`. The input is gathered as numpy
    arrays in fold order (by site, then log order) in one pass per column."""
    per_event = _per_event(encoded)
    # (fixed types: numba keeps one version of each function, the one `make` fills)
    order, bounds = passes.by_site(
        heard["site"].to_numpy().astype(np.int32, copy=False),
        heard["record"].to_numpy().astype(np.uint32, copy=False),
        encoded.sites.len(),
        encoded.height,
    )
    record = heard["record"].to_numpy()[order].astype(np.int64)
    source = heard["source"].to_numpy()[order].astype(np.int64)

    def column(name: str, null: int) -> np.ndarray:
        return heard[name].fill_null(null).to_numpy()[order]

    claimant, gainer = column("claimant", passes.NONE), column("gainer", passes.NONE)
    start, end = column("start", passes.NO_DAY), column("end", passes.NO_DAY)
    claimant, gainer, start, end = (
        x.astype(np.int32, copy=False) for x in (claimant, gainer, start, end)
    )
    kind = per_event["kind"][source]
    denied = per_event["denied"][source] & (not policy.include_denied)
    weight = _claimant_weights(encoded, policy)[claimant] * per_event["confidence"][source]
    share = passes.shares_by_voice(
        bounds,
        claimant == _code_of(encoded.claimants, "outlet"),
        kind,
        gainer,
        denied,
        claimant,
        start,
        end,
        per_event["words"][record],
        weight,
    )
    data = passes.FoldInput(
        bounds=bounds,
        kind=kind,
        gainer=gainer,
        loser=column("loser", passes.NONE),
        valid_from=start,
        valid_to=end,
        published=per_event["published"][record],
        fallback=per_event["fallback"][source],
        denied=denied,
        share=share,
        unknown=_code_of(encoded.actors, "unknown"),
    )
    threads = 2 if heard.height >= PARALLEL_FROM else 1
    out = passes.fold_sites(data, threads)
    return _tables(encoded, out, record, claimant)


def _tables(
    encoded: EncodedEvents, out: passes.FoldOutput, record: np.ndarray, claimant: np.ndarray
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The intervals and swings tables of the fold's answer (``record``: each fold row's
    record in the log, ``claimant``: its claimant's code, ``NONE``: null). Each list
    column's rows are put in group order by :mod:`engine.domain.weighed_tables`, and the
    claim ids of all three are gathered from the log at once."""
    n_i, n_s = out.controller.size, out.to_controller.size
    support_key, support_rows = tables.rows_by_group(out.interval, out.supports, n_i)
    dissent_key, dissent_rows = tables.rows_by_group(out.interval, ~out.supports, n_i)
    swing_key, swing_rows = tables.rows_by_group(out.swing, np.ones(out.swing.size, bool), n_s)
    every = np.concatenate([support_rows, dissent_rows, swing_rows])
    # (a placeholder row gathers a null, which its list leaves out)
    placeholder = every == tables.NONE
    at = pl.Series(record[np.where(placeholder, 0, every)])
    ids = encoded.source["claim_id"].gather(at.set(pl.Series(placeholder), None))

    def lists(at: int, key: np.ndarray, rows: np.ndarray) -> tuple[pl.Series, pl.Series]:
        real = rows != tables.NONE
        made = tables.grouped_lists(key, ids.slice(at, rows.size), real)
        return made, pl.Series(np.bincount(key[real], minlength=key[-1] + 1 if key.size else 0))

    support, n_support = lists(0, support_key, support_rows)
    dissent, n_dissent = lists(support_rows.size, dissent_key, dissent_rows)
    swing_ids, n_swing = lists(support_rows.size + dissent_rows.size, swing_key, swing_rows)
    # (a null claimant counts as one, as polars' n_unique counts it)
    codes = encoded.claimants.len()
    n_claimants = tables.distinct_values(support_key, support_rows, claimant, codes)[3]
    intervals = _interval_table(encoded, out, support, n_support, n_claimants, dissent, n_dissent)
    # each swing's claimants, distinct, in the order of their codes, which follow the
    # lexical order of names (a null claimant first, as polars sorts nulls)
    key, code, real, _ = tables.distinct_values(swing_key, swing_rows, claimant, codes)
    claimants = tables.grouped_lists(key, encoded.claimants.gather(_nullable(code)), real)
    return intervals, _swing_table(encoded, out, swing_ids, n_swing, claimants, intervals)


def _interval_table(
    encoded: EncodedEvents,
    out: passes.FoldOutput,
    support: pl.Series,
    n_support: pl.Series,
    n_claimants: np.ndarray,
    dissent: pl.Series,
    n_dissent: pl.Series,
) -> pl.DataFrame:
    same_site_next = pl.col("site") == pl.col("site").shift(-1)
    frame = pl.DataFrame(
        {
            "site": out.interval_site,
            "controller": out.controller,
            "status": out.status.astype(np.int64),
            "start_earliest": _days(out.start_earliest),
            "start_latest": _days(out.start_latest),
            "open_start": out.open_start,
            "siege": out.siege,
            "support": _rounded(out.interval_support),
        }
    )
    table = frame.select(
        site_id=pl.lit(encoded.sites).gather("site"),
        controller=pl.lit(encoded.actors).gather("controller"),
        status=pl.lit(pl.Series(STATUSES)).gather("status"),
        start_earliest="start_earliest",
        start_latest="start_latest",
        end_earliest=pl.when(same_site_next).then(pl.col("start_earliest").shift(-1)),
        end_latest=pl.when(same_site_next).then(pl.col("start_latest").shift(-1)),
        n_claims=n_support.cast(pl.UInt32),
        n_claimants=pl.Series(n_claimants).cast(pl.UInt32),
        claim_ids=support,
        open_start="open_start",
        siege="siege",
        support="support",
        n_dissents=n_dissent.cast(pl.UInt32),
        dissent_ids=dissent,
    )
    return enforce_schema(table, INTERVALS, "intervals")


def _swing_table(
    encoded: EncodedEvents,
    out: passes.FoldOutput,
    swing_ids: pl.Series,
    n_swing: pl.Series,
    claimants: pl.Series,
    intervals: pl.DataFrame,
) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "site": out.swing_site,
            "from_controller": _nullable(out.from_controller),
            "to_controller": out.to_controller,
            "window_start": _days(out.window_start),
            "window_end": _days(out.window_end),
            "support": _rounded(out.swing_support),
        }
    )
    dissent = intervals["dissent_ids"].gather(pl.Series(out.swing_interval))
    table = frame.select(
        site_id=pl.lit(encoded.sites).gather("site"),
        from_controller=pl.lit(encoded.actors).gather(pl.col("from_controller")),
        to_controller=pl.lit(encoded.actors).gather("to_controller"),
        window_start="window_start",
        window_end="window_end",
        n_claims=n_swing.cast(pl.UInt32),
        claimants=claimants,
        claim_ids=swing_ids,
        support="support",
        dissent_ids=dissent,
    )
    return enforce_schema(table, SWINGS, "swings")


def _nullable(codes: np.ndarray) -> pl.Series:
    series = pl.Series(codes)
    return series.set(series == passes.NONE, None) if (codes == passes.NONE).any() else series


def _days(days: np.ndarray) -> pl.Series:
    series = pl.Series(days.astype(np.int32))
    missing = days == passes.NO_DAY
    if missing.any():
        series = series.set(pl.Series(missing), None)
    return series.cast(pl.Date)


def _rounded(ratio: np.ndarray) -> pl.Series:
    """Ratios rounded to 6 decimals exactly as Python's ``round`` does (NaN: null):
    the distinct values are few, so Python rounds each once."""
    series = pl.Series(ratio).fill_nan(None)
    distinct = series.drop_nulls().unique()
    if distinct.len() == 0:
        return series
    return series.replace_strict(
        distinct, pl.Series([round(x, 6) for x in distinct.to_list()], dtype=pl.Float64)
    )


def _code_of(names: pl.Series, name: str) -> int:
    """The code of ``name`` in a dictionary (``NONE``-less: -2, matching no code)."""
    at = names.index_of(name)
    return -2 if at is None else int(at)


def _claimant_weights(encoded: EncodedEvents, policy: Policy) -> np.ndarray:
    """Per claimant code, its weight (:func:`~engine.domain.weighing.weight_of`); the
    last entry, for a null claimant, the default."""
    names = encoded.claimants.to_list()
    return np.array([weight_of(name, 1.0, policy.weights) for name in names] + [1.0])


#: the per-event codes of the weighed replay read from the events' text (see
#: :func:`text_codes`): what a snapshot of the encoding may keep beside it
TEXT_CODES = pl.Schema({"kind": pl.Int8(), "fallback": pl.Boolean(), "words": pl.Int64()})


def text_codes(encoded: EncodedEvents) -> pl.DataFrame:
    """Per event row (schema :data:`TEXT_CODES`): ``kind`` (a code of
    :data:`~engine.domain.weighing_passes.KINDS`; ``OTHER``: none), ``fallback`` (its
    window was guessed from the publication day) and ``words`` (a code of the words of its
    quote, as :func:`~engine.domain.weighing._words` reads them; ``NONE``: none). They
    depend on the log alone: a snapshot of the encoding can keep them and hand them back
    with :func:`keep_text_codes`, so that a later process does not read the text again.

    Only the words of an outlet's own report make a voice (a named source's copies are
    grouped by source and dates), so only the records of claims an outlet asserts (in
    their record or a correction) have their words read."""
    return _text_codes(encoded, 0, {})


def _text_codes(encoded: EncodedEvents, first: int, said: dict[str, int]) -> pl.DataFrame:
    """:func:`text_codes` of the rows from ``first`` on, whose words are read only if
    their own rows (records, or later rows of claims recorded from ``first`` on) say an
    outlet asserts them; ``said`` (words -> code) is extended in place."""
    source, codes = encoded.source.slice(first), encoded.codes.slice(first)
    outlet = _code_of(encoded.claimants, "outlet")
    records = codes.filter(pl.col("claimant") == outlet)["claim"].drop_nulls().unique()
    texts = encoded.source["evidence_text"].gather(records).fill_null("")
    distinct = texts.unique()
    word_codes = []
    for text in distinct.to_list():
        words = _words(text)
        word_codes.append(said.setdefault(words, len(said)) if words else passes.NONE)
    words_of = texts.replace_strict(
        distinct, pl.Series(word_codes, dtype=pl.Int64), return_dtype=pl.Int64
    )
    # the exact kind from the encoding's marker code (which merges captured and withdrew,
    # and leaves attacked and any other kind null) and two comparisons of the names
    marker = codes["kind"].fill_null(-1).to_numpy()
    kind = np.full(codes.height, passes.OTHER, np.int8)
    kind[marker == MARKERS["partial"]] = passes.PARTIAL
    kind[marker == MARKERS["besieged"]] = passes.BESIEGED
    kind[marker == MARKERS["siege_broken"]] = passes.SIEGE_BROKEN
    withdrew = (source["kind"] == "withdrew").fill_null(False).to_numpy()
    changed = marker == MARKERS["captured"]
    kind[changed] = np.where(withdrew[changed], passes.WITHDREW, passes.CAPTURED)
    kind[(source["kind"] == "attacked").fill_null(False).to_numpy()] = passes.ATTACKED
    return pl.DataFrame(
        {
            "kind": kind,
            "fallback": (source["time_precision"] == FALLBACK).fill_null(False),
            "words": pl.repeat(passes.NONE, codes.height, dtype=pl.Int64, eager=True).scatter(
                records - first, words_of
            ),
        },
        schema=TEXT_CODES,
    )


def extend_text_codes(before: EncodedEvents, after: EncodedEvents) -> bool:
    """Give ``after`` (``before`` followed by new records, as
    :meth:`~engine.domain.encoding.EncodedEvents.extended` makes it) the
    :func:`text_codes` of ``before`` and of the new rows read alone: an append to a large
    site then reads its own text, not the site's again. Only where ``before`` made its
    codes itself (its words dictionary is kept) and every new row records a new claim (a
    correction of an earlier claim could make that claim's words read); False: nothing
    kept, the next replay of ``after`` makes them afresh."""
    text, said = before.__dict__.get(_TEXT), before.__dict__.get(_WORDS)
    new = after.codes.slice(before.height)
    if text is None or said is None or not bool((new["event"] == RECORDED).all()):
        return False
    more = dict(said)
    after.__dict__[_TEXT] = pl.concat([text, _text_codes(after, before.height, more)])
    after.__dict__[_WORDS] = more
    return True


def keep_text_codes(encoded: EncodedEvents, kept: pl.DataFrame) -> bool:
    """Adopt the :func:`text_codes` of ``encoded`` that a snapshot kept (made from the
    same events): later replays of this encoding do not make them again. A frame of
    another schema or height is refused (False) and nothing is kept."""
    if kept.schema != TEXT_CODES or kept.height != encoded.height:
        return False
    encoded.__dict__.pop(_KEPT, None)
    encoded.__dict__.pop(_WORDS, None)
    encoded.__dict__[_TEXT] = kept
    return True


_TEXT, _KEPT, _WORDS = "_weighed_text", "_weighed_codes", "_weighed_words"


def _per_event(encoded: EncodedEvents) -> dict[str, np.ndarray]:
    """The per-event arrays the compiled fold gathers from: :func:`text_codes` (made
    once per encoding, or adopted from a snapshot) and the encoding's own codes. Kept
    beside the encoding (it is frozen; its ``__dict__`` holds cached values)."""
    made = encoded.__dict__.get(_KEPT)
    if made is not None:
        return made
    text = encoded.__dict__.get(_TEXT)
    if text is None:
        said: dict[str, int] = {}
        text = encoded.__dict__[_TEXT] = _text_codes(encoded, 0, said)
        encoded.__dict__[_WORDS] = said
    codes = encoded.codes
    made = {
        "kind": text["kind"].to_numpy(),
        "fallback": text["fallback"].to_numpy(),
        "words": text["words"].to_numpy(),
        "denied": codes["denied"].fill_null(False).to_numpy(),
        "confidence": codes["confidence"].to_numpy(),
        "published": codes["published"].fill_null(passes.NO_DAY).to_numpy(),
    }
    encoded.__dict__[_KEPT] = made
    return made


class _SpecFolds(Mapping):
    """The specification's fold of a site, made when asked (``explain`` reads a site's
    claims' roles from it): the compiled fold keeps no roles."""

    def __init__(
        self, encoded: EncodedEvents, policy: Policy, heard: pl.DataFrame, sites: pl.Series
    ):
        self._encoded, self._policy, self._heard = encoded, policy, heard
        self._sites = sites.to_list()
        self._made: dict[str, SiteTimeline] = {}

    def __getitem__(self, site_id: str) -> SiteTimeline:
        if site_id not in self._made:
            code = self._encoded.sites.index_of(site_id)
            if code is None or site_id not in self._sites:
                raise KeyError(site_id)
            rows = self._heard.filter(pl.col("site") == code)
            claims = claims_table(self._encoded, rows).sort("seq")
            records = [_claim(row, self._policy) for row in _rows(claims)]
            self._made[site_id] = fold_site(site_id, records)
        return self._made[site_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sites)

    def __len__(self) -> int:
        return len(self._sites)
