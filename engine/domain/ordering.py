"""Orders the replay reads in, made cheaply: sorts of integer columns, and a merge.

The replay's cost is mostly sorting and gathering; these helpers give the same order a
plain stable ``DataFrame.sort`` would, by cheaper means when the data allow: packing
integer keys into one Int64, or merging two sorted runs by binary search.
"""

from __future__ import annotations

import polars as pl

#: below this many rows a plain polars call costs less than setting up a cleverer one
SMALL = 4096


def site_start(site: pl.Expr, start: pl.Expr) -> pl.Expr:
    """Site code above day number in one Int64: sorting it sorts by (site, start)."""
    return site.cast(pl.Int64) * (1 << 32) + (start.cast(pl.Int64) + (1 << 31))


def in_site_start_order(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` in the order of its ``site_start`` column (stable), cheaply when it comes
    in two sorted runs, as an extended index does: the second run's
    rows are slotted in where a binary search over the first puts them, and one gather,
    mostly in order, applies it. Anything else, or anything small, is sorted."""
    if frame.height < SMALL:
        return frame.sort("site", "start", maintain_order=True)
    key = frame["site_start"]
    if key.has_nulls():
        return frame.sort("site", "start", maintain_order=True)
    descents = (key.diff() < 0).arg_true()
    if descents.len() == 0:
        return frame
    if descents.len() > 1:
        return frame.sort("site", "start", maintain_order=True)
    split = int(descents[0])
    first, second = key.head(split), key.slice(split)
    # row i of the second run goes after the first-run keys <= it and i earlier rows
    slots = (first.search_sorted(second, side="right").cast(pl.Int64)
             + pl.int_range(second.len(), dtype=pl.Int64, eager=True))
    in_second = pl.repeat(False, frame.height, eager=True).scatter(slots, True)
    seconds_before = in_second.cast(pl.Int64).cum_sum()
    order = pl.select(
        pl.when(in_second).then(split + seconds_before - 1)
        .otherwise(pl.int_range(frame.height, dtype=pl.Int64) - seconds_before)
    ).to_series()
    return frame.rechunk().gather(order)


def sort_ints(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """``frame.sort(columns, maintain_order=True)`` for integer columns.

    Sorting one Int64 Series is much cheaper than sorting a frame by several columns, so
    the columns are packed into one key when their value ranges allow: with the row
    number as the lowest part (then the sorted keys are the stable order, and one
    gather applies it), else alone (a stable sort of the frame by that key)."""
    n = frame.height
    if n < SMALL:
        return frame.sort(columns, maintain_order=True)
    bounds = frame.select(
        *[pl.col(c).min().alias(f"lo_{c}") for c in columns],
        *[pl.col(c).max().alias(f"hi_{c}") for c in columns],
        nulls=pl.sum_horizontal(pl.col(columns).null_count()),
    ).row(0, named=True)
    if bounds["nulls"]:
        return frame.sort(columns, maintain_order=True)
    key, total = pl.lit(0, pl.Int64), 1
    for column in columns:
        span = bounds[f"hi_{column}"] - bounds[f"lo_{column}"] + 1
        key, total = key * span + (pl.col(column) - bounds[f"lo_{column}"]), total * span
    if total * n < 1 << 62:
        order = frame.select(key * n + pl.int_range(n, dtype=pl.Int64)).to_series().sort()
        return frame.gather(order % n)
    if total < 1 << 62:
        return frame.sort(key, maintain_order=True)
    return frame.sort(columns, maintain_order=True)
