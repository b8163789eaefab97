"""The weighed fold (:mod:`engine.domain.weighing`), compiled: the same rules over arrays.

:mod:`engine.domain.weighing` is the specification, written to be read; this module
restates it over integer and float arrays so that numba compiles it (``cache=True``:
later processes load the machine code). Each step below names the function of the
specification it follows, and keeps its order of work wherever the answer depends on it:
the order in which weights are summed (a float sum depends on it, and a comparison on
the sum), the order of ties, which marker a claim is filed under.

The boundary is typed: :class:`FoldInput` (one row per heard claim, grouped by site,
each site's claims in log order) in, :class:`FoldOutput` (the intervals and swings of
every site, and where each claim went) out. Names and text never cross it: sites,
actors and claimants are codes, dates are day numbers, and the voice of each claim is
computed before (:mod:`engine.domain.replay_weighed` does, the way
:func:`~engine.domain.weighing.split_voices` groups copies). The property tests
(tests/properties/) check that the tables built from both agree on generated logs.
"""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numba import njit

from engine.domain.weighing import (
    CONTEST_RATIO,
    DATED_LAG_DAYS,
    DATED_WIDTH_DAYS,
    LAPSE_DAYS,
    NEAR_DAYS,
)

NONE = -1
#: a missing day (an open start, an undated start): below every real day number
NO_DAY = np.iinfo(np.int32).min
#: claim kinds
CAPTURED, WITHDREW, PARTIAL, BESIEGED, SIEGE_BROKEN, ATTACKED, OTHER = range(7)
KINDS = ("captured", "withdrew", "partial", "besieged", "siege_broken", "attacked")
#: marker actions, in the order they apply on one day (weighing.CONTEST_ON...)
CONTEST_ON, SWING, PARTIAL_ON, SIEGE_OFF, SIEGE_ON = range(5)
#: statuses, in the order of engine.domain.vocabulary.STATUSES
HELD, CONTESTED, BESIEGED_STATUS, UNKNOWN_STATUS = range(4)
#: day numbers shifted to be positive (year 1 is day -719162) for packed sort keys
_SHIFT = 1 << 21


@dataclass(frozen=True)
class FoldInput:
    """The heard claims of a weighed replay, one row each, grouped by site (sites in
    order, ``bounds[s]:bounds[s + 1]`` the rows of site ``s``), each site's rows in log
    order. Codes: ``NONE`` for a null actor; ``kind`` one of ``KINDS`` (``OTHER``:
    none); days since 1970-01-01 (``published``: ``NO_DAY`` if unknown)."""

    bounds: np.ndarray  # int64, sites + 1
    kind: np.ndarray  # int8
    gainer: np.ndarray  # int32
    loser: np.ndarray  # int32
    valid_from: np.ndarray  # int32
    valid_to: np.ndarray  # int32
    published: np.ndarray  # int32
    fallback: np.ndarray  # bool: a window guessed from the publication day
    denied: np.ndarray  # bool: weighs against the change it denies
    share: np.ndarray  # float64: its part of its voice's weight (split_voices)
    unknown: int  # the code of the actor "unknown"


@dataclass(frozen=True)
class FoldOutput:
    """What the fold made of :class:`FoldInput`.

    Per claim (rows of the input): ``interval`` (the row of the interval it supports or
    dissents from, ``NONE``: none), ``supports`` and ``swing`` (the row of the swing whose
    claims it is among, ``NONE``: none). Per interval, in site order: ``site`` (the
    site's position in the input's bounds), ``controller``, ``status``, start days
    (``NO_DAY``: none), ``open_start``, ``siege``, ``support`` (agreeing over agreeing
    and dissenting weight, unrounded; NaN: no evidence). Per swing: ``site``,
    ``from_controller`` (``NONE``: none), ``to_controller``, window days, ``interval``
    (whose dissents it lists) and ``support`` (unrounded; NaN: no evidence)."""

    interval: np.ndarray
    supports: np.ndarray
    swing: np.ndarray
    interval_site: np.ndarray
    controller: np.ndarray
    status: np.ndarray
    start_earliest: np.ndarray
    start_latest: np.ndarray
    open_start: np.ndarray
    siege: np.ndarray
    interval_support: np.ndarray
    swing_site: np.ndarray
    from_controller: np.ndarray
    to_controller: np.ndarray
    window_start: np.ndarray
    window_end: np.ndarray
    swing_interval: np.ndarray
    swing_support: np.ndarray


def fold_sites(data: FoldInput, threads: int = 1) -> FoldOutput:
    """Fold every site of ``data`` (see :func:`engine.domain.weighing.fold_site`); with
    ``threads`` > 1, the sites in that many parts of about equal claims, each folded on
    its own thread (the compiled fold releases the GIL; sites are independent)."""
    cuts = [0, data.bounds.size - 1]
    if threads > 1:
        wanted = np.arange(1, threads) * (data.bounds[-1] / threads)
        inner = np.searchsorted(data.bounds, wanted).tolist()
        cuts = sorted({0, *inner, data.bounds.size - 1})
    parts = list(itertools.pairwise(cuts))
    if len(parts) == 1:
        return FoldOutput(*_fold_part(data, 0, cuts[-1]))
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        made = list(pool.map(lambda part: _fold_part(data, *part), parts))
    # rows of a later part's intervals and swings come after the earlier parts'
    intervals = np.cumsum([0] + [m[4].size for m in made[:-1]])
    swings = np.cumsum([0] + [m[11].size for m in made[:-1]])
    columns = []
    for k in range(len(made[0])):
        pieces = []
        for m, i0, s0, (first, _) in zip(made, intervals, swings, parts, strict=True):
            x = m[k]
            if k in (0, 16):  # interval rows
                x = np.where(x == NONE, NONE, x + i0)
            elif k == 2:  # swing rows
                x = np.where(x == NONE, NONE, x + s0)
            elif k in (3, 11):  # sites
                x = x + first
            pieces.append(x)
        columns.append(np.concatenate(pieces))
    return FoldOutput(*columns)


def _fold_part(data: FoldInput, first: int, last: int) -> tuple:
    """The fold of sites ``first``..``last - 1`` (sites numbered from ``first``)."""
    a, b = int(data.bounds[first]), int(data.bounds[last])
    return _fold_sites(
        (data.bounds[first : last + 1] - a).astype(np.int64),
        data.kind[a:b].astype(np.int8),
        data.gainer[a:b].astype(np.int32),
        data.loser[a:b].astype(np.int32),
        data.valid_from[a:b].astype(np.int32),
        data.valid_to[a:b].astype(np.int32),
        data.published[a:b].astype(np.int32),
        data.fallback[a:b].astype(np.bool_),
        data.denied[a:b].astype(np.bool_),
        data.share[a:b].astype(np.float64),
        np.int32(data.unknown),
        np.array(
            [DATED_WIDTH_DAYS, DATED_LAG_DAYS, NEAR_DAYS, CONTEST_RATIO, LAPSE_DAYS], np.float64
        ),
    )


@njit(cache=True, nogil=True)
def shares_by_voice(
    bounds, outlet, kind, gainer, denied, claimant, start, end, words, weight
):  # pragma: no cover - compiled
    """Each claim's part of its voice's weight (:func:`~engine.domain.weighing.split_voices`):
    the largest weight among the copies of a voice, split evenly between them.

    Rows are grouped by site (``bounds``), each site's rows in log order. A claim's voice
    is the first claim of its site with the same key (:func:`~engine.domain.weighing._voice_key`):
    ``kind``, ``gainer``, ``denied`` and, for a named source (``outlet`` false), the
    ``claimant`` and the window (``start``, ``end``); for an outlet's own report, the
    ``words`` of its quote (a code; ``NONE``: a voice of its own). One open-addressing
    table per site (small, so it stays in cache), by a hash of the key; a hit is
    confirmed field by field."""
    n = kind.size
    voice = np.empty(n, np.int64)
    most = 0
    for s in range(bounds.size - 1):
        most = max(most, bounds[s + 1] - bounds[s])
    size = 16
    while size < 2 * most:
        size *= 2
    table = np.full(size, NONE, np.int64)
    used = np.empty(most + 1, np.int64)
    for s in range(bounds.size - 1):
        a, b = bounds[s], bounds[s + 1]
        mask = 16
        while mask < 2 * (b - a):
            mask *= 2
        mask -= 1
        n_used = 0
        for i in range(a, b):
            own = outlet[i]
            if own and words[i] == NONE:
                voice[i] = i
                continue
            x = np.uint64(1469598103934665603) ^ np.uint64(kind[i] & 0xFF)
            x = (x ^ np.uint64(gainer[i] & 0xFFFFFFFF)) * np.uint64(1099511628211)
            x = (x ^ np.uint64(np.int64(denied[i]) + 2 * np.int64(own))) * np.uint64(1099511628211)
            if own:
                x = (x ^ np.uint64(words[i] & 0xFFFFFFFFFFFF)) * np.uint64(1099511628211)
            else:
                x = (x ^ np.uint64(claimant[i] & 0xFFFFFFFF)) * np.uint64(1099511628211)
                x = (x ^ np.uint64(start[i] & 0xFFFFFFFF)) * np.uint64(1099511628211)
                x = (x ^ np.uint64(end[i] & 0xFFFFFFFF)) * np.uint64(1099511628211)
            slot = np.int64((x ^ (x >> np.uint64(31))) & np.uint64(mask))
            while True:
                j = table[slot]
                if j == NONE:
                    table[slot], voice[i] = i, i
                    used[n_used] = slot
                    n_used += 1
                    break
                same = (
                    outlet[j] == own
                    and kind[j] == kind[i]
                    and gainer[j] == gainer[i]
                    and denied[j] == denied[i]
                )
                if same and own:
                    same = words[j] == words[i]
                elif same:
                    same = claimant[j] == claimant[i] and start[j] == start[i] and end[j] == end[i]
                if same:
                    voice[i] = j
                    break
                slot = (slot + 1) & mask
        for k in range(n_used):
            table[used[k]] = NONE
    heaviest = np.zeros(n, np.float64)
    copies = np.zeros(n, np.int64)
    for i in range(n):
        v = voice[i]
        heaviest[v] = weight[i] if copies[v] == 0 else max(heaviest[v], weight[i])
        copies[v] += 1
    share = np.empty(n, np.float64)
    for i in range(n):
        share[i] = heaviest[voice[i]] / copies[voice[i]]
    return share


@njit(cache=True, nogil=True)
def by_site(site, record, sites, records):  # pragma: no cover - compiled
    """Rows grouped by ``site`` (codes 0..sites-1), each site's rows by ``record`` (their
    rows in a log of ``records`` events: log order); and the bounds of each site's rows.
    Two counting passes: by record, then (stably) by site."""
    n = site.size
    at_record = np.full(records, NONE, np.int64)
    for i in range(n):
        at_record[record[i]] = i
    counts = np.zeros(sites + 1, np.int64)
    for i in range(n):
        counts[site[i] + 1] += 1
    bounds = np.cumsum(counts)
    at = bounds[:-1].copy()
    order = np.empty(n, np.int64)
    for r in range(records):
        i = at_record[r]
        if i != NONE:
            order[at[site[i]]] = i
            at[site[i]] += 1
    return order, bounds


@njit(cache=True, nogil=True)
def _sort_by(key, rows, n):  # pragma: no cover - compiled
    """``rows[:n]`` and ``key[:n]`` reordered by key, stably (ties keep their order):
    an insertion sort in place for the few claims of most sites, a merge sort beyond."""
    if n > 24:
        order = np.argsort(key[:n], kind="mergesort")
        rows[:n] = rows[:n][order]
        key[:n] = key[:n][order]
        return
    for i in range(1, n):
        k, r = key[i], rows[i]
        j = i - 1
        while j >= 0 and key[j] > k:
            key[j + 1], rows[j + 1] = key[j], rows[j]
            j -= 1
        key[j + 1], rows[j + 1] = k, r


@njit(cache=True, nogil=True)
def _sum_list(head, nxt, share):  # pragma: no cover - compiled
    total = 0.0
    p = head
    while p != NONE:
        total += share[p]
        p = nxt[p]
    return total


@njit(cache=True, nogil=True)
def _near(k, j, first, last, near):  # pragma: no cover - compiled
    return first[k] <= last[j] + near and first[j] <= last[k] + near


@njit(cache=True, nogil=True)
def _weight_near(j, k, head, nxt, vf, vt, share, first, last, against, near):  # pragma: no cover
    """Run.weight_near: run ``j``'s weight at the days of run ``k``."""
    total = 0.0
    p = head[j]
    while p != NONE:
        if vf[p] <= last[k] + near and first[k] <= vt[p] + near:
            total += share[p]
        p = nxt[p]
    return max(0.0, total - against[j])


@njit(cache=True, nogil=True)
def _heap_less(heap, a, b):  # pragma: no cover - compiled
    for f in range(5):
        if heap[a, f] != heap[b, f]:
            return heap[a, f] < heap[b, f]
    return False


@njit(cache=True, nogil=True)
def _heap_push(heap, size, w, k, j, vk, vj):  # pragma: no cover - compiled
    if size == heap.shape[0]:
        bigger = np.empty((2 * heap.shape[0], 5), np.float64)
        bigger[:size] = heap[:size]
        heap = bigger
    heap[size, 0], heap[size, 1], heap[size, 2] = w, k, j
    heap[size, 3], heap[size, 4] = vk, vj
    c = size
    while c > 0:
        parent = (c - 1) // 2
        if not _heap_less(heap, c, parent):
            break
        for f in range(5):
            heap[c, f], heap[parent, f] = heap[parent, f], heap[c, f]
        c = parent
    return heap, size + 1


@njit(cache=True, nogil=True)
def _heap_top_before(heap, w, k, j, f):  # pragma: no cover - compiled
    """Whether the heap's top comes before the candidate ``f`` (weight, runs, versions 0)."""
    for field, value in enumerate((w[f], float(k[f]), float(j[f]), 0.0, 0.0)):
        if heap[0, field] != value:
            return heap[0, field] < value
    return False


@njit(cache=True, nogil=True)
def _stable_order(weight, n, order):  # pragma: no cover - compiled
    """The order of ``weight[:n]``, ties in their order (an insertion sort into
    ``order`` for a few, a merge sort beyond); empty if a weight is NaN."""
    for i in range(n):
        if np.isnan(weight[i]):
            return order[:0]
    if n > 24:
        return np.argsort(weight[:n], kind="mergesort")
    for i in range(n):
        j = i - 1
        while j >= 0 and weight[order[j]] > weight[i]:
            order[j + 1] = order[j]
            j -= 1
        order[j + 1] = i
    return order[:n]


@njit(cache=True, nogil=True)
def _heap_pop(heap, size, top):  # pragma: no cover - compiled
    for f in range(5):
        top[f] = heap[0, f]
    size -= 1
    for f in range(5):
        heap[0, f] = heap[size, f]
    c = 0
    while True:
        small, a, b = c, 2 * c + 1, 2 * c + 2
        if a < size and _heap_less(heap, a, small):
            small = a
        if b < size and _heap_less(heap, b, small):
            small = b
        if small == c:
            break
        for f in range(5):
            heap[c, f], heap[small, f] = heap[small, f], heap[c, f]
        c = small
    return size


@njit(cache=True, nogil=True)
def _loser_of(head, nxt, loser, share, gainer, unknown, weights, seen):  # pragma: no cover
    """weighing._loser over a run's claims: the loser they weigh most for, ties by code."""
    touched = 0
    p = head
    while p != NONE:
        a = loser[p]
        if a != NONE and a != unknown and a != gainer:
            if not seen[a]:
                seen[a], weights[a] = True, 0.0
            weights[a] += share[p]
            touched += 1
        p = nxt[p]
    best = NONE
    if touched:
        for a in range(seen.size):
            if seen[a]:
                if best == NONE or weights[a] > weights[best]:
                    best = a
                seen[a] = False
    return best


@njit(cache=True, nogil=True)
def _fold_sites(
    bounds, kind, gainer, loser, vf, vt, published, fallback, denied, share, unknown, rules
):  # pragma: no cover - compiled
    # the specification's constants come as an argument, not as globals: numba's cache
    # would keep the values it compiled with if weighing.py changed them
    widest_dated, latest, near, ratio = int(rules[0]), int(rules[1]), int(rules[2]), rules[3]
    lapse_days = int(rules[4])
    n = kind.size
    sites = bounds.size - 1
    most = 0
    for s in range(sites):
        most = max(most, bounds[s + 1] - bounds[s])
    actors = unknown + 1
    for i in range(n):
        actors = max(actors, gainer[i] + 1, loser[i] + 1)
    # per claim, out
    c_interval = np.full(n, NONE, np.int64)
    c_supports = np.zeros(n, np.bool_)
    c_swing = np.full(n, NONE, np.int64)
    # per interval and swing, out (a site has at most two markers per claim: a run's
    # swing and the lapse before it; one interval per marker and an open start)
    cap_i, cap_s = 2 * n + sites, 2 * n
    i_site = np.empty(cap_i, np.int64)
    i_ctrl = np.empty(cap_i, np.int32)
    i_status = np.empty(cap_i, np.int8)
    i_se = np.empty(cap_i, np.int32)
    i_sl = np.empty(cap_i, np.int32)
    i_open = np.empty(cap_i, np.bool_)
    i_siege = np.empty(cap_i, np.bool_)
    i_support = np.empty(cap_i, np.float64)
    s_site = np.empty(cap_s, np.int64)
    s_from = np.empty(cap_s, np.int32)
    s_to = np.empty(cap_s, np.int32)
    s_se = np.empty(cap_s, np.int32)
    s_sl = np.empty(cap_s, np.int32)
    s_interval = np.empty(cap_s, np.int64)
    s_support = np.empty(cap_s, np.float64)
    n_i, n_s = 0, 0
    # scratch, by a site's claim (p) or run or marker; reused site after site
    m1 = most + 1
    dated = np.zeros(m1, np.bool_)
    speaking = np.zeros(m1, np.bool_)
    overruled = np.zeros(m1, np.bool_)
    nxt = np.full(m1, NONE, np.int64)
    run_of = np.full(m1, NONE, np.int64)
    c_mark = np.full(m1, NONE, np.int64)
    c_cmark = np.full(m1, NONE, np.int64)
    r_gainer = np.empty(m1, np.int32)
    r_first = np.empty(m1, np.int64)
    r_last = np.empty(m1, np.int64)
    r_said = np.empty(m1, np.float64)
    r_against = np.empty(m1, np.float64)
    r_head = np.empty(m1, np.int64)
    r_tail = np.empty(m1, np.int64)
    r_s = np.empty(m1, np.int64)
    r_e = np.empty(m1, np.int64)
    r_lapse = np.empty(m1, np.int32)  # the side that had the site back (NONE: no lapse)
    r_lapse_from = np.empty(m1, np.int64)
    r_lapse_to = np.empty(m1, np.int64)
    # the runs split at lapses, before they replace the runs (rule 6)
    q_gainer = np.empty(m1, np.int32)
    q_head = np.empty(m1, np.int64)
    q_tail = np.empty(m1, np.int64)
    q_first = np.empty(m1, np.int64)
    q_last = np.empty(m1, np.int64)
    q_said = np.empty(m1, np.float64)
    q_against = np.empty(m1, np.float64)
    q_lapse = np.empty(m1, np.int32)
    q_lapse_from = np.empty(m1, np.int64)
    q_lapse_to = np.empty(m1, np.int64)
    g_runs = np.empty(m1, np.int64)
    left = np.empty(m1, np.int64)
    right = np.empty(m1, np.int64)
    alive = np.empty(m1, np.bool_)
    version = np.empty(m1, np.int64)
    cap_m = 2 * m1 + 2
    mk_se = np.empty(cap_m, np.int64)
    mk_sl = np.empty(cap_m, np.int64)
    mk_action = np.empty(cap_m, np.int64)
    mk_actor = np.empty(cap_m, np.int64)
    mk_loser = np.empty(cap_m, np.int64)
    mk_head = np.empty(cap_m, np.int64)
    mk_at = np.empty(cap_m, np.int64)
    mk_swing = np.empty(cap_m, np.int64)
    walked = np.empty(cap_m, np.int64)
    li_ctrl = np.empty(cap_m, np.int32)
    li_status = np.empty(cap_m, np.int8)
    li_se = np.empty(cap_m, np.int32)
    li_sl = np.empty(cap_m, np.int32)
    li_open = np.empty(cap_m, np.bool_)
    li_siege = np.empty(cap_m, np.bool_)
    li_agree = np.empty(cap_m, np.float64)
    li_against = np.empty(cap_m, np.float64)
    ls_marker = np.empty(cap_m, np.int64)
    ls_from = np.empty(cap_m, np.int32)
    weights = np.zeros(actors, np.float64)
    g_off = np.zeros(actors + 1, np.int64)
    g_at = np.zeros(actors, np.int64)
    seen = np.zeros(actors, np.bool_)
    heap = np.empty((64, 5), np.float64)
    first_w = np.empty(2 * m1, np.float64)
    first_k = np.empty(2 * m1, np.int64)
    first_j = np.empty(2 * m1, np.int64)
    first_order = np.empty(2 * m1, np.int64)
    rows_a = np.empty(cap_m, np.int64)
    key_a = np.empty(cap_m, np.int64)
    rows_b = np.empty(cap_m, np.int64)
    key_b = np.empty(cap_m, np.int64)
    burst_w = np.empty(m1, np.float64)
    c_swing_scratch = np.empty(m1, np.int64)
    top = np.empty(5, np.float64)
    for s in range(sites):
        a, b = bounds[s], bounds[s + 1]
        m = b - a
        if m == 0:
            continue
        K = kind[a:b]
        G = gainer[a:b]
        L = loser[a:b]
        F = vf[a:b]
        T = vt[a:b]
        W = share[a:b]
        X = denied[a:b]
        for p in range(m):
            lag = published[a + p] - T[p] if published[a + p] != NO_DAY else 0
            dated[p] = not fallback[a + p] and T[p] - F[p] + 1 <= widest_dated and lag <= latest
            overruled[p], nxt[p], run_of[p], c_mark[p], c_cmark[p] = False, NONE, NONE, NONE, NONE
        # rule 2: a back-reference speaks of when only where nothing dated does
        n_dated = 0
        for p in range(m):
            if (K[p] == CAPTURED or K[p] == WITHDREW) and dated[p] and not X[p]:
                n_dated += 1
        d_rows, starts, reach = rows_a, key_a, key_b
        q = 0
        for p in range(m):
            if (K[p] == CAPTURED or K[p] == WITHDREW) and dated[p] and not X[p]:
                d_rows[q], starts[q] = p, F[p]
                q += 1
        _sort_by(starts, d_rows, n_dated)
        for q in range(n_dated):
            reach[q] = T[d_rows[q]] if q == 0 else max(reach[q - 1], T[d_rows[q]])
        starts = starts[:n_dated]
        n_said = 0
        for p in range(m):
            transition = K[p] == CAPTURED or K[p] == WITHDREW
            speaking[p] = False
            if transition and not X[p]:
                if dated[p]:
                    speaking[p] = True
                elif not fallback[a + p]:
                    k = np.searchsorted(starts, T[p], side="right")
                    speaking[p] = not (k > 0 and reach[k - 1] >= F[p])
            if speaking[p] or (K[p] == PARTIAL and dated[p] and not X[p]):
                n_said += 1
        # rule 3: runs, by the day they say the change had happened by
        said, key = rows_a, key_a
        q = 0
        for p in range(m):
            if speaking[p] or (K[p] == PARTIAL and dated[p] and not X[p]):
                said[q] = p
                key[q] = ((np.int64(T[p]) + _SHIFT) << 23) | (np.int64(F[p]) + _SHIFT)
                q += 1
        _sort_by(key, said, n_said)
        nr = 0
        separated = False
        n_t = 0
        widest = 0
        for q in range(n_said):
            p = said[q]
            if K[p] == PARTIAL:
                separated = True
                continue
            said[n_t] = p  # the transitions, by valid_to, for the denials below
            n_t += 1
            widest = max(widest, T[p] - F[p])
            g = G[p] if G[p] != NONE and G[p] != unknown else NONE
            joins = (
                not separated
                and nr > 0
                and (
                    (g != NONE and g == r_gainer[nr - 1])
                    or (g == NONE and r_gainer[nr - 1] != L[p] and r_gainer[nr - 1] != unknown)
                )
            )
            if joins:
                r = nr - 1
                nxt[r_tail[r]] = p
                r_tail[r] = p
                r_first[r] = min(r_first[r], F[p])
                r_last[r] = max(r_last[r], T[p])
                r_said[r] += W[p]
                r_e[r] = n_t
            else:
                r = nr
                nr += 1
                r_gainer[r] = g if g != NONE else unknown
                r_head[r], r_tail[r] = p, p
                r_first[r], r_last[r] = F[p], T[p]
                r_said[r], r_against[r] = W[p], 0.0
                r_s[r], r_e[r] = n_t - 1, n_t
            run_of[p] = r
            separated = False
        # denials of the same change overlapping a run weigh against it (log order)
        t_vt = key_b
        for q in range(n_t):
            t_vt[q] = T[said[q]]
        t_vt = t_vt[:n_t]
        # (the runs of each gainer, in order: a denial visits only its gainer's runs
        # that its window can reach)
        g_off[:] = 0
        for r in range(nr):
            g_off[r_gainer[r] + 1] += 1
        for g in range(actors):
            g_off[g + 1] += g_off[g]
            g_at[g] = g_off[g]
        for r in range(nr):
            g_runs[g_at[r_gainer[r]]] = r
            g_at[r_gainer[r]] += 1
        for d in range(m):
            if not ((K[d] == CAPTURED or K[d] == WITHDREW) and X[d]):
                continue
            dg = G[d] if G[d] != NONE else unknown
            q = np.searchsorted(t_vt, F[d], side="left")
            if q >= n_t:
                continue
            # claims from q on end on or after the denial's first day: the first run
            # claim by claim, every later one by its earliest start
            r0 = run_of[said[q]]
            if r_gainer[r0] == dg:
                for pos in range(q, r_e[r0]):
                    if F[said[pos]] <= T[d]:
                        r_against[r0] += W[d]
                        break
            lo, hi = g_off[dg], g_off[dg + 1]
            k = lo + np.searchsorted(g_runs[lo:hi], r0, side="right")
            while k < hi:
                r = g_runs[k]
                if t_vt[r_s[r]] > T[d] + widest:
                    break
                if r_first[r] <= T[d]:
                    r_against[r] += W[d]
                k += 1
        # rule 4: overrule the weakest run a near neighbour outweighs (weighing._overrule)
        for r in range(nr):
            left[r], right[r], alive[r], version[r] = r - 1, r + 1, True, 0
        size = 0
        n_first = 0
        for k in range(nr):
            for j in (left[k], right[k]):
                if (
                    0 <= j < nr
                    and r_gainer[j] != r_gainer[k]
                    and _near(k, j, r_first, r_last, near)
                    and max(0.0, r_said[k] - r_against[k])
                    <= ratio
                    * _weight_near(j, k, r_head, nxt, F, T, W, r_first, r_last, r_against, near)
                ):
                    first_w[n_first] = max(0.0, r_said[k] - r_against[k])
                    first_k[n_first], first_j[n_first] = k, j
                    n_first += 1
        # (the first candidates come in (k, j) order with versions 0: sorted by weight,
        # stably, they are in the heap's order, and a sort costs less than a heap of
        # them; later candidates go on the heap, and the smaller head goes first)
        by_weight = _stable_order(first_w, n_first, first_order)
        if by_weight.size < n_first:
            # (a NaN weight, which shares of weights never make, orders differently in
            # the heap's comparisons: then every candidate goes on the heap, as it comes)
            for f in range(n_first):
                heap, size = _heap_push(heap, size, first_w[f], first_k[f], first_j[f], 0, 0)
            n_first = 0
        at_first = 0
        while size or at_first < n_first:
            if at_first < n_first and (
                size == 0
                or not _heap_top_before(heap, first_w, first_k, first_j, by_weight[at_first])
            ):
                f = by_weight[at_first]
                at_first += 1
                top[0], top[1], top[2], top[3], top[4] = first_w[f], first_k[f], first_j[f], 0, 0
            else:
                size = _heap_pop(heap, size, top)
            k, j, vk, vj = int(top[1]), int(top[2]), int(top[3]), int(top[4])
            if not (
                alive[k]
                and alive[j]
                and version[k] == vk
                and version[j] == vj
                and (j == left[k] or j == right[k])
            ):
                continue
            p = r_head[k]
            while p != NONE:
                overruled[p] = True
                p = nxt[p]
            alive[k] = False
            x, y = left[k], right[k]
            if 0 <= x:
                right[x] = y
            if y < nr:
                left[y] = x
            if 0 <= x and y < nr and r_gainer[x] == r_gainer[y]:
                r_said[x] += _sum_list(r_head[y], nxt, W)
                nxt[r_tail[x]] = r_head[y]
                r_tail[x] = r_tail[y]
                r_first[x] = min(r_first[x], r_first[y])
                r_last[x] = max(r_last[x], r_last[y])
                r_against[x] += r_against[y]
                alive[y] = False
                right[x] = right[y]
                if right[y] < nr:
                    left[right[y]] = x
                y = right[y]
            if 0 <= x:
                version[x] += 1
            if y < nr:
                version[y] += 1
            for mm in (x, y, left[x] if 0 <= x else -1, right[y] if y < nr else nr):
                if 0 <= mm < nr and alive[mm]:
                    for j in (left[mm], right[mm]):
                        if (
                            0 <= j < nr
                            and r_gainer[j] != r_gainer[mm]
                            and _near(mm, j, r_first, r_last, near)
                            and max(0.0, r_said[mm] - r_against[mm])
                            <= ratio
                            * _weight_near(
                                j, mm, r_head, nxt, F, T, W, r_first, r_last, r_against, near
                            )
                        ):
                            heap, size = _heap_push(
                                heap,
                                size,
                                max(0.0, r_said[mm] - r_against[mm]),
                                mm,
                                j,
                                version[mm],
                                version[j],
                            )
        # rule 6, a lapse (weighing._split_lapses): after the burst that dates a surviving
        # run's change, a dated burst taking the site from a named side more than
        # lapse_days after every earlier report of the run splits it there
        n_q, split = 0, False
        for r in range(nr):
            r_lapse[r] = NONE
            if not alive[r]:
                continue
            # (a run narrower than lapse_days cannot have a report begin more than
            # lapse_days after another's end: it is kept as it is, unsorted)
            n_parts, count = 1, 0
            if r_last[r] - r_first[r] > lapse_days:
                p = r_head[r]
                while p != NONE:
                    rows_b[count], key_b[count] = p, p
                    count += 1
                    p = nxt[p]
                _sort_by(key_b, rows_b, count)  # log order, then by (valid_to, valid_from)
                chosen = _bursts(rows_b, key_b, count, F, T, W, near, c_swing_scratch, burst_w)
                # the parts' first rows (key_b, reused), found before the run is relinked
                ends = np.iinfo(np.int64).min
                key_b[0] = 0
                for q in range(count):
                    p = rows_b[q]
                    opens = q == 0 or c_swing_scratch[q] != c_swing_scratch[q - 1]
                    if (
                        opens
                        and c_swing_scratch[q] > chosen
                        and dated[p]
                        and L[p] != NONE
                        and L[p] != unknown
                        and L[p] != r_gainer[r]
                        and F[p] > ends + lapse_days
                    ):
                        key_b[n_parts] = q
                        n_parts += 1
                    ends = max(ends, T[p])
            if n_parts == 1:
                q_gainer[n_q], q_head[n_q], q_tail[n_q] = r_gainer[r], r_head[r], r_tail[r]
                q_first[n_q], q_last[n_q] = r_first[r], r_last[r]
                q_said[n_q], q_against[n_q] = r_said[r], r_against[r]
                q_lapse[n_q], q_lapse_from[n_q], q_lapse_to[n_q] = NONE, 0, 0
                n_q += 1
                continue
            key_b[n_parts] = count
            split = True
            for k in range(n_parts):
                lo, hi = key_b[k], key_b[k + 1]
                q_gainer[n_q], q_head[n_q], q_tail[n_q] = r_gainer[r], rows_b[lo], rows_b[hi - 1]
                q_first[n_q], q_last[n_q] = np.iinfo(np.int64).max, np.iinfo(np.int64).min
                q_said[n_q], q_against[n_q] = 0.0, 0.0
                for q in range(lo, hi):
                    p = rows_b[q]
                    nxt[p] = rows_b[q + 1] if q + 1 < hi else NONE
                    q_first[n_q] = min(q_first[n_q], F[p])
                    q_last[n_q] = max(q_last[n_q], T[p])
                    q_said[n_q] += W[p]
                q_lapse[n_q], q_lapse_from[n_q], q_lapse_to[n_q] = NONE, 0, 0
                if k > 0:
                    ends = np.iinfo(np.int64).min
                    for q in range(lo):
                        ends = max(ends, T[rows_b[q]])
                    q_lapse[n_q] = L[rows_b[lo]]
                    q_lapse_from[n_q], q_lapse_to[n_q] = ends + 1, F[rows_b[lo]] - 1
                # the denials of this change that overlap the part (log order)
                for d in range(m):
                    if not ((K[d] == CAPTURED or K[d] == WITHDREW) and X[d]):
                        continue
                    if (G[d] if G[d] != NONE else unknown) != r_gainer[r]:
                        continue
                    for q in range(lo, hi):
                        p = rows_b[q]
                        if F[p] <= T[d] and F[d] <= T[p]:
                            q_against[n_q] += W[d]
                            break
                n_q += 1
        if split:  # the parts replace the runs (the runs overruled are left out)
            for r in range(n_q):
                r_gainer[r], r_head[r], r_tail[r] = q_gainer[r], q_head[r], q_tail[r]
                r_first[r], r_last[r] = q_first[r], q_last[r]
                r_said[r], r_against[r] = q_said[r], q_against[r]
                r_lapse[r] = q_lapse[r]
                r_lapse_from[r], r_lapse_to[r] = q_lapse_from[r], q_lapse_to[r]
                alive[r] = True
            nr = n_q
        # rules 5 and 6: contests and swings (weighing._contests, _transition_markers)
        n_m = 0
        r = 0
        while r < nr:
            if not alive[r]:
                r += 1
                continue
            g0 = r
            last = r
            r += 1
            while r < nr:
                if not alive[r]:
                    r += 1
                    continue
                if r_gainer[last] != r_gainer[r] and _near(last, r, r_first, r_last, near):
                    last = r
                    r += 1
                else:
                    break
            lost = _loser_of(r_head[g0], nxt, L, W, r_gainer[g0], unknown, weights, seen)
            if r_lapse[g0] != NONE:
                # the side a lapse says had taken the site back, over the days between
                mk_se[n_m], mk_sl[n_m], mk_action[n_m] = r_lapse_from[g0], r_lapse_to[g0], SWING
                mk_actor[n_m], mk_loser[n_m], mk_head[n_m] = r_lapse[g0], r_gainer[g0], NONE
                n_m += 1
            if g0 == last:
                ls, ee = _swing_window(
                    last,
                    r_head,
                    nxt,
                    F,
                    T,
                    W,
                    dated,
                    overruled,
                    near,
                    rows_b,
                    key_b,
                    c_swing_scratch,
                    burst_w,
                )
                # the premature reports leave the run (its list, in order)
                p, prev = r_head[last], NONE
                while p != NONE:
                    if overruled[p]:
                        if prev == NONE:
                            r_head[last] = nxt[p]
                        else:
                            nxt[prev] = nxt[p]
                    else:
                        prev = p
                    p = nxt[p]
                mk_se[n_m], mk_sl[n_m], mk_action[n_m] = ls, ee, SWING
                mk_actor[n_m], mk_loser[n_m], mk_head[n_m] = r_gainer[last], lost, r_head[last]
                p = r_head[last]
                while p != NONE:
                    c_mark[p] = n_m
                    p = nxt[p]
                n_m += 1
                continue
            # a contest over what the sides say at the same time
            start, end = np.iinfo(np.int64).max, np.iinfo(np.int64).min
            x = g0
            while x != last:
                y = x + 1
                while not alive[y]:
                    y += 1
                for u, v in ((x, y), (y, x)):
                    p = r_head[u]
                    while p != NONE:
                        if F[p] <= r_last[v] + near and r_first[v] <= T[p] + near:
                            start, end = min(start, F[p]), max(end, T[p])
                        p = nxt[p]
                x = y
            mk_se[n_m], mk_sl[n_m], mk_action[n_m] = start, start, CONTEST_ON
            mk_actor[n_m], mk_loser[n_m], mk_head[n_m] = NONE, lost, NONE
            for x in range(g0, last + 1):
                if alive[x]:
                    p = r_head[x]
                    while p != NONE:
                        c_cmark[p] = n_m
                        p = nxt[p]
            n_m += 1
            mk_se[n_m], mk_sl[n_m], mk_action[n_m] = end + 1, end + 1, SWING
            mk_actor[n_m], mk_loser[n_m], mk_head[n_m] = r_gainer[last], NONE, r_head[last]
            p = r_head[last]
            while p != NONE:
                c_mark[p] = n_m
                p = nxt[p]
            n_m += 1
        # rule 7: partial advances; rule 8: sieges
        for p in range(m):
            if K[p] == PARTIAL and dated[p] and not X[p]:
                g = G[p] if G[p] != NONE else unknown
                mk_se[n_m], mk_sl[n_m], mk_action[n_m] = F[p], F[p], PARTIAL_ON
                mk_actor[n_m], mk_head[n_m] = G[p], NONE
                mk_loser[n_m] = L[p] if L[p] != NONE and L[p] != unknown and L[p] != g else NONE
                c_mark[p] = n_m
                n_m += 1
        for p in range(m):
            if X[p] or not (K[p] == BESIEGED or K[p] == SIEGE_BROKEN):
                continue
            on = K[p] == BESIEGED
            mk_se[n_m], mk_sl[n_m], mk_head[n_m] = F[p], T[p], NONE
            mk_action[n_m] = SIEGE_ON if on else SIEGE_OFF
            mk_actor[n_m] = L[p] if on else NONE
            mk_loser[n_m] = L[p]
            c_mark[p] = n_m
            n_m += 1
        # the walk (weighing._walk)
        order, key = rows_a, key_a
        for k in range(n_m):
            mk_at[k], mk_swing[k] = NONE, NONE
            order[k] = k
            key[k] = (((mk_sl[k] + _SHIFT) << 26) | ((mk_se[k] + _SHIFT) << 3)) | mk_action[k]
        _sort_by(key, order, n_m)
        order = order[:n_m]
        n_li, n_ls, n_w = 0, 0, 0
        holder, siege = NONE, NONE
        contest, partial = False, False
        first = NONE
        for k in order:
            if mk_loser[k] != NONE or mk_action[k] == SIEGE_ON:
                first = k
                break
        if n_m and first == order[0] and mk_loser[first] != NONE:
            holder = mk_loser[first]
            li_ctrl[0], li_status[0], li_se[0], li_sl[0] = holder, HELD, NO_DAY, NO_DAY
            li_open[0], li_siege[0] = True, False
            n_li = 1
        for k in order:
            action = mk_action[k]
            if action == SWING:
                if mk_actor[k] != holder:
                    ls_marker[n_ls] = k
                    ls_from[n_ls] = holder if holder != NONE else mk_loser[k]
                    mk_swing[k] = n_ls
                    n_ls += 1
                    siege = NONE
                holder, contest, partial = mk_actor[k], False, False
            elif action == CONTEST_ON:
                contest = True
            elif action == PARTIAL_ON:
                if mk_actor[k] == holder:
                    mk_at[k] = n_li - 1
                    continue
                partial = True
                holder = holder if holder != NONE else mk_loser[k]
            elif action == SIEGE_ON:
                if holder != NONE and holder != mk_actor[k] and mk_actor[k] != NONE:
                    mk_at[k] = n_li - 1
                    continue
                siege = mk_actor[k] if mk_actor[k] != NONE else holder
                holder = holder if holder != NONE else mk_actor[k]
            else:
                siege = NONE
            controller = holder if holder != NONE else unknown
            status = (
                CONTESTED
                if contest or partial
                else BESIEGED_STATUS
                if siege != NONE
                else UNKNOWN_STATUS
                if controller == unknown
                else HELD
            )
            moved_from = n_w
            if (
                n_li > 0
                and not li_open[n_li - 1]
                and li_se[n_li - 1] == mk_se[k]
                and li_sl[n_li - 1] == mk_sl[k]
            ):
                # two changes on the same days make one interval, not one of no length
                while moved_from > 0 and mk_at[walked[moved_from - 1]] == n_li - 1:
                    moved_from -= 1
                n_li -= 1
            walked[n_w] = k
            n_w += 1
            if not (
                n_li > 0
                and li_ctrl[n_li - 1] == controller
                and li_status[n_li - 1] == status
                and li_siege[n_li - 1] == (siege != NONE)
            ):
                li_ctrl[n_li], li_status[n_li] = controller, status
                li_se[n_li], li_sl[n_li] = mk_se[k], mk_sl[k]
                li_open[n_li], li_siege[n_li] = False, siege != NONE
                n_li += 1
            mk_at[k] = n_li - 1
            for w in range(moved_from, n_w):
                mk_at[walked[w]] = n_li - 1
        if n_li == 0:
            n_li = _held_by_undated(
                K,
                G,
                X,
                T,
                W,
                unknown,
                weights,
                seen,
                li_ctrl,
                li_status,
                li_se,
                li_sl,
                li_open,
                li_siege,
            )
        if n_li == 0:
            continue
        # support and dissent (weighing._attach)
        begun = li_sl[:n_li]
        for k in range(n_li):
            li_agree[k], li_against[k] = 0.0, 0.0
        for p in range(m):
            at = NONE
            if c_mark[p] != NONE and mk_at[c_mark[p]] >= 0:
                at = mk_at[c_mark[p]]
            elif c_cmark[p] != NONE and mk_at[c_cmark[p]] >= 0:
                at = mk_at[c_cmark[p]]
            else:
                at = max(0, np.searchsorted(begun, T[p], side="right") - 1)
            if overruled[p]:
                c_interval[a + p], c_supports[a + p] = n_i + at, False
                li_against[at] += W[p]
                continue
            if K[p] == ATTACKED:
                continue
            controller = li_ctrl[at]
            transition = K[p] == CAPTURED or K[p] == WITHDREW
            if li_status[at] == CONTESTED and (K[p] == PARTIAL or transition):
                agrees = True
            elif transition:
                if X[p]:
                    agrees = G[p] != controller
                elif G[p] == NONE or G[p] == unknown:
                    agrees = L[p] != controller
                else:
                    agrees = G[p] == controller
            elif K[p] == BESIEGED:
                agrees = L[p] == NONE or L[p] == controller
            elif K[p] == PARTIAL:
                agrees = G[p] == controller
            else:
                agrees = True
            c_interval[a + p], c_supports[a + p] = n_i + at, agrees
            if agrees:
                li_agree[at] += W[p]
            else:
                li_against[at] += W[p]
        for k in range(n_li):
            o = n_i + k
            i_site[o], i_ctrl[o], i_status[o] = s, li_ctrl[k], li_status[k]
            i_se[o], i_sl[o], i_open[o], i_siege[o] = li_se[k], li_sl[k], li_open[k], li_siege[k]
            total = li_agree[k] + li_against[k]
            i_support[o] = li_agree[k] / total if total > 0 else np.nan
        for k in range(n_ls):
            mk = ls_marker[k]
            o = n_s + k
            s_site[o], s_from[o], s_to[o] = s, ls_from[k], mk_actor[mk]
            s_se[o], s_sl[o] = mk_se[mk], mk_sl[mk]
            s_interval[o] = n_i + mk_at[mk]
            agree = _sum_list(mk_head[mk], nxt, W)
            total = agree + li_against[mk_at[mk]]
            s_support[o] = agree / total if total else np.nan
            p = mk_head[mk]
            while p != NONE:
                c_swing[a + p] = o
                p = nxt[p]
        n_i += n_li
        n_s += n_ls
    return (
        c_interval,
        c_supports,
        c_swing,
        i_site[:n_i],
        i_ctrl[:n_i],
        i_status[:n_i],
        i_se[:n_i],
        i_sl[:n_i],
        i_open[:n_i],
        i_siege[:n_i],
        i_support[:n_i],
        s_site[:n_s],
        s_from[:n_s],
        s_to[:n_s],
        s_se[:n_s],
        s_sl[:n_s],
        s_interval[:n_s],
        s_support[:n_s],
    )


@njit(cache=True, nogil=True)
def _bursts(rows, key, count, F, T, W, near, burst_of, weights):  # pragma: no cover - compiled
    """weighing._bursts: a run's reports (``rows[:count]``, in log order) sorted stably by
    (valid_to, valid_from) and cut into bursts of reports within ``near`` days of the last
    one's end; ``burst_of`` and ``weights`` get each report's burst and each burst's weight.
    Returns the heaviest burst (the latest of equal weight)."""
    for q in range(count):
        key[q] = ((np.int64(T[rows[q]]) + _SHIFT) << 23) | (np.int64(F[rows[q]]) + _SHIFT)
    _sort_by(key, rows, count)
    nb, reach, size = 0, np.iinfo(np.int64).min // 2, 0
    for q in range(count):
        p = rows[q]
        if nb > 0 and F[p] <= reach + near:
            size += 1
        else:
            nb += 1
            size = 1
            weights[nb - 1] = 0.0
        burst_of[q] = nb - 1
        weights[nb - 1] += W[p]
        reach = max(reach, T[p]) if size > 1 else T[p]
    chosen = 0
    for k in range(nb):
        if weights[k] >= weights[chosen]:
            chosen = k
    return chosen


@njit(cache=True, nogil=True)
def _swing_window(
    run, r_head, nxt, F, T, W, dated, overruled, near, rows, key, burst_of, weights
):  # pragma: no cover - compiled
    """weighing._swing_window: the window of the reports that date a run's change; its
    premature reports are marked ``overruled`` (``rows``...``weights``: scratch)."""
    count = 0
    p = r_head[run]
    while p != NONE:
        rows[count], key[count] = p, p
        count += 1
        p = nxt[p]
    _sort_by(key, rows, count)  # log order, then by (valid_to, valid_from), stably
    chosen = _bursts(rows, key, count, F, T, W, near, burst_of, weights)
    anchor, any_dated = NONE, False
    for q in range(count):
        p = rows[q]
        if burst_of[q] < chosen:
            if dated[p]:
                overruled[p] = True
        elif burst_of[q] == chosen and dated[p] and not any_dated:
            anchor, any_dated = p, True
    if not any_dated:
        for q in range(count):
            p = rows[q]
            if burst_of[q] != chosen:
                continue
            if anchor == NONE:
                anchor = p
                continue
            wp, wa = T[p] - F[p], T[anchor] - F[anchor]
            if wp < wa or (wp == wa and (T[p] < T[anchor] or (T[p] == T[anchor] and p < anchor))):
                anchor = p
    ls, ee = np.iinfo(np.int64).min, np.iinfo(np.int64).max
    lo, hi = np.iinfo(np.int64).max, np.iinfo(np.int64).min
    for q in range(count):
        p = rows[q]
        if burst_of[q] != chosen or not (F[p] <= T[anchor] and F[anchor] <= T[p]):
            continue
        if any_dated and not dated[p]:
            continue
        ls, ee = max(ls, F[p]), min(ee, T[p])
        lo, hi = min(lo, F[p]), max(hi, T[p])
    if ls > ee:
        return lo, hi
    return ls, ee


@njit(cache=True, nogil=True)
def _held_by_undated(
    K, G, X, T, W, unknown, weights, seen, li_ctrl, li_status, li_se, li_sl, li_open, li_siege
):  # pragma: no cover - compiled
    """weighing._held_by_undated: the number of intervals written (0 or 1)."""
    any_ = False
    for p in range(K.size):
        if (K[p] == CAPTURED or K[p] == WITHDREW) and not X[p] and G[p] != NONE and G[p] != unknown:
            if not seen[G[p]]:
                seen[G[p]], weights[G[p]] = True, 0.0
            weights[G[p]] += W[p]
            any_ = True
    li_open[0], li_siege[0], li_se[0] = False, False, NO_DAY
    if not any_:
        by = NO_DAY
        for p in range(K.size):
            if K[p] == PARTIAL and not X[p]:
                by = T[p] if by == NO_DAY else min(by, T[p])
        if by == NO_DAY:
            return 0
        li_ctrl[0], li_status[0], li_sl[0] = unknown, CONTESTED, by
        return 1
    best = NONE
    for g in range(seen.size):
        if seen[g]:
            if best == NONE or weights[g] > weights[best]:
                best = g
            seen[g] = False
    by = NO_DAY
    for p in range(K.size):
        if G[p] == best and (K[p] == CAPTURED or K[p] == WITHDREW):
            by = T[p] if by == NO_DAY else min(by, T[p])
    li_ctrl[0], li_status[0], li_sl[0] = best, HELD, by
    return 1
