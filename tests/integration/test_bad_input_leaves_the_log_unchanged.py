"""Bad input gets a clear error (what, where, hint) and not one byte of the log changes."""

from __future__ import annotations

import pytest

from engine.domain.errors import InvalidEvent, LogCorrupted
from engine.domain.events import ClaimRecorded, ClaimRetracted
from engine.store import open_log
from tests.integration.conftest import tadmur


def claim(**changes) -> ClaimRecorded:
    fields = {"doc_id": "seed001", "site_id": "palmyra", "kind": "captured", "gainer": "isis",
              "loser": "government", "valid_from": "2016-12-11", "valid_to": "2016-12-11",
              "time_precision": "day", "claimant": "outlet", "denied": False,
              "evidence": {"start": 0, "end": 4, "text": "xxxx"}}
    return ClaimRecorded.make(**{**fields, **changes})


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (claim(doc_id="nowhere"), "quotes document 'nowhere', which is not registered"),
        (claim(site_id="tadmor"), "unknown site id 'tadmor'"),
        (claim(valid_from="2016-12-12"), "the date window ends before it starts"),
        (claim(), "is not the source text at"),
        (ClaimRetracted("cdeadbeefdeadbeef", "wrong"), "which is not in the log"),
    ],
)
def test_a_refused_append_names_the_problem_and_changes_nothing(log_copy, event, message):
    before = (log_copy / "log.jsonl").read_bytes()
    with pytest.raises(InvalidEvent, match=message) as caught:
        open_log(log_copy).append([event])
    assert "Hint:" in str(caught.value)
    assert (log_copy / "log.jsonl").read_bytes() == before


def test_a_batch_with_one_bad_event_appends_none_of_it(log_copy):
    before = (log_copy / "log.jsonl").read_bytes()
    good = ClaimRetracted(open_log(log_copy).events()[-1].event.claim_id, "duplicate")
    with pytest.raises(InvalidEvent):
        open_log(log_copy).append([good, claim(site_id="tadmor")])
    assert (log_copy / "log.jsonl").read_bytes() == before


def test_a_malformed_line_in_the_middle_is_fatal_names_the_line_and_is_left_in_place(log_copy):
    path = log_copy / "log.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[9] = b'{"seq": 10, "not": "a record"}\n'
    damaged = b"".join(lines)
    path.write_bytes(damaged)
    with pytest.raises(LogCorrupted, match=r"line 10, seq 10"):
        open_log(log_copy).events()
    done = tadmur("timeline", "--log", str(log_copy))
    assert done.returncode == 2 and "line 10" in done.stderr and "Hint:" in done.stderr
    assert path.read_bytes() == damaged


def test_verify_names_the_seq_of_an_edited_line(log_copy):
    path = log_copy / "log.jsonl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"valid_to":"2016-12-12"', '"valid_to":"2016-12-13"', 1),
                    encoding="utf-8")
    done = tadmur("verify", "--log", str(log_copy))
    assert done.returncode == 1
    assert "does not match its hash" in done.stderr and "seq " in done.stderr


def test_appending_the_same_claim_twice_is_a_no_op(log_copy):
    log = open_log(log_copy)
    last_claim = log.events()[-1].event
    size = (log_copy / "log.jsonl").stat().st_size
    assert log.append([last_claim]) == [log.head().seq]
    assert (log_copy / "log.jsonl").stat().st_size == size
