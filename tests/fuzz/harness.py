"""Shared helpers for the reliability, tamper and fuzz tests (not a test module).

- :func:`copy_log` gives a test its own copy of the committed ``events/`` (never touch
  the original);
- :func:`review_events` makes cheap, unique, valid events to append in bulk;
- :func:`record_figures` merges measured counts into ``build/reliability.json``;
- :data:`NETWORK_GUARD` is a ``sitecustomize`` that refuses non-loopback connections.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from engine.domain.events import ClaimRecorded, ClaimReviewed
from engine.store.codec import decode_line

PROJECT = Path(__file__).resolve().parents[2]
COMMITTED_LOG = PROJECT / "events"
FIGURES = PROJECT / "build" / "reliability.json"
PYTHON = sys.executable


def copy_log(target: Path) -> Path:
    """A private copy of the committed ``events/`` (log and sources; no lock, torn/ or the
    snapshot cache, which other tests' reads of events/ write)."""
    shutil.copytree(COMMITTED_LOG, target,
                    ignore=shutil.ignore_patterns("log.lock", "torn", ".cache"))
    return target


def committed_lines() -> list[bytes]:
    """The committed log's lines, each with its newline."""
    return (COMMITTED_LOG / "log.jsonl").read_bytes().splitlines(keepends=True)


def first_claim_id(root: Path) -> str:
    """The claim id of the first ClaimRecorded in the log under ``root``."""
    for n, line in enumerate((root / "log.jsonl").read_text("utf-8").splitlines(), start=1):
        event = decode_line(line, n).event
        if isinstance(event, ClaimRecorded):
            return event.claim_id
    raise AssertionError(f"no ClaimRecorded in {root}")


def review_events(claim_id: str, tag: str, n: int, note_len: int = 40) -> list[ClaimReviewed]:
    """``n`` distinct ClaimReviewed events (unique by ``tag``), about ``note_len`` chars each."""
    pad = "ن" * max(0, note_len - len(tag))
    return [ClaimReviewed(claim_id, "accepted", "reliability", f"{tag}-{i} {pad}") for i in range(n)]


def record_figures(section: str, values: dict, *, merge: bool = False) -> None:
    """Put ``values`` under ``section`` of build/reliability.json (safe under xdist);
    ``merge`` adds them to what the section already holds instead of replacing it."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with open(FIGURES.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            current = json.loads(FIGURES.read_text("utf-8")) if FIGURES.exists() else {}
        except ValueError:
            current = {}
        current[section] = {**current.get(section, {}), **values} if merge else values
        tmp = FIGURES.with_suffix(".tmp")
        tmp.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", "utf-8")
        os.replace(tmp, FIGURES)


def split_store_writes(piece_length: Callable[[memoryview], int], pause: float) -> None:
    """Make the store's ``os.write`` write only ``piece_length(data)`` bytes a call, then
    sleep ``pause`` seconds: short writes its write loop must cope with, and a window in
    which a reader looks or a kill lands (for the writer subprocesses of the tests)."""
    import engine.store.log as store_log

    real_write = os.write

    class _Os:
        def __getattr__(self, name: str):
            return getattr(os, name)

        @staticmethod
        def write(fd: int, data) -> int:
            written = real_write(fd, data[: piece_length(memoryview(data))])
            time.sleep(pause)
            return written

    store_log.os = _Os()


def env_int(name: str, default: int) -> int:
    """An integer knob from the environment (for bigger local runs)."""
    return int(os.environ.get(name, default))


#: A ``sitecustomize`` for subprocesses: an audit hook that records and refuses every
#: connection that is not to loopback or a Unix socket. ``TADMUR_NET_LOG`` names the file
#: where attempts are written (one line each), so a test sees them even if caught.
NETWORK_GUARD = r'''
import os, sys

_LOG = os.environ.get("TADMUR_NET_LOG")
_LOCAL = ("127.", "::1", "localhost", "0.0.0.0")


def _tadmur_deny_network(event, args):
    if event not in ("socket.connect", "socket.sendto", "socket.getaddrinfo",
                     "socket.gethostbyname", "urllib.Request"):
        return
    target = args[1] if event in ("socket.connect", "socket.sendto") else args[0]
    host = target[0] if isinstance(target, tuple) else target
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if event == "socket.connect" and isinstance(target, (str, bytes)):
        return  # AF_UNIX
    if isinstance(host, str) and (host.startswith(_LOCAL) or host == ""):
        return
    if _LOG:
        with open(_LOG, "a") as fh:
            fh.write(f"{event} {target!r} argv={sys.argv!r}\n")
    raise PermissionError(f"network denied by the test harness: {event} {target!r}")


sys.addaudithook(_tadmur_deny_network)
'''


def forge_line(log_bytes: bytes, *, data: dict | None = None, drop_last: bool = False,
               **envelope) -> bytes:
    """A line that chains onto the last line of ``log_bytes`` with a *valid* hash, built
    from that last line with ``envelope``/``data`` fields replaced: what a careful forger
    or a newer Tadmur could write. ``drop_last`` chains onto the line before instead."""
    import hashlib

    from engine.domain.events import canonical_json

    def sha256_hex(text: str) -> str:  # like the store's, but total: hashes surrogates too
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    lines = log_bytes.splitlines()
    template = json.loads(lines[-1])
    anchor = json.loads(lines[-2]) if drop_last else template
    record = {k: v for k, v in template.items() if k != "hash"}
    record["seq"] = anchor["seq"] + 1
    record["prev_hash"] = anchor["hash"]
    if data is not None:
        record["data"] = data
    record.update(envelope)
    if "event_id" not in envelope:
        try:
            record["event_id"] = sha256_hex(canonical_json(
                {"type": record["type"], "data": record["data"]}))[:32]
        except (TypeError, ValueError):
            pass
    record["hash"] = sha256_hex(canonical_json({k: v for k, v in record.items()}))
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        return line.encode()
    except UnicodeEncodeError:  # a lone surrogate can only be written as an escape
        return (json.dumps(record, separators=(",", ":")) + "\n").encode()
