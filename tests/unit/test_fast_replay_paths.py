"""The fast replay paths agree with the reference fold and with a full replay, on
synthetic logs shaped like real ones (hot sites, corrections, retractions, reviews)."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from bench.incremental_replay import IncrementalReplay
from engine.domain import EncodedEvents, Policy, replay
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from engine.domain.strict_rules import believed_claims, fold
from engine.domain.testing import claim_events
from engine.synth import synth_claim_events

#: the compiled (strict) replay against its oracle; the weighed mode is its own
#: specification (tests/unit/test_weighing_rules.py)
POLICIES = [
    Policy(mode="strict"),
    Policy(distrust=frozenset({"amaq", "sana"}), mode="strict"),
    Policy(include_candidates=True, include_denied=True, min_confidence=0.6, mode="strict"),
    Policy(as_of_seq=1500, mode="strict"),
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


def test_an_incremental_correction_that_moves_a_claim_to_another_site_replays_both():
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


def _frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")


def _assert_touched_sites_equal_a_full_replay(touched, full):
    at = pl.col("site_id").is_in(sorted(set(touched.intervals["site_id"])
                                        | set(touched.claims["site_id"])))
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(touched, table), getattr(full, table).filter(at))


def _assert_site_encodings_equal_fresh_ones(live):
    for log in live._sites.values():
        if log._encoded is not None:
            assert_frame_equal(log._encoded.codes, EncodedEvents.of(log.events).codes)


def test_an_incremental_replay_applies_events_appended_before_their_record():
    rows = claim_events([
        {"claim_id": "kept", "site_id": "arak", "gainer": "government",
         "valid_from": "2016-02-01"},
        {"event": "retracted", "claim_id": "late"},
        {"event": "reviewed", "claim_id": "early", "verdict": "accepted"},
        {"claim_id": "late", "site_id": "arak", "gainer": "isis"},
        {"claim_id": "early", "site_id": "palmyra", "gainer": "isis", "loser": "government"},
        {"event": "reviewed", "claim_id": "never", "verdict": "rejected"},
        # names palmyra already knows: these rows are encoded onto palmyra's codes
        {"event": "corrected", "claim_id": "ghost", "site_id": "palmyra", "gainer": "government",
         "valid_from": "2016-03-01"},
        {"claim_id": "other", "site_id": "palmyra", "gainer": "government",
         "valid_from": "2016-05-01"},
        {"claim_id": "ghost", "site_id": "palmyra", "gainer": "isis", "valid_from": "2016-07-01"},
    ]).rows(named=True)
    live = IncrementalReplay(_frame(rows[:1]))
    for stop in range(2, len(rows) + 1):  # one event per append
        touched = live.append(_frame(rows[stop - 1:stop]))
        _assert_touched_sites_equal_a_full_replay(touched, replay(_frame(rows[:stop])))
        _assert_site_encodings_equal_fresh_ones(live)
    assert live.timelines().claims["claim_id"].to_list() == ["kept", "early", "other", "ghost"]
    assert_frame_equal(live.timelines().intervals, replay(_frame(rows)).intervals)


def test_incremental_appends_to_a_hot_site_encode_only_their_rows_and_match_a_full_replay():
    events = synth_claim_events(3000, n_sites=6, seed=2)
    hottest = events["site_id"].drop_nulls().mode().sort()[0]
    later = events.filter(pl.col("seq") > 2000)
    live = IncrementalReplay(events.filter(pl.col("seq") <= 2000))
    for seq in later["seq"].head(60):  # one event at a time, whatever site it names
        batch = later.filter(pl.col("seq") == seq)
        touched = live.append(batch)
        _assert_touched_sites_equal_a_full_replay(touched, replay(events.filter(
            pl.col("seq") <= seq)))
    assert live._sites[hottest]._encoded is not None
    _assert_site_encodings_equal_fresh_ones(live)


def test_the_incremental_replays_examples_hold():
    """Its doctests (bench/ is not among pytest's doctest paths: its scripts run as such)."""
    import doctest

    from bench import incremental_replay

    result = doctest.testmod(incremental_replay, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
