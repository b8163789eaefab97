"""An incremental replay after any appends equals a full replay (generated logs)."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from bench.incremental_replay import IncrementalReplay
from engine.domain import replay
from tests.properties.strategies import claim_logs, policies
from tests.unit.test_fast_replay_paths import (
    _assert_site_encodings_equal_fresh_ones,
    _assert_touched_sites_equal_a_full_replay,
    _frame,
)


@settings(max_examples=100, deadline=None)
@given(
    rows=claim_logs(),
    cuts=st.lists(st.integers(0, 40), max_size=6),
    policy=policies.map(lambda p: dataclasses.replace(p, as_of_seq=None)),
)
def test_an_incremental_replay_after_random_appends_equals_a_full_replay(rows, cuts, policy):
    """Corrections here may move a claim to another site; retractions and reviews too."""
    cuts = sorted({min(c, len(rows)) for c in cuts} | {len(rows)})
    live = IncrementalReplay(_frame(rows[: cuts[0]]), policy)
    for start, stop in itertools.pairwise(cuts):
        touched = live.append(_frame(rows[start:stop]))
        _assert_touched_sites_equal_a_full_replay(touched, replay(_frame(rows[:stop]), policy))
        _assert_site_encodings_equal_fresh_ones(live)
    whole, full = live.timelines(), replay(_frame(rows), policy)
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(whole, table), getattr(full, table))
    assert_frame_equal(live.claim_events(), _frame(rows))
