"""The replay's sequential passes, compiled.

Three walks carry a little state from row to row: :func:`markers_of` (the open cluster
of a site), :func:`states_of` (a site's holder so far) and :func:`support_of` (where
each run's claims go); two orderings exploit what the data already are:
:func:`site_start_order` merges two sorted runs, :func:`marker_order` finishes an
almost sorted sequence. A columnar engine expresses each walk as several window queries
over the whole table, each with its own pass and buffers, and each ordering as a full
sort; here each is one loop, which numba compiles to machine code on first use and
keeps on disk (``cache=True``), so later processes load it.

Compiling costs seconds (10-20 s for all of them on a busy machine) and loading the
compiled code from numba's cache still a few hundred milliseconds, while the same loops
in plain Python take microseconds a row: below :data:`COMPILE_FROM` rows a pass runs as
the plain Python function it is written as (``.py_func``, the same code), and numba is
not even imported. ``make`` fills the cache (:func:`engine.domain.warm_up.compile_passes`), so the first large
replay on a machine does not wait either. The plain and the compiled runs agree on every
log hypothesis generates (tests/properties/test_compiled_passes.py).

The functions take and return numpy arrays (polars hands its columns over without a
copy) and know nothing of names or frames: :mod:`engine.domain.replay` prepares their
input and reads their output. ``NONE`` (-1) stands for a null code throughout.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

NONE = -1
#: markers (engine.domain.encoding.MARKERS), restated here for the compiled code
SWING, CONTEST, SIEGE_ON, SIEGE_OFF = 0, 1, 2, 3
#: states (engine.domain.vocabulary.STATUSES)
HELD, CONTESTED, BESIEGED, UNKNOWN = 0, 1, 2, 3

#: from this many rows (the length of a pass's first array) on, a pass runs compiled.
#: Measured (bench/small_logs.py): a strict replay in plain Python costs 3-8 us a claim
#: more than compiled (82 against 14 ms at 20k claims), loading the compiled passes from
#: numba's cache 1-2 s once a process, compiling them 8-20 s: below 10k believed claims
#: a replay stays well under 0.1 s plain
COMPILE_FROM = 10_000

_HELPERS: list[Callable] = []
_COMPILED: dict[str, Any] = {}
_COMPILING = threading.Lock()


def _helper(fn: Callable) -> Callable:
    """A loop the passes call: plain Python when they are, inlined when they compile."""
    _HELPERS.append(fn)
    return fn


def _pass(fn: Callable | None = None, *, writes: tuple[int, ...] = ()) -> Any:
    """``fn`` as it is below :data:`COMPILE_FROM` rows, compiled by numba from there on.

    ``writes``: the positions of the arrays it writes into; the others reach the compiled
    code read-only and integers as Python ints, so its argument types (what numba
    compiles and caches one machine code for) never depend on where the arrays came from
    (polars hands over read-only buffers, or writeable copies when a column has chunks)."""
    if fn is None:
        return functools.partial(_pass, writes=writes)
    plain = fn

    @functools.wraps(plain)
    def run(*args: Any) -> Any:
        if len(args[0]) < COMPILE_FROM:
            return plain(*args)
        return compiled(plain)(
            *(_as_read(arg) if i not in writes else arg for i, arg in enumerate(args))
        )

    run.py_func = plain  # type: ignore[attr-defined]  # as numba names it
    return run


def _as_read(arg: Any) -> Any:
    if isinstance(arg, np.ndarray):
        if not arg.flags.writeable:
            return arg
        view = arg.view()  # no copy
        view.flags.writeable = False
        return view
    if isinstance(arg, int | np.integer) and not isinstance(arg, bool | np.bool_):
        return int(arg)
    return arg


def compiled(fn: Callable) -> Any:
    """The numba dispatcher of a pass (compiled on first call, kept on disk)."""
    name = getattr(fn, "py_func", fn).__name__
    if name not in _COMPILED:
        with _COMPILING:  # the walks of a large replay start on two threads at once
            if name not in _COMPILED:
                from numba import njit
                from numba.extending import register_jitable

                if not _COMPILED:  # the helpers first: the passes find them compiled
                    for helper in _HELPERS:
                        register_jitable(helper)
                _COMPILED[name] = njit(cache=True, nogil=True)(getattr(fn, "py_func", fn))
    return _COMPILED[name]


@_pass
def site_start_order(key: np.ndarray) -> np.ndarray:
    """Rows in ``key`` order, stable. Believed claims come in two sorted runs (the
    untouched claims, then the revised ones), which a merge orders in one pass; any
    other input is sorted."""
    n, split = key.size, -1
    for i in range(1, n):
        if key[i] < key[i - 1]:
            if split >= 0:
                return np.argsort(key, kind="mergesort").astype(np.int32)
            split = i
    if split < 0:
        return np.arange(n, dtype=np.int32)
    order = np.empty(n, np.int32)
    a, b = 0, split
    for k in range(n):  # ties: the first run's row first, as a stable sort would
        if b == n or (a < split and key[a] <= key[b]):
            order[k], a = a, a + 1
        else:
            order[k], b = b, b + 1
    return order


@_pass(writes=(9,))  # claim_marker
def markers_of(order, site, kind, start, end, gainer, loser, seq, unknown, claim_marker, first):
    """The markers of a replay, and for each claim the marker it supports.

    Walks the claims in ``order`` (by site, then start). Transitions whose windows
    overlap, transitively, within a site form one cluster: a new one begins where a
    window starts after every earlier one of its site has ended. A cluster whose
    known gainers (not ``unknown``) agree is a swing to that gainer, else a contest;
    its window is the intersection of its claims' windows when they share a day,
    else their union. Every other marker (partial, siege on, siege off) stands alone.

    Writes ``claim_marker`` for the claims in ``order`` (by row: the number of the
    marker it supports, counting from ``first``; ``NONE`` if it raises none), so that
    walks over different sites can share it. Returns per marker, in the order they
    are numbered: site, kind, controller (a swing's; ``NONE`` otherwise), loser_hint
    (the least loser named other than the gainer), start_earliest, start_latest and
    order_seq (the least seq: distinct across markers).
    """
    n = order.size
    # room for a marker per claim, left unwritten: memory is only touched (a page
    # fault per 4 KiB, most of this pass's time when the arrays were filled up front)
    # where a marker is stored
    m_site, m_kind = np.empty(n, np.int32), np.empty(n, np.int8)
    m_controller, m_loser = np.empty(n, np.int32), np.empty(n, np.int32)
    m_from, m_to, m_seq = np.empty(n, np.int32), np.empty(n, np.int32), np.empty(n, np.int64)
    count = 0
    # the open cluster: its marker, its windows' bounds, its known gainers
    open_, lo_from, hi_from, lo_to, hi_to, known_lo, known_hi = NONE, 0, 0, 0, 0, NONE, NONE
    for k in range(n + 1):
        i = order[k] if k < n else NONE
        if i != NONE and kind[i] == NONE:  # attacked: changes nothing
            claim_marker[i] = NONE
            continue
        joins = (
            i != NONE
            and kind[i] == SWING
            and open_ != NONE
            and site[i] == m_site[open_]
            and start[i] <= hi_to
        )
        if open_ != NONE and not joins and (i == NONE or kind[i] == SWING):
            # the open cluster is complete: a swing or a contest, and its window
            contest = known_lo != NONE and known_lo != known_hi
            m_kind[open_] = CONTEST if contest else SWING
            m_controller[open_] = NONE if contest else (known_lo if known_lo != NONE else unknown)
            agree = hi_from <= lo_to
            m_from[open_] = hi_from if agree else lo_from
            m_to[open_] = lo_to if agree else hi_to
            open_ = NONE
        if i == NONE:
            break
        if kind[i] != SWING:  # a marker of its own
            m_site[count], m_kind[count] = site[i], kind[i]
            m_controller[count], m_loser[count] = NONE, NONE
            m_from[count], m_to[count], m_seq[count] = start[i], end[i], seq[i]
            claim_marker[i], count = first + count, count + 1
            continue
        if not joins:  # a window that starts after every earlier one of its site ended
            open_, count = count, count + 1
            m_site[open_], m_seq[open_], m_loser[open_] = site[i], seq[i], NONE
            lo_from, lo_to, hi_to, known_lo, known_hi = start[i], end[i], end[i], NONE, NONE
        hi_from = start[i]  # the claims come by start: the last is the latest
        lo_to, hi_to = min(lo_to, end[i]), max(hi_to, end[i])
        m_seq[open_] = min(m_seq[open_], seq[i])
        if gainer[i] != NONE and gainer[i] != unknown:
            known_lo = gainer[i] if known_lo == NONE else min(known_lo, gainer[i])
            known_hi = max(known_hi, gainer[i])
        if loser[i] != NONE and gainer[i] != NONE and loser[i] != gainer[i]:
            hint = m_loser[open_]
            m_loser[open_] = loser[i] if hint == NONE else min(hint, loser[i])
        claim_marker[i] = first + open_
    return (
        m_site[:count],
        m_kind[:count],
        m_controller[:count],
        m_loser[:count],
        m_from[:count],
        m_to[:count],
        m_seq[:count],
    )


@_pass
def marker_order(site, start_earliest, start_latest, order_seq, budget):
    """The markers' replay order, by (site, start_earliest, start_latest, order_seq),
    and whether it was found within ``budget`` moves.

    :func:`markers_of` makes them nearly in that order already (walking claims by site
    and start; only a cluster whose claims agree on a window that begins at its latest
    claim's start falls behind the markers it overlaps), so an insertion sort does a
    few moves a marker. Input that would need more than ``budget`` gets ``False``:
    sort it otherwise."""
    order = np.arange(site.size, dtype=np.int32)
    moves = 0
    for j in range(1, site.size):
        marker, h = order[j], j - 1
        while h >= 0 and _after(order[h], marker, site, start_earliest, start_latest, order_seq):
            order[h + 1] = order[h]
            h -= 1
        moves += j - 1 - h
        order[h + 1] = marker
        if moves > budget:
            return order, False
    return order, True


@_helper
def _after(a, b, site, start_earliest, start_latest, order_seq):
    if site[a] != site[b]:
        return site[a] > site[b]
    if start_earliest[a] != start_earliest[b]:
        return start_earliest[a] > start_earliest[b]
    if start_latest[a] != start_latest[b]:
        return start_latest[a] > start_latest[b]
    return order_seq[a] > order_seq[b]


@_pass
def states_of(site, kind, controller, unknown):
    """The state after each marker, markers in replay order (by site, then window).

    A swing sets the holder and ends any contest or siege; a contest lasts until the
    next swing, a siege until it is broken or the next swing. Returns per marker:
    holder and previous_holder (``NONE``: none yet), controller (the holder, or
    ``unknown``), status, run (the number of its run of equal (site, controller,
    status)), and changed (a swing to a new holder, or a site's first).
    """
    m = site.size
    holder, previous = np.empty(m, np.int32), np.empty(m, np.int32)
    state, status = np.empty(m, np.int32), np.empty(m, np.int8)
    run, changed = np.empty(m, np.int32), np.zeros(m, np.bool_)
    current, runs = NONE, -1
    last_swing = last_contest = last_siege_on = last_siege_off = NONE
    for r in range(m):
        first = r == 0 or site[r] != site[r - 1]
        if first:
            current = NONE
            last_swing = last_contest = last_siege_on = last_siege_off = NONE
        previous[r] = NONE if first else current
        if kind[r] == SWING:
            last_swing, current = r, controller[r]
            changed[r] = first or previous[r] == NONE or previous[r] != current
        elif kind[r] == CONTEST:
            last_contest = r
        elif kind[r] == SIEGE_ON:
            last_siege_on = r
        else:
            last_siege_off = r
        holder[r] = current
        state[r] = current if current != NONE else unknown
        if last_contest > last_swing:
            status[r] = CONTESTED
        elif last_siege_on > max(last_siege_off, last_swing):
            status[r] = BESIEGED
        elif state[r] == unknown:
            status[r] = UNKNOWN
        else:
            status[r] = HELD
        if first or state[r] != state[r - 1] or status[r] != status[r - 1]:
            runs += 1
        run[r] = runs
    return holder, previous, state, status, run, changed


@_pass
def support_of(order, claim_marker, record, claimant, marker_run, marker_changed, runs):
    """The claims behind markers, by run and within a run in log order: per claim its
    ``record``, ``claimant``, ``run`` and ``swing`` (its marker changed the holder).

    Only the claims in ``order`` (by site and start): walks over different sites give
    runs that follow one another. They are dealt into their runs in that order, in
    which the runs mostly follow one another too, so the writes stay close together;
    then each run is put in log order: an insertion sort for the many short runs, a
    radix sort for the long ones. (Visiting the claims in log order instead reads and
    writes all over arrays as large as the log: three times slower at 10M.)"""
    offsets = np.zeros(runs + 1, np.int64)
    for k in range(order.size):
        marker = claim_marker[order[k]]
        if marker != NONE:
            offsets[marker_run[marker] + 1] += 1
    offsets = np.cumsum(offsets)
    rows, row_run = np.empty(offsets[runs], np.int32), np.empty(offsets[runs], np.int32)
    fill = offsets[:runs].copy()
    for k in range(order.size):
        i = order[k]
        if claim_marker[i] != NONE:
            run = marker_run[claim_marker[i]]
            rows[fill[run]], row_run[fill[run]] = i, run
            fill[run] += 1
    longest = np.max(offsets[1:] - offsets[:-1]) if runs else 0
    scratch = np.empty((3, longest if longest > _SHORT else 0), np.int64)
    for run in range(runs):
        segment = rows[offsets[run] : offsets[run + 1]]
        if segment.size <= _SHORT:
            _insertion_sort_by(segment, record)
        else:
            _radix_sort_by(segment, record, scratch)
    return record[rows], claimant[rows], row_run, marker_changed[claim_marker[rows]]


#: runs up to this long are insertion sorted (measured: from 64 to 512 it hardly matters)
_SHORT = 128
_DIGIT = 12  # bits per radix pass: 4096 counters stay in the fastest cache


@_helper
def _insertion_sort_by(rows, key):
    """``rows`` in place, in the order of their ``key``."""
    for j in range(1, rows.size):
        row, k, h = rows[j], key[rows[j]], j - 1
        while h >= 0 and key[rows[h]] > k:
            rows[h + 1] = rows[h]
            h -= 1
        rows[h + 1] = row


@_helper
def _radix_sort_by(rows, key, scratch):
    """``rows`` in place, in the order of their (non-negative) ``key``: a least
    significant digit first radix sort, each pass stable; ``scratch``: 3 x len(rows)."""
    n, mask = rows.size, (1 << _DIGIT) - 1
    keys, other_keys, other_rows = scratch[0, :n], scratch[1, :n], scratch[2, :n]
    top = 0
    for j in range(n):
        keys[j] = key[rows[j]]
        top = max(top, keys[j])
    current = rows.astype(np.int64)
    counts = np.empty(mask + 2, np.int64)
    shift = 0
    while (top >> shift) > 0:
        counts[:] = 0
        for j in range(n):
            counts[((keys[j] >> shift) & mask) + 1] += 1
        counts = np.cumsum(counts)
        for j in range(n):
            digit = (keys[j] >> shift) & mask
            at = counts[digit]
            other_rows[at], other_keys[at] = current[j], keys[j]
            counts[digit] = at + 1
        current, other_rows = other_rows, current
        keys, other_keys = other_keys, keys
        shift += _DIGIT
    rows[:] = current
