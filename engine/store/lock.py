"""The one OS-specific part of the store: the ``flock`` on ``<root>/log.lock`` and the
fixed slot at its start where a writer notes the append in progress.

``fcntl.flock`` exists on Unix only (Linux, macOS, WSL); it does not hold across NFS.
Everything else in the store is portable Python.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.domain.errors import TadmurError

LOCK_FILE = "log.lock"

#: The note lives in a fixed slot at the start of log.lock; clearing overwrites it with
#: blanks, so the slot's disk block stays allocated and clearing works on a full disk.
NOTE_SLOT = 512


@contextmanager
def locked(root: Path, exclusive: bool) -> Iterator[int | None]:
    """Hold ``<root>/log.lock`` (shared or exclusive); yields its fd, or None when a
    read-only checkout has no lock file to open (then nobody can be writing through us).

    Raises:
        IsADirectoryError, PermissionError...: the lock cannot be opened for an
            exclusive lock (the caller turns it into a clear error).
    """
    path = Path(root) / LOCK_FILE
    if path.is_dir():
        raise TadmurError(f"cannot lock the log: {path} is a folder", where=str(path),
                          hint="log.lock must be a plain file; remove the folder of that name")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if exclusive or path.is_dir():
            raise
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            yield None
            return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def read_slot(lock: int | None) -> bytes:
    """The note slot's bytes (empty without a lock file)."""
    if lock is None:
        return b""
    return os.pread(lock, NOTE_SLOT, 0)


def write_slot(lock: int, data: bytes) -> None:
    """Write ``data`` (at most :data:`NOTE_SLOT` bytes) into the slot and fsync it."""
    data = data.ljust(NOTE_SLOT)
    while data:
        data = data[os.pwrite(lock, data, NOTE_SLOT - len(data)):]
    os.fsync(lock)


def clear_slot(lock: int) -> None:
    """Blank the slot (no fsync: a note left on a batch that is whole is harmless)."""
    try:
        os.pwrite(lock, b" " * NOTE_SLOT, 0)
    except OSError:
        pass
