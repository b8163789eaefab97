"""The committed log: it verifies, holds every curated claim, and replays to known shapes.

A change to events/ that alters these is a change to the published record: update the
snapshot in the same commit and say why.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl

from engine.project import replay_log
from engine.store import open_log
from engine.store.verify import verify_log

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"

#: site_id -> number of control intervals under the default (weighed) policy. Every site
#: also shows who held it before its first evidence (an open start), so a site with one
#: known change has two intervals.
INTERVAL_COUNTS = {
    "al_qaryatayn": 3, "huwaysis": 3, "mahsa_al_qaryatayn": 3, "palmyra": 5,
}
N_SITES_WITH_INTERVALS = 39


def _build_log_module():
    spec = importlib.util.spec_from_file_location("build_log", ROOT / "curation" / "build_log.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_log_verifies():
    result = verify_log(EVENTS)
    assert result.ok, result.problem
    assert result.n_sources == 6


def test_every_curated_claim_is_already_in_the_log_exactly_once():
    curated = _build_log_module().curated_events(EVENTS)
    in_log = {e.event_id: e.seq for e in open_log(EVENTS).events()}
    assert [e.event_id in in_log for e in curated] == [True] * len(curated)
    assert len(set(in_log)) == len(in_log)


def test_per_site_interval_counts_match_the_snapshot():
    intervals = replay_log(log_dir=EVENTS).timelines.intervals
    counts = dict(intervals.group_by("site_id").len().iter_rows())
    assert len(counts) == N_SITES_WITH_INTERVALS
    assert {s: counts[s] for s in INTERVAL_COUNTS} == INTERVAL_COUNTS
    assert all(n == 2 for s, n in counts.items() if s not in INTERVAL_COUNTS)


def test_every_site_and_claimant_in_the_log_is_in_the_reference_data():
    from engine.reference import claimant_ids, site_ids

    claims = replay_log(log_dir=EVENTS).timelines.claims
    assert set(claims["site_id"]) <= site_ids()
    assert set(claims["claimant"]) <= claimant_ids()


def test_the_reference_chronology_is_its_own_claimant_and_can_be_left_out():
    from engine.domain import Policy

    replayed = replay_log(log_dir=EVENTS)
    without = replayed.with_policy(Policy(distrust=frozenset({"reference"})))
    assert (replayed.timelines.claims.filter(pl.col("claimant") == "reference").height == 6)
    assert "reference" not in without.timelines.claims["claimant"].to_list()
