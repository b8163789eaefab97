"""Readers replaying while writers append see a consistent prefix, never a half line.

Two writer processes append batches (one of them a line at a time, so a batch is on
disk half-written for a while); two reader processes read the log over and over. Every read
must be a prefix of the final log: contiguous seq, the same hashes, whole batches only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import PROJECT, copy_log, env_int, first_claim_id

pytestmark = pytest.mark.slow

WRITER = r"""
import sys
import engine.store.log as store_log
from tests.fuzz.harness import review_events, split_store_writes

root, claim, tag, batches, chunked = sys.argv[1:6]
if chunked == "1":
    # one line per write, then a pause: whole lines of a half-written batch sit in the
    # file where an unlocked reader would see them
    split_store_writes(lambda data: bytes(data).find(b"\n") + 1 or len(data), 0.003)
log = store_log.EventLog(root)
for b in range(int(batches)):
    log.append(review_events(claim, f"{tag}-{b}", 1 + b % 5, note_len=300))
"""

READER = r"""
import json, sys, time
from engine.store.log import EventLog

root, out = sys.argv[1:3]
reads = []
log = EventLog(root)
while True:
    if len(reads) % 10 == 0:
        log = EventLog(root)  # now and then a fresh reader that reads the whole file
    events = log.events()  # otherwise only what was appended since the last read
    time.sleep(0.002)
    reads.append([e.hash for e in events])
    if log.repairs:
        raise SystemExit(f"a reader repaired a live log: {log.repairs}")
    if len(events) >= int(sys.argv[3]):
        break
json.dump(reads, open(out, "w"))
"""


def test_readers_during_appends_only_ever_see_whole_batches_in_order(tmp_path):
    batches = env_int("TADMUR_CONCURRENCY_BATCHES", 40)
    root = copy_log(tmp_path / "events")
    committed = len(EventLog(root).events())
    claim = first_claim_id(root)
    per_writer = sum(1 + b % 5 for b in range(batches))
    final = committed + 2 * per_writer
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(root),
                                 str(tmp_path / f"reads{r}.json"), str(final)], env=env,
                                cwd=PROJECT, stderr=subprocess.PIPE)
               for r in range(2)]
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), claim, f"w{w}",
                                 str(batches), str(w % 2)], env=env, cwd=PROJECT,
                                stderr=subprocess.PIPE)
               for w in range(2)]
    for proc in writers + readers:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]

    logged = EventLog(root).events()
    assert len(logged) == final and verify_log(root).ok
    final_hashes = [e.hash for e in logged]
    batch_ends = _batch_ends(logged, committed)
    n_reads = 0
    for r in range(2):
        reads = json.loads((tmp_path / f"reads{r}.json").read_text())
        sizes = [len(read) for read in reads]
        assert sizes == sorted(sizes)  # a reader never sees the log shrink
        for read in reads:
            assert read == final_hashes[: len(read)]  # a prefix of the final log
            assert len(read) in batch_ends  # ends on a batch boundary
        n_reads += len(reads)
    assert n_reads > 4


def _batch_ends(logged, committed: int) -> set[int]:
    """Lengths of the log at which a batch ended (one batch = one recorded_at)."""
    ends = {committed}
    for i, event in enumerate(logged[committed:], start=committed):
        nxt = logged[i + 1] if i + 1 < len(logged) else None
        if nxt is None or (nxt.recorded_at, nxt.event.note.split("-")[:2]) != (
                event.recorded_at, event.event.note.split("-")[:2]):
            ends.add(i + 1)
    return ends
