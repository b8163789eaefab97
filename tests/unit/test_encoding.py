"""The encoded form of the claim events: encode once, replay under any policy."""

from __future__ import annotations

import polars as pl

from engine.domain import EncodedEvents, Policy, replay
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from engine.domain.testing import claim_events
from engine.domain.strict_rules import believed_claims, fold


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


