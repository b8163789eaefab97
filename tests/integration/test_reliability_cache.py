"""The cache cannot lie (issue 15.5 and 15.8): the snapshot under ``events/.cache`` is
served only for the log bytes it was built from and only with the content it was written
with; a cache that cannot be written is no error."""

from __future__ import annotations

import os

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from engine.domain.errors import LogCorrupted
from engine.project import replay_log
from engine.store.read import cache_dir, load_claim_events


def _fresh(root):
    # the snapshot and its encoding are under test here: no kept answer in between
    return replay_log(log_dir=root, cache=False)


def _intervals(replayed) -> pl.DataFrame:
    return replayed.timelines.intervals.sort("site_id", "start_earliest", "controller")


def test_a_forged_dictionary_in_the_cache_is_never_served(log_copy):
    """Bug pinned: swapping isis and government in the cached names flipped every
    timeline, captioned with the genuine head."""
    truth = _fresh(log_copy)
    assert _fresh(log_copy).claim_events.height  # the snapshot and its encoding are kept
    (names,) = cache_dir(log_copy).glob("names.*.parquet")
    frame = pl.read_parquet(names)
    swapped = frame.with_columns(pl.col("name").replace({"isis": "government",
                                                          "government": "isis"}))
    assert not swapped.equals(frame)
    swapped.write_parquet(names)
    assert_frame_equal(_intervals(_fresh(log_copy)), _intervals(truth))


def test_a_snapshot_cut_short_is_never_served(log_copy):
    truth = load_claim_events(log_copy, check="full")
    (events,) = cache_dir(log_copy).glob("claim_events.*.parquet")
    pl.read_parquet(events).head(10).write_parquet(events)
    again = load_claim_events(log_copy, check="full")
    assert again.source == "jsonl" and again.claim_events.height == truth.claim_events.height
    assert_frame_equal(again.claim_events, truth.claim_events)


def test_a_same_size_edit_with_its_mtime_restored_is_not_read_from_the_snapshot(log_copy):
    path = log_copy / "log.jsonl"
    load_claim_events(log_copy, check="full")
    stat = path.stat()
    raw = path.read_bytes()
    edited = raw.replace(b'"gainer":"isis"', b'"gainer":"iSis"', 1)
    assert edited != raw and len(edited) == len(raw)
    with open(path, "r+b") as handle:  # in place: same file, same size
        handle.write(edited)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    with pytest.raises(LogCorrupted, match="does not match its hash|not in the exact form"):
        load_claim_events(log_copy, check="full")


def test_a_cache_of_another_format_is_rebuilt(log_copy):
    load_claim_events(log_copy, check="full")
    (cache_dir(log_copy) / "manifest.json").write_text('{"size": 1, "seq": 1}', encoding="utf-8")
    assert load_claim_events(log_copy, check="full").source == "jsonl"
    assert load_claim_events(log_copy, check="full").source == "cache"


def test_a_full_disk_under_the_cache_is_no_error(log_copy, monkeypatch):
    """Bug pinned: polars reports a full disk as a ComputeError, which the cache writer
    did not catch: `tadmur timeline` crashed with a traceback."""
    def full(*args, **kwargs):
        raise pl.exceptions.ComputeError("No space left on device (os error 28)")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", full)
    replayed = replay_log(log_dir=log_copy)
    assert replayed.head.seq > 0 and replayed.timelines.intervals.height
    assert not list(cache_dir(log_copy).glob("*.parquet"))
