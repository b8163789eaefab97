"""The cheap orders equal the plain stable sorts they stand for."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain.ordering import SMALL, in_site_start_order, site_start, sort_ints


@pytest.mark.parametrize("scale", [1, 10**6, 10**12], ids=["packed", "two-column", "plain"])
def test_the_integer_sort_orders_like_a_multi_column_sort(scale):
    repeats = SMALL // 6 + 1  # past the size below which it is a plain sort anyway
    frame = pl.DataFrame({
        "site": [3, 1, 1, 2, 1, 3] * repeats,
        "start": [5 * scale, 2, 2, 9, 1, 5] * repeats,
        "end": [7, 4 * scale, 3, 9, 1, 6] * repeats,
        "seq": [1, 2, 3, 4, 5, 6] * repeats,  # ties: the order must be stable
    }).with_row_index("row")
    columns = ["site", "start", "end", "seq"]
    assert_frame_equal(sort_ints(frame, columns), frame.sort(columns, maintain_order=True))


def _sorted_runs(runs: list[list[tuple[int, int | None]]], copies: int) -> pl.DataFrame:
    """Each run sorted by (site, start), a missing start counted as 0."""
    rows = [row for run in runs for row in sorted(run * copies, key=lambda r: (r[0], r[1] or 0))]
    frame = pl.DataFrame(rows, schema={"site": pl.Int32, "start": pl.Int32}, orient="row")
    return frame.with_row_index("row").with_columns(
        site_start=site_start(pl.col("site"), pl.col("start")))


@settings(max_examples=100, deadline=None)
@given(runs=st.lists(st.lists(st.tuples(st.integers(0, 2), st.integers(-2, 2)),
                              min_size=1, max_size=8), min_size=1, max_size=3),
       copies=st.sampled_from([1, SMALL]))
def test_sorted_runs_come_out_as_a_stable_sort_would_put_them(runs, copies):
    frame = _sorted_runs(runs, copies)
    expected = frame.sort("site", "start", maintain_order=True)
    assert_frame_equal(in_site_start_order(frame), expected)


def test_a_missing_start_is_sorted_first_as_polars_puts_nulls():
    frame = _sorted_runs([[(1, 2), (1, None)], [(0, 1)]], SMALL)
    expected = frame.sort("site", "start", maintain_order=True)
    assert_frame_equal(in_site_start_order(frame), expected)
