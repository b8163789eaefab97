"""The fast replay paths agree with the reference fold and with a full replay, on
synthetic logs shaped like real ones (hot sites, corrections, retractions, reviews)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from engine.domain import Policy, replay
from engine.scale.incremental import IncrementalReplay
from engine.scale.synth import synth_claim_events
from tests.reference_fold import believed_claims, fold

POLICIES = [
    Policy(),
    Policy(distrust=frozenset({"amaq", "sana"})),
    Policy(include_candidates=True, include_denied=True, min_confidence=0.6),
    Policy(as_of_seq=1500),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.describe())
def test_replay_of_a_synthetic_log_equals_the_reference_fold(policy):
    events = synth_claim_events(3000, n_sites=12, seed=7)
    timelines = replay(events, policy)
    expected = believed_claims(events.rows(named=True), policy)
    assert timelines.claims["claim_id"].to_list() == [c["claim_id"] for c in expected]
    intervals, swings = fold(expected)
    assert timelines.intervals.rows() == intervals
    assert timelines.swings.rows() == swings


def test_the_synthetic_log_is_skewed_and_has_every_kind_of_event():
    events = synth_claim_events(20_000, n_sites=60, seed=1)
    per_site = events.filter(pl.col("event") == "recorded")["site_id"].value_counts(sort=True)
    assert per_site["count"][0] > 10 * per_site["count"].median()
    assert set(events["event"]) == {"recorded", "corrected", "retracted", "reviewed"}
    assert set(events["kind"].drop_nulls()) == {"captured", "withdrew", "partial", "besieged",
                                                 "siege_broken", "attacked"}
    assert replay(events).intervals["status"].unique().sort().to_list() == [
        "besieged", "contested", "held", "unknown"]


def test_the_same_seed_gives_the_same_log():
    assert_frame_equal(synth_claim_events(500, seed=3), synth_claim_events(500, seed=3))


@pytest.mark.parametrize("policy", [Policy(), Policy(trust=frozenset({"sohr", "outlet"}))],
                         ids=lambda p: p.describe())
def test_an_incremental_replay_equals_a_full_replay_after_each_append(policy):
    events = synth_claim_events(4000, n_sites=15, seed=11)
    live = IncrementalReplay(events.head(3000), policy)
    for start, stop in [(3000, 3001), (3001, 3002), (3002, 3200), (3200, 4000)]:
        batch = events.slice(start, stop - start)
        touched = live.append(batch)
        full = replay(events.head(stop), policy)
        sites = touched.intervals["site_id"].unique().to_list()
        at = pl.col("site_id").is_in(sites)
        assert_frame_equal(touched.intervals, full.intervals.filter(at))
        assert_frame_equal(touched.swings, full.swings.filter(at))
    whole = live.timelines()
    full = replay(events, policy)
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(whole, table), getattr(full, table))


def test_a_correction_that_moves_a_claim_to_another_site_replays_both_sites():
    events = synth_claim_events(2000, n_sites=8, seed=5)
    claim = events.filter(pl.col("event") == "recorded").row(100, named=True)
    other = next(s for s in events["site_id"].drop_nulls().unique() if s != claim["site_id"])
    moved = pl.DataFrame([{**claim, "seq": events["seq"].max() + 1, "event": "corrected",
                           "site_id": other, "doc_id": None, "published_date": None,
                           "extractor": None, "evidence_text": None, "evidence_start": None,
                           "evidence_end": None}], schema=events.schema)
    live = IncrementalReplay(events)
    touched = live.append(moved)
    assert set(touched.intervals["site_id"]) >= {claim["site_id"], other} - {None}
    full = replay(pl.concat([events, moved]))
    assert_frame_equal(live.timelines().intervals, full.intervals)
    assert_frame_equal(live.timelines().claims, full.claims)


@pytest.mark.parametrize("scale", [1, 10**6, 10**12], ids=["packed", "two-column", "plain"])
def test_the_integer_sort_orders_like_a_multi_column_sort(scale):
    from engine.domain.replay import _sort_ints

    frame = pl.DataFrame({
        "site": [3, 1, 1, 2, 1, 3] * 50,
        "start": [5 * scale, 2, 2, 9, 1, 5] * 50,
        "end": [7, 4 * scale, 3, 9, 1, 6] * 50,
        "seq": list(range(300, 0, -1)),
    })
    columns = ["site", "start", "end", "seq"]
    assert_frame_equal(_sort_ints(frame, columns), frame.sort(columns))
