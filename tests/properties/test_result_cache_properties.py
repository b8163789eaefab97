"""A kept answer is the answer: over generated logs written by the store, appended to,
and generated policies (both modes), ``replay_log`` with its result cache (first a
miss, then read back) gives the tables of a replay without it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import Policy
from engine.domain.events import ClaimRecorded, ClaimRetracted, ClaimReviewed, Event
from engine.project import replay_log
from engine.store import open_log
from engine.store.sources import register_document
from tests.properties.strategies import ACTORS, CLAIMANTS, DAY0, KINDS, SITES, policies

#: one source text; claim i quotes its character i, so every claim has its own identity
SOURCE = "ش" * 200


@st.composite
def claims(draw, number: int) -> ClaimRecorded:
    start = DAY0 + dt.timedelta(days=draw(st.integers(0, 60)))
    end = start + dt.timedelta(days=draw(st.sampled_from([0, 0, 1, 3, 10, 30])))
    return ClaimRecorded.make(
        doc_id="d",
        site_id=draw(st.sampled_from(SITES)),
        kind=draw(st.sampled_from(KINDS)),
        gainer=draw(st.sampled_from(ACTORS)),
        loser=draw(st.sampled_from([None, *ACTORS])),
        valid_from=start.isoformat(),
        valid_to=end.isoformat(),
        time_precision="day",
        claimant=draw(st.sampled_from(CLAIMANTS)),
        denied=draw(st.booleans()),
        evidence={"start": number, "end": number + 1, "text": SOURCE[number]},
        extractor=draw(st.sampled_from(["manual", "rules@1"])),
        confidence=draw(st.sampled_from([0.5, 1.0])),
    )


@st.composite
def batches(draw) -> list[list[Event]]:
    """Two batches of claims, retractions and reviews (each claim acted on at most once)."""
    recorded: list[str] = []
    done: list[list[Event]] = []
    for _ in range(2):
        batch: list[Event] = []
        for _ in range(draw(st.integers(1, 12))):
            open_claims = [
                c
                for c in recorded
                if c
                not in {
                    getattr(e, "claim_id", "")
                    for b in [*done, batch]
                    for e in b
                    if not isinstance(e, ClaimRecorded)
                }
            ]
            act = draw(st.sampled_from(["record"] * 3 + ["retract", "review"]))
            if act == "record" or not open_claims:
                claim = draw(claims(len(recorded)))
                recorded.append(claim.claim_id)
                batch.append(claim)
            elif act == "retract":
                batch.append(ClaimRetracted(draw(st.sampled_from(open_claims)), "misread"))
            else:
                batch.append(
                    ClaimReviewed(
                        draw(st.sampled_from(open_claims)),
                        draw(st.sampled_from(["accepted", "rejected"])),
                        "analyst",
                        "checked",
                    )
                )
        done.append(batch)
    return done


any_policy = st.tuples(
    policies,
    st.sampled_from(["strict", "weighed"]),
    st.dictionaries(st.sampled_from(CLAIMANTS), st.sampled_from([0.0, 0.5, 2.0]), max_size=2),
).map(lambda t: dataclasses.replace(t[0], mode=t[1], weights=t[2] if t[1] == "weighed" else {}))


def assert_kept_answer_is_the_answer(root: Path, policy: Policy) -> None:
    plain = replay_log(policy, root, cache=False)
    first, second = replay_log(policy, root), replay_log(policy, root)
    assert not first.kept and second.kept
    for replayed in (first, second):
        assert replayed.head == plain.head
        for table in ("intervals", "swings", "claims"):
            assert_frame_equal(getattr(replayed.timelines, table), getattr(plain.timelines, table))


@settings(max_examples=40, deadline=None)
@given(batches=batches(), policies=st.lists(any_policy, min_size=1, max_size=3, unique=True))
def test_a_kept_answer_equals_a_replay_without_the_cache(batches, policies):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "log"
        root.mkdir()
        source = Path(tmp) / "source.txt"
        source.write_text(SOURCE, encoding="utf-8")
        document = register_document(
            root, source, doc_id="d", published="2016-01-01", outlet="o", title="t", url="u"
        )
        log = open_log(root)
        log.append([document, *batches[0]])
        for policy in policies:
            assert_kept_answer_is_the_answer(root, policy)
        log.append(batches[1])  # a new head: every answer is replayed again, then kept
        for policy in policies:
            assert_kept_answer_is_the_answer(root, policy)
