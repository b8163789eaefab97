"""An append costs its batch (issue 15.11): it reads the head (the last line) and the
append index kept beside the log, not the log; the index is caught up or rebuilt
whenever it does not match the log, and never makes an append skip or accept wrongly."""

from __future__ import annotations

import json
import shutil

import pytest

from engine.domain.errors import InvalidEvent
from engine.domain.events import ClaimReviewed
from engine.store.index import index_path, open_index
from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import first_claim_id, review_events


def _no_full_read(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise AssertionError("the append read the whole log")

    monkeypatch.setattr(EventLog, "_scan", refuse)


def test_an_append_reads_the_head_and_the_index_not_the_log(log_copy, monkeypatch):
    claim = first_claim_id(log_copy)
    EventLog(log_copy).append(review_events(claim, "builds-the-index", 1))
    assert index_path(log_copy).exists()
    head = EventLog(log_copy).head()
    _no_full_read(monkeypatch)
    log = EventLog(log_copy)
    seqs = log.append(review_events(claim, "indexed", 3))
    assert seqs == [head.seq + 1, head.seq + 2, head.seq + 3] and log.appended == seqs
    # a retry is found in the index (nothing written), a review of an unknown claim refused
    again = EventLog(log_copy)
    assert again.append(review_events(claim, "indexed", 3)) == seqs and again.appended == []
    with pytest.raises(InvalidEvent, match="not in the log"):
        EventLog(log_copy).append([ClaimReviewed("c0000000000000000", "accepted", "me", "")])
    monkeypatch.undo()
    assert verify_log(log_copy).ok


def test_lines_appended_behind_the_index_are_indexed_before_the_next_append(log_copy):
    claim = first_claim_id(log_copy)
    EventLog(log_copy).append(review_events(claim, "a", 1))
    index_path(log_copy).rename(index_path(log_copy).with_suffix(".kept"))
    behind = review_events(claim, "b", 2)
    EventLog(log_copy).append(behind)  # written while the index was away
    index_path(log_copy).unlink()
    index_path(log_copy).with_suffix(".kept").rename(index_path(log_copy))
    log = EventLog(log_copy)
    log.append(behind)  # the retry must be found although the index had not seen it
    assert log.appended == []
    index = open_index(log_copy)
    assert index.mark().seq == EventLog(log_copy).head().seq
    index.close()


def test_an_index_that_does_not_match_the_log_is_rebuilt(log_copy, tmp_path):
    claim = first_claim_id(log_copy)
    EventLog(log_copy).append(review_events(claim, "mine", 2))
    # a colleague's log of the same length arrives (another last line): the mark fails
    other = tmp_path / "other"
    shutil.copytree(log_copy, other, ignore=shutil.ignore_patterns(".cache", "log.lock"))
    lines = (other / "log.jsonl").read_bytes().splitlines(keepends=True)
    (other / "log.jsonl").write_bytes(b"".join(lines[:-2]))
    EventLog(other).append(review_events(claim, "theirs", 2))
    shutil.copyfile(other / "log.jsonl", log_copy / "log.jsonl")
    log = EventLog(log_copy)
    log.append(review_events(claim, "mine", 2))  # not in this log: appended again
    assert len(log.appended) == 2 and verify_log(log_copy).ok


def test_a_damaged_index_is_rebuilt(log_copy):
    claim = first_claim_id(log_copy)
    EventLog(log_copy).append(review_events(claim, "a", 1))
    index_path(log_copy).write_bytes(b"not a database" * 100)
    log = EventLog(log_copy)
    log.append(review_events(claim, "a", 1))
    assert log.appended == [] and verify_log(log_copy).ok


def test_the_index_knows_each_registered_text(log_copy, monkeypatch):
    EventLog(log_copy).append(review_events(first_claim_id(log_copy), "a", 1))
    first = json.loads((log_copy / "log.jsonl").read_bytes().splitlines()[0])["data"]
    _no_full_read(monkeypatch)
    index = open_index(log_copy)
    assert index.document_with_text(first["sha256"]) == (first["doc_id"], 1)
    assert index.document(first["doc_id"]).path == first["path"]
    index.close()
