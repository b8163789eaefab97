"""The compiled passes against plain numpy and polars statements of what they do.

The replay as a whole is checked against the reference fold elsewhere
(test_replay_agrees_with_reference_fold, test_scale_replay); these pin the two passes
that only order rows, where a wrong tie would still give plausible timelines."""

from __future__ import annotations

import importlib
import itertools

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import passes
from engine.domain.claims import believed
from engine.domain.codes import MARKERS
from engine.domain.encoding import EncodedEvents
from engine.domain.errors import TadmurError
from engine.domain.policy import Policy
from engine.domain.replay import replay
from engine.domain.testing import claim_events
from engine.domain.vocabulary import STATUSES

keys = st.lists(st.integers(-3, 3), max_size=40)


@pytest.fixture(autouse=True)
def passes_run(monkeypatch):
    """The passes as plain Python, whatever their size: no compile in the unit layer
    (tests/properties/test_compiled_passes.py runs these tests again, compiled)."""
    monkeypatch.setattr(passes, "COMPILE_FROM", 1 << 62)


def test_the_compiled_codes_are_the_encodings_own():
    assert (passes.SWING, passes.CONTEST, passes.SIEGE_ON, passes.SIEGE_OFF) == tuple(
        MARKERS[k] for k in ("captured", "partial", "besieged", "siege_broken"))
    assert (passes.HELD, passes.CONTESTED, passes.BESIEGED, passes.UNKNOWN) == tuple(
        STATUSES.index(s) for s in ("held", "contested", "besieged", "unknown"))


@settings(max_examples=200, deadline=None)
@given(first=keys, second=keys, shuffled=keys)
def test_the_replay_order_is_a_stable_sort_of_any_keys(first, second, shuffled):
    for key in (sorted(first) + sorted(second), shuffled):  # two runs: a merge; else a sort
        key = np.array(key, dtype=np.int64)
        order = passes.site_start_order(key)
        assert order.tolist() == np.argsort(key, kind="stable").tolist()


def _dealt(markers: list[int], records: list[int], order: list[int]) -> None:
    """``support_of`` is a sort by (run, record) of the claims with a marker, whatever
    order it visits them in."""
    claimants = [7 * row for row in range(len(markers))]
    marker_run = np.array([0, 0, 1, 2, 2], dtype=np.int32)  # markers 0..4 -> runs 0..2
    changed = np.array([True, False, False, True, False])
    got = passes.support_of(
        np.array(order, dtype=np.int32), np.array(markers, dtype=np.int32),
        np.array(records, dtype=np.uint32), np.array(claimants, dtype=np.int32),
        marker_run, changed, 3)
    expected = (pl.DataFrame({"marker": markers, "record": records, "claimant": claimants},
                             schema=dict.fromkeys(["marker", "record", "claimant"], pl.Int64))
                .filter(pl.col("marker") >= 0)
                .select("record", "claimant", run=pl.lit(marker_run).gather("marker"),
                        swing=pl.lit(changed).gather("marker"))
                .sort("run", "record"))
    assert [a.tolist() for a in got] == [c.to_list() for c in expected.get_columns()]


@settings(max_examples=200, deadline=None)
@given(markers=st.lists(st.integers(-1, 4), max_size=30), data=st.data())
def test_claims_are_dealt_into_runs_in_log_order(markers, data):
    n = len(markers)
    _dealt(markers, data.draw(st.permutations(range(n))), data.draw(st.permutations(range(n))))


@pytest.mark.parametrize("n", [300, 20_000])
def test_long_runs_are_put_in_log_order_too(n):
    """Runs longer than an insertion sort is worth are radix sorted: one digit at 300
    claims, two (records above 4096) at 20,000."""
    rng = np.random.default_rng(n)
    _dealt(rng.integers(-1, 5, n).tolist(), rng.permutation(n).tolist(),
           rng.permutation(n).tolist())


def test_a_claim_inside_an_open_cluster_does_not_split_it():
    """A partial whose window falls inside a cluster of captures is a marker of its own;
    the captures around it are still one swing."""
    t = replay(claim_events([
        {"claim_id": "a", "site_id": "palmyra", "gainer": "isis",
         "valid_from": "2015-05-18", "valid_to": "2015-05-22"},
        {"claim_id": "p", "site_id": "palmyra", "kind": "partial", "gainer": "isis",
         "valid_from": "2015-05-19"},
        {"claim_id": "b", "site_id": "palmyra", "gainer": "isis",
         "valid_from": "2015-05-20", "valid_to": "2015-05-21"},
    ]))
    assert t.swings["claim_ids"].to_list() == [["a", "b"]]


def test_a_believed_claim_without_a_window_is_refused_by_name():
    events = claim_events([{"claim_id": "c1", "site_id": "palmyra", "gainer": "isis"},
                           {"claim_id": "c2", "site_id": "arak", "gainer": "isis"}])
    events = events.with_columns(
        valid_from=pl.when(pl.col("claim_id") == "c2").then(None).otherwise("valid_from"))
    with pytest.raises(TadmurError, match=r"no site or no date window \(at claim c2\)"):
        replay(events)
    assert believed(EncodedEvents.of(events), Policy()).height == 2


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3)),
                     max_size=40),
       budget=st.sampled_from([0, 10, 10_000]))
def test_the_marker_order_is_the_sort_or_says_it_gave_up(rows, budget):
    seq = np.arange(len(rows), dtype=np.int64)[::-1].copy()  # distinct, as order_seq is
    site, first, last = (np.array(column, dtype=np.int32) for column in zip(*rows, strict=True)
                         ) if rows else (np.array([], dtype=np.int32),) * 3
    order, found = passes.marker_order(site, first, last, seq, budget)
    expected = np.lexsort((seq, last, first, site))
    if found:
        assert order.tolist() == expected.tolist()
    else:
        assert budget < 10_000  # 40 markers take at most 780 moves


def test_markers_too_far_from_their_order_are_sorted_instead(monkeypatch):
    """The replay's fallback when the insertion sort gives up gives the same timelines."""
    events = claim_events([
        {"claim_id": f"c{k}", "site_id": ("palmyra", "arak")[k % 4 // 2],
         "gainer": ("isis", "government")[k % 2],
         "kind": ("captured", "partial", "besieged")[k % 3],
         "valid_from": f"2016-0{1 + k % 9}-1{k % 10}"} for k in range(30)])
    expected = replay(events)
    replay_module = importlib.import_module("engine.domain.replay")
    monkeypatch.setattr(replay_module, "_MOVES_PER_MARKER", -10_000)  # budget below 0
    given_up = replay(events)
    for table in ("intervals", "swings"):
        assert_frame_equal(getattr(given_up, table), getattr(expected, table))


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(1, 50), min_size=1, max_size=12), data=st.data())
def test_walks_are_cut_only_where_a_site_begins(sizes, data):
    """The pieces walked on two threads cover the claims in order and never share a site."""
    replay_module = importlib.import_module("engine.domain.replay")
    with pytest.MonkeyPatch.context() as patch:  # (hypothesis: no function-scoped fixture)
        patch.setattr(replay_module, "_PARALLEL_FROM", 0)
        patch.setattr(replay_module.pl, "thread_pool_size", lambda: 2)
        _check_walks(replay_module, sizes, data)


def _check_walks(replay_module, sizes: list[int], data) -> None:
    site = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    order = np.array(data.draw(st.permutations(range(site.size))), dtype=np.int32)
    order = order[np.argsort(site[order], kind="stable")]  # rows by site, as walks get them
    pieces = replay_module._split_between_sites(order, site)
    assert np.concatenate(pieces).tolist() == order.tolist()
    assert all(site[a[-1]] != site[b[0]] for a, b in itertools.pairwise(pieces))
    if len(pieces) == 2:  # no piece holds more than three quarters of the claims
        assert max(p.size for p in pieces) <= site.size - site.size // 4
