"""Property: on every generated log and policy, the polars replay equals the plain fold."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings

from engine.domain import replay
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from engine.domain.strict_rules import believed_claims, fold
from tests.properties.strategies import claim_logs, policies


@settings(max_examples=300, deadline=None)
@given(rows=claim_logs(), policy=policies)
def test_polars_replay_equals_the_reference_fold(rows, policy):
    frame = pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row")
    timelines = replay(frame, policy)
    expected_claims = believed_claims(rows, policy)
    assert timelines.claims["claim_id"].to_list() == [c["claim_id"] for c in expected_claims]
    intervals, swings = fold(expected_claims)
    assert timelines.intervals.rows() == intervals
    assert timelines.swings.rows() == swings
