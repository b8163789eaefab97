"""The checked read in blocks and on worker processes gives the store's answer, and
``tadmur verify``'s column checks agree with its line-by-line checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from engine.domain.errors import LogCorrupted
from engine.domain.events import ClaimRecorded, ClaimRetracted, DocumentRegistered
from engine.store import blocks as block_reader
from engine.store import open_log
from engine.store.codec import decode_line, encode_line
from engine.store.frames import claim_events_frame
from engine.store.read import load_claim_events
from engine.store.verify import _verify_blocks, _verify_bytes, verify_log
from tests.builders import claim_recorded


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of ~2 KB, checked by worker processes: the committed log spans many."""
    monkeypatch.setattr(block_reader, "BLOCK", 2048)
    monkeypatch.setattr(block_reader, "PARALLEL_FROM", 0)
    monkeypatch.setattr(block_reader, "_cores", lambda: 2)


def test_blocks_read_by_worker_processes_equal_the_store_reader(log_copy, small_blocks):
    loaded = load_claim_events(log_copy, cache=False)
    assert loaded.source == "jsonl"
    assert_frame_equal(loaded.claim_events, claim_events_frame(open_log(log_copy).events()))
    assert loaded.head == open_log(log_copy).head()


def test_a_damaged_line_in_a_later_block_gets_the_store_error(log_copy, small_blocks):
    lines = (log_copy / "log.jsonl").read_bytes().split(b"\n")
    index = max(i for i, line in enumerate(lines) if b'"gainer":"isis"' in line)
    lines[index] = lines[index].replace(b'"gainer":"isis"', b'"gainer":"sdf"', 1)
    (log_copy / "log.jsonl").write_bytes(b"\n".join(lines))
    with pytest.raises(LogCorrupted, match=rf"does not match its hash.*line {index + 1}, "):
        load_claim_events(log_copy, cache=False)


def test_a_progress_bar_can_be_asked_for(log_copy, capsys):
    load_claim_events(log_copy, cache=False, progress=True)
    assert "reading the log" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(log_copy, capsys, monkeypatch):
    monkeypatch.setattr(block_reader, "PROGRESS_FROM", 0)  # any read is "big"
    load_claim_events(log_copy, cache=False)
    assert "reading the log" not in capsys.readouterr().err


def _append_raw(root: Path, events) -> None:
    """Append lines with valid hashes and chain, bypassing the store's reference checks."""
    path = root / "log.jsonl"
    last = decode_line(path.read_bytes().split(b"\n")[-2].decode("utf-8"), 0)
    seq, prev = last.seq, last.hash
    with open(path, "a", encoding="utf-8") as handle:
        for event in events:
            seq += 1
            line, prev = encode_line(seq, event, last.recorded_at, prev)
            handle.write(line)


def _claim(doc_id: str, site_id: str = "palmyra", text: str = "x") -> ClaimRecorded:
    return claim_recorded(text, doc_id=doc_id, site_id=site_id)


def _registered_doc(root: Path) -> str:
    return next(
        e.event.doc_id for e in open_log(root).events() if isinstance(e.event, DocumentRegistered)
    )


@pytest.mark.parametrize(
    "case",
    [
        "unregistered document",
        "unknown site",
        "wrong evidence",
        "unknown claim",
        "unknown superseded act",
        "claim recorded twice",
    ],
)
def test_verify_on_columns_reports_what_the_line_by_line_check_reports(log_copy, case):
    doc = _registered_doc(log_copy)
    event = {
        "unregistered document": lambda: [_claim("nosuchdoc")],
        "unknown site": lambda: [_claim(doc, site_id="atlantis")],
        "wrong evidence": lambda: [_claim(doc, text="not in the source at all")],
        "unknown claim": lambda: [ClaimRetracted("c0000000000000000", "why")],
        "unknown superseded act": lambda: [
            ClaimRetracted(
                next(
                    e.event.claim_id
                    for e in open_log(log_copy).events()
                    if e.type == "ClaimRecorded"
                ),
                "why",
                "f" * 32,
            )
        ],
        "claim recorded twice": lambda: [
            next(e.event for e in open_log(log_copy).events() if e.type == "ClaimRecorded")
        ],
    }[case]()
    _append_raw(log_copy, event)
    line_by_line = _verify_bytes(log_copy, (log_copy / "log.jsonl").read_bytes())
    assert not line_by_line.ok
    assert verify_log(log_copy).problem == line_by_line.problem


def test_verify_on_columns_passes_the_committed_log_as_the_line_by_line_check(log_copy):
    size = (log_copy / "log.jsonl").stat().st_size
    assert _verify_blocks(log_copy, size, progress=False) is not None  # no fallback
    by_columns = verify_log(log_copy)
    line_by_line = _verify_bytes(log_copy, (log_copy / "log.jsonl").read_bytes())
    assert by_columns.ok and by_columns == line_by_line
