"""Crash test: writers SIGKILLed at random moments never lose, duplicate or alter an ack.

P writer processes append batches to one log while a supervisor SIGKILLs them at
random moments and starts replacements. A writer notes a batch in its own side file
*before* ``append`` (intent) and again *after* it returned (acknowledged). Half the
writers write in small pieces (short writes, which POSIX allows and a crash or a full
disk produces), so kills also land in the middle of a batch and tear lines.

Afterwards the log is repaired (torn bytes kept under ``torn/``) and must verify; every
acknowledged event is present exactly once; every batch is all-or-nothing; seq is
contiguous and the chain holds. Counts go to ``build/reliability.json``.

Knobs (environment): ``TADMUR_CRASH_WRITERS`` (4), ``TADMUR_CRASH_APPENDS`` (2000 events
acknowledged before the run stops), ``TADMUR_CRASH_KILLS`` (30 at least).
"""

from __future__ import annotations

import collections
import itertools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import (
    PROJECT,
    copy_log,
    env_int,
    first_claim_id,
    record_figures,
)

pytestmark = pytest.mark.slow

WORKER = r'''
import os, random, sys, time

root, claim_id, tag, side, seed, chunked = sys.argv[1:7]
rng = random.Random(int(seed))
real_write = os.write

import engine.store.log as store_log
from engine.domain.events import ClaimReviewed
from tests.fuzz.harness import split_store_writes

if chunked == "1":
    # short writes: the store's write loop must cope, and a kill can land between pieces
    split_store_writes(lambda data: rng.randint(1, 300), 0.001)

fd = os.open(side, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
real_write(fd, b"R\n")
log = store_log.EventLog(root)
batch = 0
while True:
    batch += 1
    size = rng.randint(1, 8)
    events = [ClaimReviewed(claim_id, "accepted", "crash-test",
                            f"{tag}-{batch}-{i} " + "ت" * rng.randint(0, 900))
              for i in range(size)]
    ids = ",".join(e.event_id for e in events)
    real_write(fd, f"B {batch} {ids}\n".encode())
    log.append(events)
    real_write(fd, f"A {batch}\n".encode())
'''


def _side_records(path: Path) -> tuple[dict[str, list[str]], set[str]]:
    """(intended batches: key -> event ids, acknowledged batch keys) from one side file."""
    intended, acked = {}, set()
    text = path.read_text("ascii") if path.exists() else ""
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            continue  # the writer died while noting it: never acknowledged
        parts = line.split()
        if parts[0] == "B":
            intended[f"{path.stem}:{parts[1]}"] = parts[2].split(",")
        elif parts[0] == "A":
            acked.add(f"{path.stem}:{parts[1]}")
    return intended, acked


def test_sigkilled_writers_never_lose_duplicate_or_tear_an_acknowledged_append(tmp_path):
    writers = env_int("TADMUR_CRASH_WRITERS", 4)
    target_appends = env_int("TADMUR_CRASH_APPENDS", 2000)
    min_kills = env_int("TADMUR_CRASH_KILLS", 30)
    assert writers >= 4 or "TADMUR_CRASH_WRITERS" in os.environ

    root = copy_log(tmp_path / "events")
    committed = len(EventLog(root).events())
    claim_id = first_claim_id(root)
    script = tmp_path / "writer.py"
    script.write_text(WORKER, "utf-8")
    sides = tmp_path / "sides"
    sides.mkdir()
    rng = random.Random(6)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}

    live: dict[int, tuple[subprocess.Popen, Path]] = {}
    due: dict[int, float] = {}  # slot -> when its writer gets SIGKILLed
    quota: dict[int, int] = {}  # slot -> acknowledged batches before a kill is scheduled
    started = kills = 0
    # kills are spread so each writer acknowledges ~15 batches first, then dies at a random
    # moment within the next ~30 ms: mostly inside an append (locked, writing or fsyncing)
    mean_quota = max(2, target_appends // (4 * max(min_kills, 1)))

    def start(slot: int) -> None:
        nonlocal started
        started += 1
        side = sides / f"w{started:04d}.txt"
        proc = subprocess.Popen(
            [sys.executable, str(script), str(root), claim_id, f"w{started}", str(side),
             str(rng.randrange(1 << 30)), "1" if slot % 2 else "0"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        live[slot] = (proc, side)
        quota[slot] = rng.randint(1, 2 * mean_quota)
        due.pop(slot, None)

    def stop(proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()

    def acknowledged_events() -> int:
        total = 0
        for side in sides.iterdir():
            intended, acked = _side_records(side)
            total += sum(len(intended[k]) for k in acked if k in intended)
        return total

    for slot in range(writers):
        start(slot)
    try:
        while kills < min_kills or acknowledged_events() < target_appends:
            time.sleep(0.005)
            now = time.monotonic()
            for slot, (proc, side) in list(live.items()):
                if proc.poll() is not None:  # a writer must only ever die by our hand
                    pytest.fail(f"writer exited by itself ({proc.returncode}): "
                                f"{proc.stderr.read().decode()[-2000:]}")
                if slot not in due and len(_side_records(side)[1]) >= quota[slot]:
                    due[slot] = now + rng.uniform(0.0, 0.03)
                if slot in due and now >= due[slot]:
                    stop(proc)
                    kills += 1
                    start(slot)
    finally:
        for proc, _ in live.values():
            stop(proc)
    kills += len(live)

    intended: dict[str, list[str]] = {}
    acked: set[str] = set()
    for side in sides.iterdir():
        i, a = _side_records(side)
        intended.update(i)
        acked |= a

    before = verify_log(root)  # the last kill may have torn the tail: verify reports it
    log = EventLog(root)
    logged = log.events()  # repairs a torn tail, keeping the bytes aside
    after = verify_log(root)
    assert after.ok, after.describe()
    assert before.ok or "torn last line" in before.problem or "interrupted append" in before.problem

    counts = collections.Counter(e.event_id for e in logged)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    acked_ids = [eid for key in acked for eid in intended[key]]
    lost = [eid for eid in acked_ids if counts[eid] == 0]
    partial = [key for key, ids in intended.items()
               if 0 < sum(counts[eid] for eid in ids) < len(ids)]
    unacked_kept = sum(1 for key, ids in intended.items()
                       if key not in acked and all(counts[eid] for eid in ids))
    torn_dir = root / "torn"
    torn_files = sorted(torn_dir.iterdir()) if torn_dir.exists() else []

    record_figures("crash", {
        "command": "pytest tests/integration/test_reliability_crash.py",
        "writers": writers,
        "writer_processes_started": started,
        "kills": kills,
        "batches_acknowledged": len(acked),
        "appends_acknowledged": len(acked_ids),
        "events_in_log_after": len(logged) - committed,
        "acknowledged_lost": len(lost),
        "duplicates": duplicates,
        "partial_batches": len(partial),
        "unacknowledged_batches_found_whole": unacked_kept,
        "torn_tails_repaired": len(torn_files),
        "torn_bytes_kept_aside": sum(f.stat().st_size for f in torn_files),
        "verify_ok_after_repair": after.ok,
    })

    assert len(acked_ids) >= target_appends
    assert not lost, f"{len(lost)} acknowledged events lost, e.g. {lost[:3]}"
    assert duplicates == 0
    assert not partial, f"{len(partial)} batches are only partly in the log: {partial[:3]}"
    assert [e.seq for e in logged] == list(range(1, len(logged) + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(logged))
    assert all(f.stat().st_size > 0 for f in torn_files)
    assert len(logged) - committed == len(acked_ids) + sum(
        len(ids) for key, ids in intended.items()
        if key not in acked and all(counts[eid] for eid in ids))
