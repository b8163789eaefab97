"""Idempotency under retries: the same ingest twice, or interrupted and rerun, adds
nothing twice, and ends with the same log content as one clean run."""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import sys

import pytest

from engine.store.log import EventLog
from engine.store.verify import verify_log
from tests.fuzz.harness import COMMITTED_LOG, PROJECT

ARTICLES = ["001_7330fd54346dc119.txt", "002_06caed34417dd74e.txt", "004_40f3d804fea89556.txt"]

#: ingest, with the Nth write to log.jsonl failing (ENOSPC) or the process killed there
FAULTY = r"""
import errno, os, signal, sys
import engine.store.log as store_log
from engine.cli import main

fail_at, how = int(sys.argv[1]), sys.argv[2]
count = [0]


class _Os:
    def __getattr__(self, name):
        return getattr(os, name)

    @staticmethod
    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("log.jsonl"):
            count[0] += 1
            if count[0] == fail_at:
                if how == "kill":
                    os.write(fd, data[: len(data) // 2])  # half the batch, then die
                    os.kill(os.getpid(), signal.SIGKILL)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return os.write(fd, data)


store_log.os = _Os()
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copyfile(COMMITTED_LOG / "sources" / name, folder / name)
    return [folder / name for name in ARTICLES]


def _ingest(log_dir, articles, *prefix):
    return subprocess.run([sys.executable, *prefix, "ingest", *map(str, articles),
                           "--published", "2016-12-12", "--log", str(log_dir), "--new-log"],
                          check=False, capture_output=True, text=True, cwd=PROJECT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(PROJECT)})


def _ids(log_dir) -> collections.Counter:
    return collections.Counter(e.event_id for e in EventLog(log_dir).events())


def test_ingesting_the_same_articles_twice_adds_nothing_the_second_time(tmp_path, articles):
    log_dir = tmp_path / "events"
    first = _ingest(log_dir, articles, "-m", "engine.cli")
    assert first.returncode == 0, first.stderr
    once = (log_dir / "log.jsonl").read_bytes()
    ids = _ids(log_dir)
    assert len(ids) > len(ARTICLES) and max(ids.values()) == 1
    second = _ingest(log_dir, articles, "-m", "engine.cli")
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("; 0 new events") == len(ARTICLES), second.stdout
    assert (log_dir / "log.jsonl").read_bytes() == once
    assert verify_log(log_dir).ok


@pytest.mark.parametrize("how, fail_at", [("enospc", 1), ("enospc", 2), ("kill", 2),
                                          ("kill", 3)])
def test_an_interrupted_ingest_rerun_ends_like_one_clean_run(tmp_path, articles, how, fail_at):
    clean = tmp_path / "clean"
    assert _ingest(clean, articles, "-m", "engine.cli").returncode == 0
    log_dir = tmp_path / "events"
    broken = _ingest(log_dir, articles, "-c", FAULTY, str(fail_at), how)
    if how == "kill":
        assert broken.returncode == -9
    else:
        assert broken.returncode == 2 and "No space left on device" in broken.stderr
        assert "Traceback" not in broken.stderr
    rerun = _ingest(log_dir, articles, "-m", "engine.cli")
    assert rerun.returncode == 0, rerun.stderr
    if how == "kill":  # the half batch was kept aside (`tadmur ingest` does not say so yet)
        (kept,) = (log_dir / "torn").iterdir()
        assert kept.stat().st_size > 0 and b"\n" in kept.read_bytes()
    ids = _ids(log_dir)
    assert max(ids.values()) == 1  # nothing twice
    assert ids == _ids(clean)  # nothing missing either
    assert verify_log(log_dir).ok
