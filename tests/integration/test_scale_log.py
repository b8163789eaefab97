"""`tadmur synth` writes a log the store accepts; the fast loader and its Parquet cache
give exactly the store's claim events, and never read a damaged log silently."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from engine.domain import replay
from engine.domain.errors import LogCorrupted, TadmurError
from engine.domain.events import ClaimRetracted
from engine.cli import synth as synth_command
from engine.store.read import cache_dir, load_claim_events
from engine.synth import synth_draw, write_synth_log
from engine.store import open_log
from engine.store.codec import encode_line
from engine.store.frames import claim_events_frame
from engine.store.verify import verify_log


@pytest.fixture(scope="module")
def synth_log(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth") / "log"
    write_synth_log(root, 1500, n_sites=20, seed=3)
    return root


@pytest.fixture
def log_copy(synth_log, tmp_path):
    root = tmp_path / "log"
    shutil.copytree(synth_log, root, ignore=shutil.ignore_patterns(".cache"))
    return root


def checked(root):
    return claim_events_frame(open_log(root).events())


def test_the_synthetic_log_verifies(synth_log):
    result = verify_log(synth_log)
    assert result.ok, result.problem
    assert result.n_events > 1500 * 0.95


def test_the_same_seed_writes_the_same_bytes(synth_log, tmp_path):
    write_synth_log(tmp_path / "again", 1500, n_sites=20, seed=3)
    assert (tmp_path / "again" / "log.jsonl").read_bytes() == (synth_log / "log.jsonl").read_bytes()


def test_the_log_replays_like_the_draw_it_came_from(synth_log):
    # claim ids differ (content ids in the log), everything else is the same story
    drawn = replay(synth_draw(1500, 20, 3).claim_events).intervals.drop("claim_ids")
    logged = replay(checked(synth_log)).intervals.drop("claim_ids")
    assert logged.height == pytest.approx(drawn.height, rel=0.05)


def test_the_block_read_equals_the_store_reader(log_copy):
    loaded = load_claim_events(log_copy, cache=False)
    assert loaded.source == "jsonl"
    assert_frame_equal(loaded.claim_events, checked(log_copy))
    assert loaded.head == open_log(log_copy).head()


def test_the_cache_is_used_then_extended_when_the_log_grows(log_copy):
    first = load_claim_events(log_copy)
    assert (first.source, load_claim_events(log_copy).source) == ("jsonl", "cache")
    assert (cache_dir(log_copy) / ".gitignore").read_text().strip().endswith("*")
    claim = first.claim_events.filter(first.claim_events["event"] == "recorded")["claim_id"][0]
    open_log(log_copy).append([ClaimRetracted(claim, "misread")])
    grown = load_claim_events(log_copy)
    assert grown.source == "cache+tail"
    assert_frame_equal(grown.claim_events, checked(log_copy))
    assert load_claim_events(log_copy).source == "cache"


def test_a_rewritten_log_is_never_served_from_the_cache(log_copy, tmp_path):
    load_claim_events(log_copy)
    other = tmp_path / "other"
    write_synth_log(other, 1600, n_sites=20, seed=4)
    (log_copy / "log.jsonl").write_bytes((other / "log.jsonl").read_bytes())
    shutil.rmtree(log_copy / "sources")
    shutil.copytree(other / "sources", log_copy / "sources")
    reloaded = load_claim_events(log_copy)
    assert reloaded.source == "jsonl"
    assert_frame_equal(reloaded.claim_events, checked(log_copy))


def _lines(root):
    return (root / "log.jsonl").read_bytes().split(b"\n")[:-1]


def _write(root, lines):
    (root / "log.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))


def test_a_removed_line_is_refused_with_the_store_error(log_copy):
    lines = _lines(log_copy)
    _write(log_copy, lines[:100] + lines[101:])
    with pytest.raises(LogCorrupted, match="seq jumps"):
        load_claim_events(log_copy, cache=False)


def test_a_rehashed_edit_breaks_the_link_and_is_refused(log_copy):
    lines = _lines(log_copy)
    record = json.loads(lines[200])
    # an edited line framed with its own fresh hash: only the link to the next one breaks
    line, _ = encode_line(record["seq"], ClaimRetracted("c0000000000000000", "tampered"),
                          record["recorded_at"], record["prev_hash"])
    _write(log_copy, lines[:200] + [line.rstrip("\n").encode()] + lines[201:])
    with pytest.raises(LogCorrupted, match="prev_hash"):
        load_claim_events(log_copy, cache=False)


def test_a_torn_tail_goes_through_the_store_which_moves_it_aside(log_copy):
    from engine.store.lock import locked, write_slot
    from engine.store.log import PendingAppend

    whole = checked(log_copy)
    size = (log_copy / "log.jsonl").stat().st_size
    head = open_log(log_copy).head()
    batch = b'{"seq": 99999, "event_id": "torn", "hash":"' + b"1" * 64 + b'"}\n'
    with open(log_copy / "log.jsonl", "ab") as handle:
        handle.write(batch[:31])
    with locked(log_copy, exclusive=True) as lock:
        write_slot(lock, PendingAppend.for_batch(log_copy / "log.jsonl", size, head.hash,
                                                 batch).encode())
    loaded = load_claim_events(log_copy, cache=False)
    assert loaded.source == "checked"
    assert_frame_equal(loaded.claim_events, whole)
    assert list((log_copy / "torn").iterdir())


@pytest.mark.parametrize("check", ["links", "full"])
def test_an_edit_that_keeps_the_stored_hash_is_refused_by_every_read(log_copy, check):
    lines = _lines(log_copy)
    index = next(i for i, line in enumerate(lines) if b'"gainer":"isis"' in line)
    lines[index] = lines[index].replace(b'"gainer":"isis"', b'"gainer":"sdf"', 1)
    _write(log_copy, lines)
    with pytest.raises(LogCorrupted, match=rf"does not match its hash.*line {index + 1}\b"):
        load_claim_events(log_copy, check=check, cache=False)


def test_synth_command_writes_a_log_and_refuses_a_used_folder(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    synth_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["synth", "--claims", "300", "--sites", "5", "--log",
                              str(tmp_path / "log")])
    assert args.func(args) == 0
    assert "wrote" in capsys.readouterr().err
    assert verify_log(tmp_path / "log").ok
    with pytest.raises(TadmurError, match="already holds events"):
        args.func(args)
    too_many = parser.parse_args(["synth", "--claims", "10", "--sites", "50000", "--log",
                                  str(tmp_path / "other")])
    with pytest.raises(TadmurError, match="gazetteer sites"):
        too_many.func(too_many)


def test_the_fast_loader_leaves_a_crashed_writers_batch_to_the_store_reader(tmp_path):

    from engine.store.lock import locked, write_slot
    from engine.store.log import PendingAppend

    root = tmp_path / "events"
    shutil.copytree(Path(__file__).resolve().parents[2] / "events", root,
                    ignore=shutil.ignore_patterns("log.lock", "torn", ".cache"))
    log_file = root / "log.jsonl"
    size = log_file.stat().st_size
    last = open_log(root).events()[-1]
    whole_line, _ = encode_line(69, ClaimRetracted(last.event.claim_id, "first of two"),
                                last.recorded_at, last.hash)
    with locked(root, exclusive=True) as lock:  # a writer died after line 1 of a 2-line batch
        batch = whole_line.encode() + encode_line(
            70, ClaimRetracted(last.event.claim_id, "second of two"), last.recorded_at,
            "2" * 64)[0].encode()
        write_slot(lock, PendingAppend.for_batch(log_file, size, last.hash, batch).encode())
        with open(log_file, "ab") as handle:
            handle.write(whole_line.encode())
    loaded = load_claim_events(root, cache=False)
    assert loaded.source == "checked" and loaded.head.seq == 68
    assert log_file.stat().st_size == size and any((root / "torn").iterdir())
