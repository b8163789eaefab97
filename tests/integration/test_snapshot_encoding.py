"""The snapshot keeps the encoded events: a repeated ``replay_log`` on an unchanged log reads
them back instead of encoding again, gets exactly what encoding would give, and never
takes an encoding that is not of the events it read (another head, a rewritten snapshot,
a damaged or foreign file, a folder that cannot be written)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from engine.domain import EncodedEvents, Policy, replay
from engine.domain.events import ClaimRetracted
from engine.project import Replayed, replay_log
from engine.store.encoded_snapshot import load_encoded
from engine.store.read import cache_dir, load_claim_events
from engine.store import LogHead, open_log

ENCODED = ("codes", "by_site", "names")
#: a policy that drops claims, so the replay compared is not the trivial one
SKEPTIC = Policy(min_confidence=0.5, distrust=frozenset({"outlet"}))


def encoded_files(root: Path, head: LogHead) -> list[Path]:
    stem = f"{head.seq}.{head.hash[:16]}"
    return [cache_dir(root) / f"{part}.{stem}.parquet" for part in ENCODED]


def file_identities(paths: list[Path]) -> list[tuple[int, int]]:
    """Inode and mtime: a file rewritten (atomically, by rename) gets a new pair."""
    return [(os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in paths]


def assert_encodes_like_a_fresh_encoding(replayed: Replayed) -> None:
    """The encoding replayed is the one ``EncodedEvents.of`` makes of the same events, and
    it replays to the same timelines under two policies."""
    kept, fresh = replayed.encoded, EncodedEvents.of(replayed.claim_events)
    assert_frame_equal(kept.codes, fresh.codes)
    assert_frame_equal(kept.by_site, fresh.by_site)
    for part in ("sites", "actors", "claimants"):
        assert_frame_equal(getattr(kept, part).to_frame(), getattr(fresh, part).to_frame())
    assert_frame_equal(kept.source, fresh.source)
    for policy in (replayed.policy, SKEPTIC):
        got, expected = replay(kept, policy), replay(fresh, policy)
        assert_frame_equal(got.intervals, expected.intervals)
        assert_frame_equal(got.swings, expected.swings)
        assert_frame_equal(got.claims, expected.claims)


def test_a_second_replay_log_reads_the_encoding_the_first_kept(log_copy):
    first = replay_log(log_dir=log_copy)
    files = encoded_files(log_copy, first.head)
    assert all(f.exists() for f in files)
    before = file_identities(files)
    second = replay_log(log_dir=log_copy)
    # not encoded again: an encoding made now would have been written over the kept one
    assert file_identities(files) == before
    assert_encodes_like_a_fresh_encoding(second)
    assert_frame_equal(second.timelines.intervals, first.timelines.intervals)
    assert_frame_equal(second.timelines.swings, first.timelines.swings)
    assert_frame_equal(second.timelines.claims, first.timelines.claims)
    assert second.with_policy(SKEPTIC).timelines.intervals.equals(
        first.with_policy(SKEPTIC).timelines.intervals)


def test_after_an_append_the_log_is_encoded_afresh_and_the_old_encoding_goes(log_copy):
    first = replay_log(log_dir=log_copy)
    old = encoded_files(log_copy, first.head)
    claim = first.claim_events.filter(pl.col("event") == "recorded")["claim_id"][0]
    open_log(log_copy).append([ClaimRetracted(claim, "misread")])
    grown = replay_log(log_dir=log_copy)
    assert grown.head.seq == first.head.seq + 1
    assert not any(f.exists() for f in old)
    assert all(f.exists() for f in encoded_files(log_copy, grown.head))
    assert grown.claim_events.height == first.claim_events.height + 1
    assert_encodes_like_a_fresh_encoding(grown)
    assert_encodes_like_a_fresh_encoding(replay_log(log_dir=log_copy))  # read back


def _junk(path: Path) -> None:
    path.write_bytes(b"not a parquet file " * 50)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _one_row_short(path: Path) -> None:
    pl.read_parquet(path).head(-1).write_parquet(path)


def _wrong_schema(path: Path) -> None:
    pl.read_parquet(path).with_columns(pl.col("site").cast(pl.Int64)).write_parquet(path)


def _seq_shifted(path: Path) -> None:
    pl.read_parquet(path).with_columns(pl.col("seq") + 1).write_parquet(path)


def _columns_renamed(path: Path) -> None:
    frame = pl.read_parquet(path)
    frame.rename({c: c.upper() for c in frame.columns}).write_parquet(path)


def _names_too_few(path: Path) -> None:
    names = pl.read_parquet(path)
    names.filter(pl.col("dictionary") != "actors").write_parquet(path)


@pytest.mark.parametrize(("part", "damage"), [
    ("codes", _junk), ("codes", _truncated), ("codes", _one_row_short), ("codes", _wrong_schema),
    ("codes", _seq_shifted), ("by_site", _one_row_short), ("names", _names_too_few),
    ("names", _columns_renamed), ("names", _junk)],
    ids=lambda x: x if isinstance(x, str) else x.__name__.strip("_"))
def test_a_damaged_kept_encoding_is_ignored_and_replaced(log_copy, part, damage):
    first = replay_log(log_dir=log_copy)
    files = encoded_files(log_copy, first.head)
    damage(files[ENCODED.index(part)])
    replayed = replay_log(log_dir=log_copy)
    assert_encodes_like_a_fresh_encoding(replayed)
    assert_frame_equal(replayed.timelines.intervals, first.timelines.intervals)
    assert_frame_equal(replayed.timelines.claims, first.timelines.claims)
    kept = file_identities(files)  # the encoding made in place of the damaged one
    again = replay_log(log_dir=log_copy)
    assert file_identities(files) == kept  # read back this time, not made again
    assert_encodes_like_a_fresh_encoding(again)


def test_replay_log_works_where_no_encoding_can_be_kept(log_copy):
    (log_copy / ".cache").write_text("not a folder")  # no snapshot, no encoding
    first, second = replay_log(log_dir=log_copy), replay_log(log_dir=log_copy)
    assert_encodes_like_a_fresh_encoding(first)
    assert_encodes_like_a_fresh_encoding(second)
    assert (log_copy / ".cache").read_text() == "not a folder"


def test_a_snapshot_beside_which_the_encoding_cannot_be_written_still_replays(log_copy):
    head = replay_log(log_dir=log_copy).head
    for path in encoded_files(log_copy, head):
        path.unlink()
        path.mkdir()  # a folder in the way: every write of the encoding fails
    replayed = replay_log(log_dir=log_copy)
    assert load_claim_events(log_copy, check="full").source == "cache"
    assert_encodes_like_a_fresh_encoding(replayed)
    assert all(path.is_dir() for path in encoded_files(log_copy, head))


def _other_events(loaded):
    """The same read with other events (an actor renamed): what the snapshot's encoding
    must never be served for, though the head is the same."""
    renamed = loaded.claim_events.with_columns(pl.col("gainer").replace({"isis": "ISIS"}))
    return replace(loaded, claim_events=renamed)


def test_a_load_that_bypassed_the_snapshot_takes_no_encoding_from_it(log_copy):
    replay_log(log_dir=log_copy)  # a snapshot and its encoding
    loaded = _other_events(load_claim_events(log_copy, cache=False))
    assert not loaded.snapshot
    files = encoded_files(log_copy, loaded.head)
    before = file_identities(files)
    encoded = load_encoded(log_copy, loaded)
    assert "ISIS" in encoded.actors.to_list()
    assert_frame_equal(encoded.codes, EncodedEvents.of(loaded.claim_events).codes)
    assert file_identities(files) == before  # nor left its own beside a snapshot not its own


def test_an_encoding_is_kept_only_beside_the_snapshot_of_its_head(log_copy):
    earlier = load_claim_events(log_copy, check="full")
    assert earlier.snapshot
    claim = earlier.claim_events.filter(pl.col("event") == "recorded")["claim_id"][0]
    open_log(log_copy).append([ClaimRetracted(claim, "misread")])
    replay_log(log_dir=log_copy)  # the snapshot moves on to the new head
    encoded = load_encoded(log_copy, earlier)  # the earlier read, encoded late
    assert_frame_equal(encoded.codes, EncodedEvents.of(earlier.claim_events).codes)
    assert not any(f.exists() for f in encoded_files(log_copy, earlier.head))


def test_a_snapshot_rewritten_for_the_same_head_drops_the_encoding_of_the_old_one(log_copy):
    replay_log(log_dir=log_copy)  # a snapshot and its encoding
    (cache_dir(log_copy) / "manifest.json").write_text("{}", encoding="utf-8")  # lost
    loaded = load_claim_events(log_copy)  # the snapshot is written again, same head
    assert loaded.source == "jsonl" and loaded.snapshot
    assert not any(f.exists() for f in encoded_files(log_copy, loaded.head))
    encoded = load_encoded(log_copy, loaded)
    assert_frame_equal(encoded.codes, EncodedEvents.of(loaded.claim_events).codes)
