"""A weighed incremental replay (bench/incremental_replay.py) after any appends equals a
full weighed replay, with the compiled fold on every site, so that an append to a site
already replayed extends that site's per-event codes instead of reading its text again.
The logs are those of the weighed fold's agreement test: every kind of claim, dates near
and far (back-dated reports, retrospective ones published months after their window,
windows of a year), denials, copies of one wording, corrections and retractions."""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from bench.incremental_replay import IncrementalReplay
from engine.domain import EncodedEvents, Policy, replay, replay_weighed
from engine.domain.testing import claim_events
from tests.properties.test_weighed_fold_agrees import logs, policies
from tests.unit.test_fast_replay_paths import _assert_touched_sites_equal_a_full_replay


@contextmanager
def _compiled_fold_always():
    """Every weighed replay folds with the compiled passes (small logs would run the
    specification, and never keep per-event codes to extend)."""
    kept = replay_weighed.COMPILED_FROM
    replay_weighed.COMPILED_FROM = 0
    try:
        yield
    finally:
        replay_weighed.COMPILED_FROM = kept


def _assert_kept_text_codes_equal_fresh_ones(live: IncrementalReplay) -> int:
    """Each site's kept per-event codes are those its events give afresh (the words up
    to their labels: the same rows share a code). Returns how many sites kept some."""
    checked = 0
    for log in live._sites.values():
        encoded = log._encoded
        if encoded is None or "_weighed_text" not in encoded.__dict__:
            continue
        kept = encoded.__dict__["_weighed_text"]
        fresh = replay_weighed.text_codes(EncodedEvents.of(log.events))
        assert_frame_equal(kept.drop("words"), fresh.drop("words"))
        pairs = pl.DataFrame({"kept": kept["words"], "fresh": fresh["words"]}).unique()
        assert pairs.height == pairs["kept"].n_unique() == pairs["fresh"].n_unique()
        assert ((pairs["kept"] == -1) == (pairs["fresh"] == -1)).all()
        checked += 1
    return checked


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=logs(), cuts=st.lists(st.integers(0, 45), max_size=5), policy=policies)
def test_a_weighed_incremental_replay_after_random_appends_equals_a_full_replay(rows, cuts, policy):
    frame = claim_events(rows)
    cuts = sorted({min(c, frame.height) for c in cuts} | {frame.height})
    with _compiled_fold_always():
        live = IncrementalReplay(frame.slice(0, cuts[0]), policy)
        for start, stop in itertools.pairwise(cuts):
            touched = live.append(frame.slice(start, stop - start))
            _assert_touched_sites_equal_a_full_replay(touched, replay(frame.head(stop), policy))
            _assert_kept_text_codes_equal_fresh_ones(live)
        whole, full = live.timelines(), replay(frame, policy)
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(whole, table), getattr(full, table))


def test_appends_to_a_replayed_site_extend_its_text_codes_and_give_a_full_replays_tables():
    said = ["ISIS took the town.", "the army entered the town", "ISIS  took the town"]
    rows = [
        {
            "claim_id": f"c{number}",
            "site_id": "palmyra",
            "gainer": "isis" if number < 6 else "government",
            "loser": "government" if number < 6 else "isis",
            "valid_from": f"2016-12-{1 + number + 8 * (number >= 6):02d}",
            "published_date": f"2016-12-{2 + number + 8 * (number >= 6):02d}",
            "claimant": "outlet" if number % 2 else "sana",
            "evidence_text": said[number % 3],
        }
        for number in range(12)
    ]
    frame = claim_events(rows)
    with _compiled_fold_always():
        live = IncrementalReplay(frame.head(6), Policy())
        for at in range(6, 12):
            live.append(frame.slice(at, 1))
        site = live._sites["palmyra"]._encoded
        assert site is not None and "_weighed_words" in site.__dict__  # extended, not remade
        assert _assert_kept_text_codes_equal_fresh_ones(live) == 1
        whole, full = live.timelines(), replay(frame, Policy())
    assert full.swings.height >= 2
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(whole, table), getattr(full, table))
