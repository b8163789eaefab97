"""Properties of the encoding on generated logs: one encoding serves every policy, and an
encoding extended by appends is the one made whole."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, replay, resolve_claims
from engine.domain.encoding import records_by_site
from engine.domain.schema import CLAIM_EVENTS, polars_schema
from tests.properties.strategies import claim_logs, policies


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


@settings(max_examples=50, deadline=None)
@given(rows=claim_logs(), cut=st.integers(0, 30))
def test_an_extended_encoding_has_the_index_of_one_made_whole(rows, cut):
    whole = EncodedEvents.of(pl.DataFrame(rows, schema=polars_schema(CLAIM_EVENTS), orient="row"))
    cut = min(cut, whole.height)
    head = EncodedEvents(
        whole.codes.head(cut), whole.sites, whole.actors, whole.claimants, whole.source.head(cut)
    )
    extended = head.extended(whole.codes.slice(cut), whole.source)
    assert_frame_equal(extended.codes, whole.codes)
    assert_frame_equal(extended.by_site, records_by_site(whole.codes))
    if (head.codes["claim"] < cut).all():  # extended's precondition: see its docstring
        assert_frame_equal(extended.revisions.standing, whole.revisions.standing)
        assert extended.revisions.touched.sort().to_list() == (
            whole.revisions.touched.sort().to_list()
        )
