"""The checked block read (msgspec) reads hostile strings exactly as the store's
line-by-line reader does, a damaged line still falls back to the store's error, and ``replay_log`` (a full check, or
the snapshot a full check left for the same bytes) gives the checked reader's answer,
repairs included, and refuses an edited line."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from engine.domain import replay
from engine.domain.errors import LogCorrupted
from engine.domain.events import (
    CORRECTABLE_FIELDS,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
)
from engine.project import replay_log
from engine.store.read import cache_dir, load_claim_events
from engine.store import open_log
from engine.store.frames import claim_events_frame
from engine.store.sources import register_document
from tests.integration.conftest import tadmur

HOSTILE = [
    '"', "\\", '\\"', '"\\', "\n", "\r\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", "😀",
    'سيطر تنظيم "الدولة" على تدمر', '"},"extractor":"x","confidence":0.5},"hash":"',
    '","type":"ClaimRetracted","', "\\u0041", "é" * 30,
]
#: any text a UTF-8 source can hold (lone surrogates cannot be written)
texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=30)


def write_hostile_log(root: Path, evidence: list[str], note: str) -> Path:
    """A log written by the store whose free text (title, outlet, evidence, reasons, notes)
    is ``evidence`` and ``note``: every claim quotes its text from one source."""
    root.mkdir(parents=True)
    source = root.parent / "source.txt"
    source.write_bytes("".join(evidence).encode("utf-8"))
    doc = register_document(root, source, doc_id="hostile", published="2016-12-11",
                            outlet=note, title=note + evidence[0], url=note)
    claims, start = [], 0
    for i, text in enumerate(evidence):
        claims.append(ClaimRecorded.make(
            doc_id="hostile", site_id="palmyra", kind="captured", gainer="isis",
            loser=None if i % 2 else "government", valid_from="2016-12-08",
            valid_to="2016-12-11", time_precision="days", claimant="outlet", denied=i % 3 == 0,
            evidence={"start": start, "end": start + len(text), "text": text},
            extractor="manual", confidence=1.0 if i % 2 else 0.25))
        start += len(text)
    first = claims[0]
    corrected = {k: getattr(first, k) for k in CORRECTABLE_FIELDS} | {"gainer": "government"}
    open_log(root).append([doc, *claims, ClaimCorrected(first.claim_id, corrected, note),
                           ClaimReviewed(first.claim_id, "accepted", note, note),
                           ClaimRetracted(claims[-1].claim_id, note)])
    return root


def assert_reads_like_the_store(root: Path) -> None:
    checked = claim_events_frame(open_log(root).events())
    loaded = load_claim_events(root, cache=False)
    assert loaded.source == "jsonl"
    assert_frame_equal(loaded.claim_events, checked)
    load_claim_events(root)  # writes the snapshot
    cached = load_claim_events(root)
    assert cached.source == "cache"
    assert_frame_equal(cached.claim_events, checked)


def test_the_block_read_decodes_every_hostile_string_like_the_store(tmp_path):
    root = write_hostile_log(tmp_path / "log", HOSTILE, '\\"\n\x00😀 "note"')
    assert b"\\u0000" in (root / "log.jsonl").read_bytes()  # escapes really are in the file
    assert_reads_like_the_store(root)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence=st.lists(texts, min_size=1, max_size=4), note=texts)
def test_the_block_read_equals_the_store_on_any_text(evidence, note):
    if not note.strip():
        note = note + "x"  # a reason must say something
    with tempfile.TemporaryDirectory() as folder:
        assert_reads_like_the_store(write_hostile_log(Path(folder) / "log", evidence, note))


@pytest.fixture
def hostile_log(tmp_path):
    return write_hostile_log(tmp_path / "log", HOSTILE, "a note")


def _lines(root: Path) -> list[bytes]:
    return (root / "log.jsonl").read_bytes().splitlines(keepends=True)


def test_a_garbled_line_in_the_middle_falls_back_to_the_store_error(hostile_log):
    lines = _lines(hostile_log)
    lines[3] = lines[3].replace(b'"kind":"captured"', b'"kind":captured"', 1)
    (hostile_log / "log.jsonl").write_bytes(b"".join(lines))
    with pytest.raises(LogCorrupted, match=r"not valid JSON.*line 4, seq 4"):
        load_claim_events(hostile_log, cache=False)


@pytest.mark.parametrize("check", ["links", "full"])
def test_a_non_canonical_line_is_refused_by_every_read(hostile_log, check):
    lines = _lines(hostile_log)
    lines[3] = json.dumps(json.loads(lines[3]), ensure_ascii=True).encode() + b"\n"
    (hostile_log / "log.jsonl").write_bytes(b"".join(lines))
    # the JSON says the same and the links hold, but the bytes are not what was hashed
    with pytest.raises(LogCorrupted, match=r"exact form.*line 4, seq 4"):
        load_claim_events(hostile_log, check=check)


# -- replay_log: a full check, through the snapshot cache ----------------------------------


def test_replay_log_gives_the_checked_readers_answer_and_head(log_copy):
    replayed = replay_log(log_dir=log_copy)
    checked = claim_events_frame(open_log(log_copy).events())
    assert_frame_equal(replayed.claim_events, checked)
    assert replayed.timelines.intervals.equals(replay(checked).intervals)
    assert replayed.head == open_log(log_copy).head() and replayed.repairs == ()
    again = replay_log(log_dir=log_copy)  # now from the snapshot
    assert (cache_dir(log_copy) / ".gitignore").exists()
    assert_frame_equal(again.claim_events, checked)
    assert again.caption() == replayed.caption()


def test_replay_log_reports_the_torn_tail_it_moved_aside(log_copy):
    from engine.store.lock import locked, write_slot
    from engine.store.log import PendingAppend

    whole = replay_log(log_dir=log_copy)
    size = (log_copy / "log.jsonl").stat().st_size
    batch = b'{"seq":69,"event_id":"torn","hash":"' + b"0" * 64 + b'"}\n'
    with open(log_copy / "log.jsonl", "ab") as handle:
        handle.write(batch[:24])
    with pytest.raises(LogCorrupted, match="no interrupted append explains it"):
        replay_log(log_dir=log_copy)  # no note: damage, refused, nothing moved
    assert not (log_copy / "torn").exists()
    with locked(log_copy, exclusive=True) as lock:  # the note its writer left
        write_slot(lock, PendingAppend.for_batch(log_copy / "log.jsonl", size, whole.head.hash,
                                                 batch).encode())
    replayed = replay_log(log_dir=log_copy)
    assert len(replayed.repairs) == 1 and replayed.repairs[0].line_no == 69
    assert replayed.head == whole.head
    assert_frame_equal(replayed.claim_events, whole.claim_events)
    assert list((log_copy / "torn").iterdir())


def test_replay_log_works_where_no_cache_can_be_written(log_copy):
    (log_copy / ".cache").write_text("not a folder")  # every cache write now fails
    first, second = replay_log(log_dir=log_copy), replay_log(log_dir=log_copy)
    assert_frame_equal(first.claim_events, claim_events_frame(open_log(log_copy).events()))
    assert_frame_equal(second.claim_events, first.claim_events)
    assert (log_copy / ".cache").read_text() == "not a folder"


def test_verify_still_checks_every_line_when_a_snapshot_exists(log_copy):
    replay_log(log_dir=log_copy)  # a snapshot of the untouched log
    lines = _lines(log_copy)
    index = next(i for i, line in enumerate(lines) if b'"gainer":"isis"' in line)
    lines[index] = lines[index].replace(b'"gainer":"isis"', b'"gainer":"sdf"', 1)
    (log_copy / "log.jsonl").write_bytes(b"".join(lines))
    done = tadmur("verify", "--log", str(log_copy))
    assert done.returncode == 1 and f"line {index + 1}" in done.stderr
    shutil.rmtree(cache_dir(log_copy))


def test_an_edit_in_place_after_a_snapshot_is_read_again_not_served_from_it(log_copy):
    replay_log(log_dir=log_copy)  # a snapshot of the untouched log
    lines = _lines(log_copy)
    index = next(i for i, line in enumerate(lines) if b'"gainer":"isis"' in line)
    lines[index] = lines[index].replace(b'"gainer":"isis"', b'"gainer":"ISIS"', 1)
    (log_copy / "log.jsonl").write_bytes(b"".join(lines))  # same size, new mtime
    # read again (every line re-hashed), so the edit is found, not served from the snapshot
    with pytest.raises(LogCorrupted, match=rf"line {index + 1}\b"):
        load_claim_events(log_copy)


def test_replay_log_refuses_an_edited_line_even_after_a_snapshot(log_copy):
    replay_log(log_dir=log_copy)  # a snapshot of the untouched log, made by a full read
    lines = _lines(log_copy)
    index = next(i for i, line in enumerate(lines) if b'"gainer":"isis"' in line)
    lines[index] = lines[index].replace(b'"gainer":"isis"', b'"gainer":"ISIS"', 1)
    (log_copy / "log.jsonl").write_bytes(b"".join(lines))  # its hash field left as it was
    with pytest.raises(LogCorrupted, match=rf"line {index + 1}\b"):
        replay_log(log_dir=log_copy)


def test_every_read_checks_every_line_and_its_snapshot_serves_a_full_read(log_copy):
    first = load_claim_events(log_copy)  # every line checked: its snapshot says "full"
    assert first.source == "jsonl"
    again = load_claim_events(log_copy, check="full")
    assert again.source == "cache"
    assert_frame_equal(again.claim_events, first.claim_events)
    assert_frame_equal(first.claim_events, claim_events_frame(open_log(log_copy).events()))


def test_a_snapshot_extended_by_new_lines_does_not_serve_a_full_read(log_copy):
    lines = _lines(log_copy)
    (log_copy / "log.jsonl").write_bytes(b"".join(lines[:-5]))
    load_claim_events(log_copy)  # a snapshot of the first lines
    (log_copy / "log.jsonl").write_bytes(b"".join(lines))
    grown = load_claim_events(log_copy)  # the snapshot, then the new lines, checked
    assert grown.source == "cache+tail"
    # the prefix was not read again: a full read reads the whole file
    full = load_claim_events(log_copy, check="full")
    assert full.source == "jsonl"
    assert_frame_equal(full.claim_events, grown.claim_events)
