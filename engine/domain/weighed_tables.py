"""The weighed replay's intervals and swings tables, from the compiled fold's arrays.

:func:`engine.domain.weighing_passes.fold_sites` says, per claim, which interval it
supports or dissents from and which swing it dates; the tables want, per interval and
per swing, the list of those claims' ids (in log order) and of their claimants. The
rows are put in group order here by counting sorts (compiled, one pass each, no sort
of strings), every group given at least one row (an empty group a placeholder that the
list leaves out), so that polars makes each list column with one ``group_by`` of a
sorted key, and the claim ids of every list are gathered from the log in one call.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from numba import njit

NONE = -1


@njit(cache=True, nogil=True)
def rows_by_group(group, take, groups):  # pragma: no cover - compiled
    """The rows ``i`` with ``take[i]`` and a ``group[i]`` in 0..groups-1, ordered by
    group and, within one, by row (a stable counting sort); a group without rows gets
    one ``NONE`` row. Returns (the group of each place, the row there)."""
    sizes = np.zeros(groups, np.int64)
    for i in range(group.size):
        if take[i] and group[i] != NONE:
            sizes[group[i]] += 1
    starts = np.zeros(groups + 1, np.int64)
    for g in range(groups):
        starts[g + 1] = starts[g] + max(sizes[g], 1)
    at = starts[:-1].copy()
    key = np.empty(starts[-1], np.int64)
    rows = np.full(starts[-1], NONE, np.int64)
    for g in range(groups):
        key[starts[g] : starts[g + 1]] = g
    for i in range(group.size):
        g = group[i]
        if take[i] and g != NONE:
            rows[at[g]] = i
            at[g] += 1
    return key, rows


@njit(cache=True, nogil=True)
def distinct_values(key, rows, value, values):  # pragma: no cover - compiled
    """For the groups of :func:`rows_by_group` (``key``, ``rows``), the distinct
    ``value`` of each group's rows (codes ``NONE``..values-1), ascending; a group without
    rows gets one ``NONE`` place, flagged not ``real``. Returns (group of each place, the
    value there, real, the number of distinct values per group)."""
    n = rows.size
    groups = key[-1] + 1 if n else 0
    stamp = np.full(values + 1, NONE, np.int64)  # by value + 1: the group that last saw it
    out_key = np.empty(n, np.int64)
    out_value = np.empty(n, np.int64)
    real = np.ones(n, np.bool_)
    distinct = np.zeros(groups, np.int64)
    m = 0
    a = 0
    while a < n:
        b = a + 1
        while b < n and key[b] == key[a]:
            b += 1
        g = key[a]
        first = m
        for q in range(a, b):
            r = rows[q]
            if r == NONE:
                continue
            v = value[r]
            if stamp[v + 1] != g:
                stamp[v + 1] = g
                out_value[m] = v
                m += 1
        distinct[g] = m - first
        part = out_value[first:m]
        for i in range(1, part.size):  # an insertion sort: a group has a few claimants
            v = part[i]
            j = i - 1
            while j >= 0 and part[j] > v:
                part[j + 1] = part[j]
                j -= 1
            part[j + 1] = v
        if m == first:
            out_value[m], real[m] = NONE, False
            m += 1
        out_key[first:m] = g
        a = b
    return out_key[:m], out_value[:m], real[:m], distinct


def grouped_lists(key: np.ndarray, values: pl.Series, real: np.ndarray) -> pl.Series:
    """Per group 0..n-1, the list of its ``values`` (``key``: the group of each, sorted,
    every group present; places not ``real`` left out, so that a group may be empty).
    Placeholders given as nulls, where no real value is null, are the cheap case: polars
    drops the nulls of each group as it makes the lists (three times faster, at 1M
    claims, than filtering each group by a mask).

    Example:
        >>> grouped_lists(np.array([0, 0, 1, 2]), pl.Series(["a", "b", None, "c"]),
        ...               np.array([True, True, False, True])).to_list()
        [['a', 'b'], [], ['c']]
    """
    frame = pl.DataFrame({"group": pl.Series(key).set_sorted(), "value": values})
    by_group = frame.group_by("group", maintain_order=True)
    if real.all():
        lists = by_group.agg("value")
    elif np.array_equal(values.is_null().to_numpy(), ~real):
        lists = by_group.agg(pl.col("value").drop_nulls())
    else:
        lists = (
            frame.with_columns(real=pl.Series(real))
            .group_by("group", maintain_order=True)
            .agg(pl.col("value").filter("real"))
        )
    return lists["value"]
