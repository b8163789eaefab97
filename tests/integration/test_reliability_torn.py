"""Torn writes and failing disks: the log stays valid and the error says what happened.

A record cut at every byte offset by a crash mid-write (its writer's note left in
``log.lock``) is moved aside on the next read, kept byte for byte under ``torn/``; a
batch cut anywhere leaves none of its lines behind; a bad last line that no note explains
is refused, never moved; a whole last line is never dropped (one that only lacks its
newline is completed); a stale note moves nothing; a disk that fails mid-write (a real file-size limit,
a fault-injected ``ENOSPC``/``EIO``, a tiny tmpfs) leaves the log exactly as it was.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import engine.store.log as store_log
from engine.domain.errors import LogCorrupted, TadmurError
from engine.domain.events import ClaimReviewed
from engine.store.codec import GENESIS_HASH, encode_line
from engine.store.log import EventLog, PendingAppend
from engine.store.verify import verify_log
from tests.fuzz.harness import PROJECT, committed_lines, copy_log, first_claim_id, review_events


@pytest.fixture
def small_log(tmp_path) -> Path:
    """A copy of the committed log cut to its first 9 lines (6 documents, 3 claims)."""
    root = copy_log(tmp_path / "events")
    (root / "log.jsonl").write_bytes(b"".join(committed_lines()[:9]))
    return root


def _torn_files(root: Path) -> list[Path]:
    return sorted((root / "torn").iterdir()) if (root / "torn").exists() else []


def _note(root: Path, offset: int, payload: bytes) -> bytes:
    """The note a writer of ``payload`` at ``offset`` leaves in log.lock before writing."""
    prev = GENESIS_HASH if offset == 0 else json.loads(
        (root / "log.jsonl").read_bytes()[:offset].splitlines()[-1])["hash"]
    return PendingAppend.for_batch(root / "log.jsonl", offset, prev, payload).encode()


def test_a_record_cut_at_every_byte_offset_with_its_note_is_moved_aside(small_log):
    base = (small_log / "log.jsonl").read_bytes()
    record = committed_lines()[9]  # the next line of the committed log (Arabic evidence)
    assert len(record) > len(record.decode("utf-8"))  # multi-byte: some cuts split a character
    for cut in range(1, len(record)):
        (small_log / "log.jsonl").write_bytes(base + record[:cut])
        (small_log / "log.lock").write_bytes(_note(small_log, len(base), record))
        before = verify_log(small_log)
        assert not before.ok and "partial batch" in before.problem, (cut, before.problem)
        log = EventLog(small_log)
        assert [e.seq for e in log.events()] == list(range(1, 10)), cut
        (repair,) = log.repairs
        assert repair.line_no == 10 and repair.n_bytes == cut and repair.offset == len(base)
        assert "moved aside" in repair.describe()
        assert "its note in log.lock names these bytes" in repair.describe()
        assert repair.kept_at.read_bytes() == record[:cut]
        assert (small_log / "log.jsonl").read_bytes() == base
        assert verify_log(small_log).ok, cut
        repair.kept_at.unlink()


def test_an_unnoted_bad_last_line_is_refused_as_verify_does_and_never_moved(small_log):
    """Bug pinned (issue 15.1): every read moved an unnoted bad last line into torn/,
    exit 0, "nothing acknowledged was lost", while verify called the same bytes damage."""
    base = (small_log / "log.jsonl").read_bytes()
    last = committed_lines()[8]
    damaged = [base[: -len(last)] + last[:cut] for cut in range(1, len(last) - 1, 7)]
    damaged += [base[:-20] + b"\xff" + base[-19:],  # not UTF-8
                base[: -len(last)] + last.replace(b'"seq"', b'"seq\x00"', 1)]
    for content in damaged:
        (small_log / "log.jsonl").write_bytes(content)
        assert not verify_log(small_log).ok
        for read in (lambda log: log.events(), lambda log: log.head(),
                     lambda log: log.append(review_events(first_claim_id_of(base), "x", 1))):
            with pytest.raises(LogCorrupted, match="line 9"):
                read(EventLog(small_log))
        assert (small_log / "log.jsonl").read_bytes() == content
        assert not _torn_files(small_log)


def test_a_whole_chained_last_line_lacking_only_its_newline_is_completed(small_log):
    base = (small_log / "log.jsonl").read_bytes()
    (small_log / "log.jsonl").write_bytes(base[:-1])
    log = EventLog(small_log)
    assert [e.seq for e in log.events()] == list(range(1, 10))
    (repair,) = log.repairs
    assert "completed last line 9" in repair.describe() and "nothing was removed" in repair.describe()
    assert (small_log / "log.jsonl").read_bytes() == base and not _torn_files(small_log)
    assert verify_log(small_log).ok
    (small_log / "log.jsonl").write_bytes(base[:-1])  # the append path completes it too
    seqs = EventLog(small_log).append(review_events(first_claim_id_of(base), "x", 1))
    assert seqs == [10] and verify_log(small_log).ok


def first_claim_id_of(content: bytes) -> str:
    return next(json.loads(line)["data"]["claim_id"] for line in content.splitlines()
                if b'"ClaimRecorded"' in line)


def test_a_batch_cut_at_every_byte_offset_leaves_none_of_its_lines(small_log):
    """The writer's note in log.lock makes a batch all-or-nothing, whole lines included."""
    base = (small_log / "log.jsonl").read_bytes()
    batch = b"".join(committed_lines()[9:11])
    for cut in range(1, len(batch) + 1):
        (small_log / "log.jsonl").write_bytes(base + batch[:cut])
        (small_log / "log.lock").write_bytes(_note(small_log, len(base), batch))
        if cut < len(batch):
            problem = verify_log(small_log).problem or ""
            assert "partial batch" in problem, (cut, problem)
        log = EventLog(small_log)
        events = log.events()
        assert (small_log / "log.lock").read_bytes().strip() == b""
        if cut == len(batch):  # all of it reached the file: kept (a retry finds it)
            assert [e.seq for e in events] == list(range(1, 12)) and not log.repairs
            continue
        assert [e.seq for e in events] == list(range(1, 10)), cut
        (repair,) = log.repairs
        assert repair.kept_at.read_bytes() == batch[:cut]
        assert "partial batch from line 10" in repair.describe()
        assert (small_log / "log.jsonl").read_bytes() == base
        assert verify_log(small_log).ok
        repair.kept_at.unlink()


def test_a_stale_note_never_moves_valid_lines_aside(small_log):
    """Bug pinned (issue 15.2): a note naming bytes it does not cover emptied the log."""
    base = (small_log / "log.jsonl").read_bytes()
    lines = committed_lines()
    unbound = b'{"appending": {"offset": 0, "length": 1000000}}'
    # an ingest killed just after writing its note; then a colleague's longer log arrives,
    # copied over this file (same file, another line at the offset) or by `git pull`
    # (another file)
    prev, mine = json.loads(lines[8])["hash"], b""
    for n in range(10):  # a batch longer than what the colleague added
        line, prev = encode_line(10 + n, ClaimReviewed(first_claim_id_of(base), "accepted", "me",
                                                       f"mine {n}"),
                                 "2026-01-01T00:00:00.000000Z", prev)
        mine += line.encode()
    colleague = base + b"".join(lines[9:12])
    assert len(base) < len(colleague) < len(base) + len(mine)
    for how in ("unbound", "in place", "replaced"):
        (small_log / "log.jsonl").write_bytes(base)
        (small_log / "log.lock").write_bytes(
            unbound if how == "unbound" else _note(small_log, len(base), mine))
        if how == "replaced":
            (small_log / "new.jsonl").write_bytes(colleague)
            os.replace(small_log / "new.jsonl", small_log / "log.jsonl")
        else:
            (small_log / "log.jsonl").write_bytes(colleague)
        for read in ("events", "append"):
            log = EventLog(small_log)
            if read == "events":
                assert [e.seq for e in log.events()] == list(range(1, 13)), how
            else:
                assert log.append(review_events(first_claim_id_of(base), how, 1)) == [13]
                (small_log / "log.jsonl").write_bytes(colleague)
            assert not log.repairs and not _torn_files(small_log), how
        assert (small_log / "log.jsonl").read_bytes() == colleague and verify_log(small_log).ok


def test_the_cli_says_what_was_torn_and_where_it_went(small_log):
    record = committed_lines()[9]
    with open(small_log / "log.jsonl", "ab") as handle:
        handle.write(record[:123])
    run = _tadmur("verify", "--log", str(small_log))
    assert run.returncode == 1
    assert "torn last line 10 (123 bytes without a newline)" in run.stderr
    assert "tadmur repair" in run.stderr
    run = _tadmur("timeline", "--log", str(small_log))
    assert run.returncode == 2 and "no interrupted append explains it" in run.stderr
    assert "line 10" in run.stderr and not _torn_files(small_log)
    run = _tadmur("repair", "--log", str(small_log))
    assert run.returncode == 0, run.stderr
    assert "torn last line 10 (123 bytes at offset" in run.stdout
    assert "moved aside on request" in run.stdout and "lost" not in run.stdout
    (kept,) = _torn_files(small_log)
    assert str(kept) in run.stdout and kept.read_bytes() == record[:123]
    assert _tadmur("verify", "--log", str(small_log)).returncode == 0
    assert "nothing to repair" in _tadmur("repair", "--log", str(small_log)).stdout


def test_a_whole_last_line_that_cannot_be_read_is_fatal_and_never_moved_aside(small_log):
    """Bug pinned: a whole, hash-valid line from a newer Tadmur (schema 2) at the end used to
    be treated as torn and cut off by the next read or append."""
    from tests.fuzz.harness import forge_line

    good = (small_log / "log.jsonl").read_bytes()
    future = forge_line(good, schema=2)
    (small_log / "log.jsonl").write_bytes(good + future)
    with pytest.raises(LogCorrupted) as err:
        EventLog(small_log).events()
    message = str(err.value)
    assert "line 10, seq 10" in message and "schema version 2 is newer" in message
    assert "upgrade Tadmur" in message
    with pytest.raises(LogCorrupted):
        EventLog(small_log).append(review_events(first_claim_id(small_log), "x", 1))
    assert (small_log / "log.jsonl").read_bytes() == good + future
    assert not _torn_files(small_log)


# -- failing disks -----------------------------------------------------------------------

class _FailingOs:
    """``os`` for engine.store.log whose write to the log lands ``after`` bytes, then fails."""

    def __init__(self, after: int, error: int, on_fsync: bool = False):
        self.after, self.error, self.on_fsync, self.log_fd = after, error, on_fsync, None

    def __getattr__(self, name):
        return getattr(os, name)

    def open(self, path, flags, *args):
        fd = os.open(path, flags, *args)
        if str(path).endswith("log.jsonl"):
            self.log_fd = fd
        return fd

    def write(self, fd, data):
        if fd != self.log_fd or self.on_fsync:
            return os.write(fd, data)
        if self.after <= 0:
            raise OSError(self.error, os.strerror(self.error))
        n = os.write(fd, bytes(data[: self.after]))
        self.after -= n
        return n

    def fsync(self, fd):
        if self.on_fsync and fd == self.log_fd:
            self.on_fsync = False  # the truncate that follows must be able to sync
            raise OSError(self.error, os.strerror(self.error))
        return os.fsync(fd)


@pytest.mark.parametrize("after", [0, 1, 100, 700, 1500])
def test_a_disk_full_mid_write_leaves_the_log_as_it_was(small_log, monkeypatch, after):
    log = EventLog(small_log)
    claim = first_claim_id(small_log)
    acknowledged = log.append(review_events(claim, "before", 2))
    before = (small_log / "log.jsonl").read_bytes()
    monkeypatch.setattr(store_log, "os", _FailingOs(after, errno.ENOSPC))
    with pytest.raises(TadmurError) as err:
        log.append(review_events(claim, "during", 3, note_len=400))
    monkeypatch.undo()
    message = str(err.value)
    assert "could not append 3 event(s): No space left on device" in message
    assert f"after {after} of " in message and "the partial write was removed" in message
    assert "free disk space and retry" in message and str(small_log / "log.jsonl") in message
    assert (small_log / "log.jsonl").read_bytes() == before
    assert (small_log / "log.lock").read_bytes().strip() == b""
    assert verify_log(small_log).ok
    fresh = EventLog(small_log)
    assert [e.seq for e in fresh.events()][-2:] == acknowledged and not fresh.repairs
    retried = fresh.append(review_events(claim, "during", 3, note_len=400))
    assert retried == [acknowledged[-1] + 1, acknowledged[-1] + 2, acknowledged[-1] + 3]
    assert verify_log(small_log).ok


def test_a_failing_fsync_removes_the_batch_and_says_so(small_log, monkeypatch):
    log = EventLog(small_log)
    before = (small_log / "log.jsonl").read_bytes()
    monkeypatch.setattr(store_log, "os", _FailingOs(10**9, errno.EIO, on_fsync=True))
    with pytest.raises(TadmurError, match="Input/output error after .* bytes; the partial "
                       "write was removed.*check the file system and retry"):
        log.append(review_events(first_claim_id(small_log), "x", 2))
    monkeypatch.undo()
    assert (small_log / "log.jsonl").read_bytes() == before
    assert verify_log(small_log).ok


FSIZE_WRITER = r"""
import resource, signal, sys
from pathlib import Path
from engine.store.log import EventLog
from tests.fuzz.harness import first_claim_id, review_events

root = Path(sys.argv[1])
log = EventLog(root)
claim = first_claim_id(root)
print(log.append(review_events(claim, "ok", 1)), flush=True)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
limit = (root / "log.jsonl").stat().st_size + int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
log.append(review_events(claim, "too-big", 4, note_len=600))
"""


@pytest.mark.parametrize("room", [0, 1, 333, 2000])
def test_a_real_file_size_limit_mid_write_is_reported_and_rolled_back(small_log, room):
    """The kernel cuts the write short (RLIMIT_FSIZE): a real partial write, then EFBIG."""
    run = subprocess.run([sys.executable, "-c", FSIZE_WRITER, str(small_log), str(room)],
                         check=False, capture_output=True, text=True, cwd=PROJECT, timeout=120)
    assert run.returncode == 1
    assert run.stdout.strip() == "[10]"  # the first append was acknowledged
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("engine.domain.errors.TadmurError: could not append 4 event(s): "
                           f"File too large after {room} of "), last
    log = EventLog(small_log)
    assert [e.seq for e in log.events()] == list(range(1, 11)) and not log.repairs
    assert verify_log(small_log).ok


def test_a_full_tmpfs_refuses_the_append_and_keeps_the_log(tmp_path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=160k", "tmpfs", str(mount)],
                      check=False, capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        root = copy_log(mount / "events")
        (root / "log.jsonl").write_bytes(b"".join(committed_lines()[:9]))
        log = EventLog(root)
        claim = first_claim_id(root)
        acknowledged: list[int] = []
        with pytest.raises(TadmurError) as err:
            for n in range(1000):
                acknowledged += log.append(review_events(claim, f"fill{n}", 8, note_len=900))
        assert "No space left on device" in str(err.value)
        assert "the partial write was removed" in str(err.value)
        assert "free disk space and retry" in str(err.value)
        fresh = EventLog(root)
        assert [e.seq for e in fresh.events()] == list(range(1, 10 + len(acknowledged)))
        assert acknowledged and acknowledged[-1] == 9 + len(acknowledged)
        assert verify_log(root).ok and not fresh.repairs
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _tadmur(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], check=False,
                          capture_output=True,
                          text=True, cwd=PROJECT, timeout=120)


def test_every_single_byte_damage_of_the_last_line_ends_refused_or_completed(small_log):
    """Issue 15.1 across the board: each byte of the last line replaced (by an invalid
    UTF-8 byte, a quote, a letter), deleted, or the line cut there, and the bare loss of
    the final newline. No read moves anything aside or drops a line; each case ends
    refused (as verify says) or, for the lost newline, completed."""
    from tests.fuzz.harness import record_figures

    base = (small_log / "log.jsonl").read_bytes()
    last = committed_lines()[8]
    prefix = base[: -len(last)]
    cases: list[tuple[str, bytes]] = [("newline lost", base[:-1])]
    stride = int(os.environ.get("TADMUR_LAST_LINE_STRIDE", "5"))  # 1: every byte (~150 s)
    for i in range(0, len(last) - 1, stride):
        for kind, damaged in (("byte -> 0xff", last[:i] + b"\xff" + last[i + 1:]),
                              ("byte -> quote", last[:i] + b'"' + last[i + 1:]),
                              ("byte -> x", last[:i] + b"x" + last[i + 1:]),
                              ("byte deleted", last[:i] + last[i + 1:]),
                              ("cut here", last[:i])):
            if damaged != last:
                cases.append((kind, prefix + damaged))
    ended: dict[str, int] = {}
    for kind, content in cases:
        (small_log / "log.jsonl").write_bytes(content)
        (small_log / "log.lock").write_bytes(b"")
        verified = verify_log(small_log).ok
        log = EventLog(small_log)
        try:
            events = log.events()
        except TadmurError:
            outcome = "refused"
            assert not verified, kind
            assert (small_log / "log.jsonl").read_bytes() == content, kind
        else:
            assert kind == "newline lost" or content == prefix, kind  # a cut at 0: 8 whole lines
            outcome = "completed" if log.repairs else "read as is (the cut left whole lines)"
            assert len(events) == (9 if kind == "newline lost" else 8)
            assert verify_log(small_log).ok
        assert not _torn_files(small_log), kind
        ended[outcome] = ended.get(outcome, 0) + 1
    assert ended["completed"] == 1 and ended["refused"] == len(cases) - 1 - ended.get(
        "read as is (the cut left whole lines)", 0)
    record_figures("damaged_last_line", {"cases": len(cases), "ended": ended,
                                         "moved_aside": 0, "lines_lost": 0,
                                         "command": "pytest tests/integration/"
                                         "test_reliability_torn.py -k single_byte"})
