"""The encoded form of the claim events: encode once, replay under any policy."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, Policy, replay, resolve_claims
from engine.domain.encoding import records_by_site
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from engine.domain.testing import claim_events
from engine.domain.strict_rules import believed_claims, fold
from tests.unit.test_replay_agrees_with_reference_fold import claim_logs, policies


@settings(max_examples=100, deadline=None)
@given(rows=claim_logs(), policies=st.lists(policies, min_size=1, max_size=4))
def test_one_encoding_serves_every_policy(rows, policies):
    frame = pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")
    encoded = EncodedEvents.of(frame)
    for policy in policies:
        from_codes, from_strings = replay(encoded, policy), replay(frame, policy)
        for table in ("claims", "intervals", "swings"):
            assert_frame_equal(getattr(from_codes, table), getattr(from_strings, table))
        assert_frame_equal(from_codes.claims, resolve_claims(encoded, policy))


def test_codes_sort_like_names_and_later_events_find_their_record():
    encoded = EncodedEvents.of(claim_events([
        {"claim_id": "c1", "site_id": "tadmur", "gainer": "isis", "claimant": "sana"},
        {"claim_id": "c2", "site_id": "arak", "gainer": "government", "claimant": "amaq"},
        {"event": "reviewed", "claim_id": "c2", "verdict": "accepted"},
        {"event": "retracted", "claim_id": "nowhere"},
    ]))
    assert encoded.sites.to_list() == ["arak", "tadmur"]
    assert encoded.claimants.to_list() == ["amaq", "sana"]
    assert encoded.codes.select("site", "claim", "verdict").rows() == [
        (1, 0, None), (0, 1, None), (None, 1, 0), (None, None, None)]


def test_an_event_before_its_record_still_applies_as_in_the_reference():
    rows = claim_events([
        {"event": "retracted", "claim_id": "late"},
        {"claim_id": "late", "site_id": "arak", "gainer": "isis"},
        {"claim_id": "kept", "site_id": "arak", "gainer": "government", "valid_from": "2016-02-01"},
    ]).rows(named=True)
    frame = pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")
    intervals, swings = fold(believed_claims(rows, Policy(mode="strict")))
    timelines = replay(frame, Policy(mode="strict"))
    assert timelines.intervals.rows() == intervals and timelines.swings.rows() == swings
    assert timelines.claims["claim_id"].to_list() == ["kept"]


def test_trusting_a_claimant_the_log_never_names_believes_nothing():
    events = claim_events([{"claim_id": "c1", "site_id": "arak", "gainer": "isis"}])
    assert replay(events, Policy(trust=frozenset({"nobody"}))).intervals.height == 0
    assert replay(events, Policy(distrust=frozenset({"nobody"}))).intervals.height == 1


@settings(max_examples=50, deadline=None)
@given(rows=claim_logs(), cut=st.integers(0, 30))
def test_an_extended_encoding_has_the_index_of_one_made_whole(rows, cut):
    whole = EncodedEvents.of(pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row"))
    cut = min(cut, whole.height)
    head = EncodedEvents(whole.codes.head(cut), whole.sites, whole.actors, whole.claimants,
                         whole.source.head(cut))
    extended = head.extended(whole.codes.slice(cut), whole.source)
    assert_frame_equal(extended.codes, whole.codes)
    assert_frame_equal(extended.by_site, records_by_site(whole.codes))
    if (head.codes["claim"] < cut).all():  # extended's precondition: see its docstring
        assert_frame_equal(extended.revisions.standing, whole.revisions.standing)
        assert extended.revisions.touched.sort().to_list() == (
            whole.revisions.touched.sort().to_list())
