"""The compiled passes give what the plain Python ones give (small logs run plain, see
engine/domain/passes.py): the unit tests of the passes run again compiled, the replay of
generated logs compiled equals the plain one, and a log large enough for every fast path
(packed keys, claimant masks, walks on two threads) replays like the reference fold."""

from __future__ import annotations

import importlib

import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal

from engine.domain import passes, replay
from engine.domain.ordering import SMALL
from engine.domain.policy import Policy
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from engine.domain.strict_rules import believed_claims, fold
from engine.synth import synth_claim_events
from tests.properties.strategies import claim_logs, policies
from tests.unit import test_passes

# the passes' unit tests, collected here again: they run compiled (the fixture below)
globals().update(
    {name: test for name, test in vars(test_passes).items() if name.startswith("test_")}
)


@pytest.fixture(autouse=True)
def passes_run(monkeypatch):
    """Every pass compiled, whatever its size (overrides the unit tests' plain runs)."""
    monkeypatch.setattr(passes, "COMPILE_FROM", 0)


@settings(max_examples=150, deadline=None)
@given(rows=claim_logs(), policy=policies)
def test_a_compiled_replay_equals_a_plain_one(rows, policy):
    frame = pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")
    with pytest.MonkeyPatch.context() as plain:
        plain.setattr(passes, "COMPILE_FROM", 1 << 62)
        expected = replay(frame, policy)
    got = replay(frame, policy)
    for table in ("claims", "intervals", "swings"):
        assert_frame_equal(getattr(got, table), getattr(expected, table))


def test_a_compiled_pass_gets_the_same_argument_types_from_any_arrays():
    """Read-only or writeable, NumPy or Python integers: one machine code per pass."""
    import numpy as np

    key = np.array([3, 1, 2], dtype=np.int64)
    frozen = key.copy()
    frozen.flags.writeable = False
    for arg in (key, frozen):
        assert passes.site_start_order(arg).tolist() == [1, 2, 0]
    assert len(passes.compiled(passes.site_start_order).signatures) == 1


@pytest.mark.parametrize("walks", [1, 2])
def test_a_replay_large_enough_for_every_fast_path_equals_the_reference_fold(walks, monkeypatch):
    """Past ``SMALL`` rows the replay packs sort keys and spells claimant sets from bit
    masks; below it, plain polars calls. With two walks, the compiled passes run on two
    threads, each over its own sites (as from ``_PARALLEL_FROM`` believed claims on)."""
    replay_module = importlib.import_module("engine.domain.replay")
    if walks == 2:
        monkeypatch.setattr(replay_module, "_PARALLEL_FROM", 0)
        monkeypatch.setattr(replay_module.pl, "thread_pool_size", lambda: 2)
    split, made = replay_module._split_between_sites, []
    monkeypatch.setattr(
        replay_module, "_split_between_sites", lambda *args: made.append(split(*args)) or made[-1]
    )
    events = synth_claim_events(40_000, n_sites=2000, seed=3)
    timelines = replay(events, Policy(mode="strict"))
    assert [len(pieces) for pieces in made] == [walks]
    assert timelines.swings["n_claims"].sum() >= SMALL  # the claimant masks are in play
    expected = believed_claims(events.rows(named=True), Policy(mode="strict"))
    assert timelines.claims["claim_id"].to_list() == [c["claim_id"] for c in expected]
    intervals, swings = fold(expected)
    assert timelines.intervals.rows() == intervals
    assert timelines.swings.rows() == swings
