"""The compiled weighed fold (engine.domain.weighing_passes) gives the same tables as the
specification (engine.domain.weighing) on every log hypothesis generates: several sites,
every kind of claim, denials, sieges, near and far dates, fallback windows, copies of one
wording, claimant weights."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, Policy, replay_weighed
from engine.domain.replay_weighed import weighed_timelines
from engine.domain.testing import claim_events
from engine.synth import synth_claim_events

BASE = dt.date(2016, 12, 1)
KINDS = ["captured", "captured", "withdrew", "partial", "besieged", "siege_broken", "attacked"]
ACTORS = ["isis", "government", "opposition", "unknown", None]
CLAIMANTS = ["outlet", "outlet", "amaq", "sana", "russian_mod"]
# reprints differ in punctuation and spacing; "…" has no words (a voice of its own)
WORDINGS = ["ISIS took the town.", "ISIS  took the town", "the army entered", "…", ""]
PRECISIONS = ["day", "days", "week", "month", "year", "fallback", None]


@st.composite
def claim(draw, number: int) -> dict:
    far = draw(st.booleans())
    start = draw(st.integers(-400, 400) if far else st.integers(0, 20))
    width = draw(st.sampled_from([0, 0, 1, 2, 5, 30, 31, 40, 365]))
    lag = draw(st.sampled_from([0, 0, 1, 10, 31, 32, 300]))
    begin = BASE + dt.timedelta(days=start)
    end = begin + dt.timedelta(days=width)
    return {
        "claim_id": f"c{number:03d}",
        "site_id": draw(st.sampled_from(["a", "b", "c"])),
        "kind": draw(st.sampled_from(KINDS)),
        "gainer": draw(st.sampled_from(ACTORS)),
        "loser": draw(st.sampled_from(ACTORS)),
        "valid_from": begin,
        "valid_to": end,
        "published_date": None if draw(st.integers(0, 9)) == 0 else end + dt.timedelta(days=lag),
        "time_precision": draw(st.sampled_from(PRECISIONS)),
        "claimant": draw(st.sampled_from(CLAIMANTS)),
        "denied": draw(st.integers(0, 5)) == 0,
        "confidence": draw(st.sampled_from([1.0, 1.0, 0.9, 0.5])),
        "evidence_text": draw(st.sampled_from(WORDINGS)),
    }


@st.composite
def logs(draw) -> list[dict]:
    count = draw(st.integers(1, 40))
    rows = [draw(claim(number)) for number in range(count)]
    # a few later events: a retraction, a correction moving a claim's window
    for number in draw(st.lists(st.integers(0, count - 1), max_size=3)):
        if draw(st.booleans()):
            rows.append({"event": "retracted", "claim_id": f"c{number:03d}"})
        else:
            moved = BASE + dt.timedelta(days=draw(st.integers(0, 20)))
            rows.append(
                {
                    "event": "corrected",
                    "claim_id": f"c{number:03d}",
                    "site_id": "a",
                    "kind": "captured",
                    "gainer": draw(st.sampled_from(ACTORS[:3])),
                    "valid_from": moved,
                    "valid_to": moved,
                }
            )
    return rows


policies = st.builds(
    Policy,
    include_denied=st.booleans(),
    weights=st.dictionaries(
        st.sampled_from(CLAIMANTS[1:]), st.sampled_from([0, 0.5, 1, 2, 3]), max_size=3
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs(), policies)
def test_the_compiled_fold_gives_the_specifications_tables(rows, policy):
    encoded = EncodedEvents.of(claim_events(rows))
    _, spec_intervals, spec_swings, _ = weighed_timelines(encoded, policy, compiled=False)
    _, intervals, swings, _ = weighed_timelines(encoded, policy, compiled=True)
    assert_frame_equal(intervals, spec_intervals)
    assert_frame_equal(swings, spec_swings)


def test_the_compiled_fold_on_two_threads_gives_what_one_thread_gives(monkeypatch):
    encoded = EncodedEvents.of(synth_claim_events(20_000, seed=3))
    folded = []
    for threads in (1, 2):
        monkeypatch.setattr(replay_weighed, "PARALLEL_FROM", 0 if threads == 2 else 10**12)
        folded.append(weighed_timelines(encoded, Policy(), compiled=True))
    assert_frame_equal(folded[0][1], folded[1][1])
    assert_frame_equal(folded[0][2], folded[1][2])
    assert folded[0][1]["site_id"].n_unique() > 100  # sites enough for two parts


def test_explain_reads_the_specification_when_the_compiled_fold_made_the_tables(monkeypatch):
    from engine.domain import replay

    rows = [
        {
            "claim_id": "a",
            "site_id": "x",
            "gainer": "isis",
            "loser": "government",
            "valid_from": "2016-12-11",
            "published_date": "2016-12-11",
            "evidence_text": "a",
        },
        {
            "claim_id": "b",
            "site_id": "x",
            "gainer": "isis",
            "valid_from": "2016-12-11",
            "published_date": "2016-12-11",
            "claimant": "amaq",
            "evidence_text": "b",
        },
        {
            "claim_id": "c",
            "site_id": "x",
            "gainer": "government",
            "loser": "isis",
            "valid_from": "2016-12-11",
            "published_date": "2016-12-11",
            "claimant": "russian_mod",
        },
    ]
    events = claim_events(rows)
    spec = replay(events).explain("x", dt.date(2016, 12, 20))
    monkeypatch.setattr(replay_weighed, "COMPILED_FROM", 0)
    compiled = replay(events)
    why = compiled.explain("x", dt.date(2016, 12, 20))
    assert why.rule == spec.rule and why.interval == spec.interval
    assert why.claims.equals(spec.claims)
    assert why.claims.filter(stance="against")["claim_id"].to_list() == ["c"]


def test_per_event_codes_a_snapshot_kept_give_the_same_tables():
    events = synth_claim_events(6_000, seed=5)
    made = EncodedEvents.of(events)
    kept = replay_weighed.text_codes(made)
    fresh, adopted = EncodedEvents.of(events), EncodedEvents.of(events)
    assert not replay_weighed.keep_text_codes(adopted, kept.head(10))  # another height
    assert not replay_weighed.keep_text_codes(adopted, kept.with_columns(pl.col("kind") + 0.5))
    assert replay_weighed.keep_text_codes(adopted, kept)
    _, intervals, swings, _ = weighed_timelines(adopted, Policy(), compiled=True)
    _, fresh_intervals, fresh_swings, _ = weighed_timelines(fresh, Policy(), compiled=True)
    assert_frame_equal(intervals, fresh_intervals)
    assert_frame_equal(swings, fresh_swings)
    # the adopted codes are the ones read: other words would group other voices
    shuffled = kept.with_columns(words=pl.int_range(pl.len(), dtype=pl.Int64))
    other = EncodedEvents.of(events)
    assert replay_weighed.keep_text_codes(other, shuffled)
    _, other_intervals, _, _ = weighed_timelines(other, Policy(), compiled=True)
    assert not other_intervals.equals(fresh_intervals)
