"""Events are frozen facts; a malformed one is refused with what, where and a hint."""

from __future__ import annotations

import dataclasses

import pytest

from engine.domain.errors import InvalidEvent
from engine.domain.events import ClaimCorrected, ClaimRecorded, ClaimRetracted, event_from_data

GOOD = {"doc_id": "seed001", "site_id": "palmyra", "kind": "captured", "gainer": "isis",
        "loser": "government", "valid_from": "2016-12-11", "valid_to": "2016-12-11",
        "time_precision": "day", "claimant": "outlet", "denied": False,
        "evidence": {"start": 0, "end": 4, "text": "تدمر"}}


def claim(**changes) -> ClaimRecorded:
    return ClaimRecorded.make(**{**GOOD, **changes})


def test_a_well_formed_claim_validates_and_its_id_is_its_content():
    assert claim().claim_id == claim().claim_id != claim(claimant="amaq").claim_id
    claim().validate()


def test_events_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim().kind = "withdrew"  # type: ignore[misc]


def test_the_same_event_has_the_same_event_id():
    assert ClaimRetracted("c1", "misread").event_id == ClaimRetracted("c1", "misread").event_id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"valid_from": "2016-12-12", "valid_to": "2016-12-11"},
         r"the date window ends before it starts: valid_from 2016-12-12 > valid_to 2016-12-11"),
        ({"valid_to": "2016-02-30"},
         r"valid_to must be an ISO date YYYY-MM-DD, found '2016-02-30'"),
        ({"kind": "recaptured"}, r"kind must be one of captured, .*found 'recaptured'"),
        ({"gainer": "ISIS"}, r"gainer must be one of isis, .*found 'ISIS'"),
        ({"site_id": "../etc"}, r"site_id must be a lowercase slug"),
        ({"evidence": {"start": 3, "end": 4, "text": "تدمر"}}, r"evidence must be"),
        ({"confidence": 1.5}, r"confidence must be a number in \[0, 1\]"),
    ],
)
def test_a_malformed_claim_is_refused_saying_what_where_and_a_hint(changes, message):
    with pytest.raises(InvalidEvent, match=message) as caught:
        claim(**changes).validate()
    assert "(at claim " in str(caught.value) and "Hint:" in str(caught.value)


def test_a_correction_must_restate_every_correctable_field():
    with pytest.raises(InvalidEvent, match="a correction carries exactly the fields"):
        ClaimCorrected("c1", {"gainer": "government"}, "misread").validate()


def test_an_unknown_event_type_is_refused_naming_the_known_ones():
    with pytest.raises(InvalidEvent, match=r"unknown event type 'ClaimInvented'.*known types"):
        event_from_data("ClaimInvented", {}, "line 3")
