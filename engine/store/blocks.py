"""The log read a block of whole lines at a time, every line checked, on every core for a
big read: what the snapshot read (:mod:`engine.store.read`), ``verify`` and the append
index's rebuild share.

It stands below :mod:`engine.store.log` (it needs only where a read starts, a
:class:`~engine.store.head.LogHead`), so the log can rebuild its index with it and the read
can fall back to the log's line-by-line reader without a circle.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from engine.store.checked_lines import CheckedBlock, check_file_block
from engine.store.head import LogHead

#: Bytes read and checked at a time: bounds the memory the Python objects of a block take.
BLOCK = 16 << 20
#: A read of more bytes than this shows a progress bar (on a terminal).
PROGRESS_FROM = 64 << 20
#: A read of more bytes than this is checked on every core (starting the processes costs
#: about what checking 50 MB does on one).
PARALLEL_FROM = 128 << 20


class FastCheckFailed(Exception):
    """A block check failed: the caller falls back to the store's line-by-line reader."""


def checked_blocks(
    path: Path, offset: int, size: int, start: LogHead, progress: bool | None = None
) -> Iterator[CheckedBlock]:
    """The ``size`` bytes of ``path`` from ``offset``, which follow the line ``start``,
    read and checked a block of whole lines at a time (on every core for a big read), each
    block linked to the one before. Raises :class:`FastCheckFailed` if a line is wrong or
    the tail is torn: the store's line-by-line reader then names the damage."""
    if size == 0:
        return
    bounds = _block_bounds(path, offset, size)
    bar = _progress_bar(size, progress)
    head = start
    try:
        for i, checked in enumerate(_checked_blocks(path, bounds)):
            if isinstance(checked, str):
                raise FastCheckFailed(checked)
            if (checked.first_seq, checked.first_prev) != (head.seq + 1, head.hash):
                raise FastCheckFailed("the blocks do not link")
            head = LogHead(checked.head_seq, checked.head_hash)
            yield checked
            if bar is not None:
                bar.update(bounds[i][1])
    finally:
        if bar is not None:
            bar.close()


def _block_bounds(path: Path, offset: int, size: int) -> list[tuple[int, int]]:
    """(offset, length) of blocks of about :data:`BLOCK` bytes, each ending at a newline
    (FastCheckFailed if the bytes do not end with one: a torn tail is the store's)."""
    end = offset + size
    bounds = []
    with open(path, "rb") as handle:
        handle.seek(end - 1)
        if handle.read(1) != b"\n":
            raise FastCheckFailed("torn tail")
        start = offset
        while start < end:
            cut = start + BLOCK
            if cut >= end:
                bounds.append((start, end - start))
                break
            handle.seek(cut)
            while True:  # a line longer than what was read: read on
                chunk = handle.read(1 << 16)
                newline = chunk.find(b"\n")
                if newline != -1 or not chunk:
                    break
                cut += len(chunk)
            cut = min(end, cut + newline + 1) if chunk else end
            bounds.append((start, cut - start))
            start = cut
    return bounds


def _checked_blocks(path: Path, bounds: list[tuple[int, int]]) -> Iterator[CheckedBlock | str]:
    """:func:`check_file_block` of each block, in order: in this process for a small read,
    else on every core, this process checking every n-th block and one worker process per
    other core the rest (msgspec and hashlib hold the GIL). The workers are plain
    subprocesses (``python -c``), so a script that reads a log needs no
    ``if __name__ == "__main__"`` guard, as a multiprocessing pool would."""
    cores = min(len(bounds), _cores())
    if cores < 2 or sum(length for _, length in bounds) < PARALLEL_FROM:
        for offset, length in bounds:
            yield check_file_block(str(path), offset, length)
        return
    package_root = str(Path(__file__).resolve().parents[2])
    script = (
        f"import sys; sys.path.insert(0, {package_root!r}); "
        "from engine.store.checked_lines import serve_blocks; serve_blocks()"
    )
    command = [sys.executable, "-c", script]
    # block i is checked here if i % cores == 0, else by worker i % cores - 1
    shares = [bounds[i::cores] for i in range(1, cores)]
    processes = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE) for _ in shares
    ]
    try:
        for process, share in zip(processes, shares, strict=True):
            assert process.stdin is not None
            process.stdin.write(json.dumps({"path": str(path), "blocks": share}).encode())
            process.stdin.close()
        for i, (offset, length) in enumerate(bounds):
            if i % cores == 0:
                yield check_file_block(str(path), offset, length)
            else:
                # read here, not on a thread: a thread reading a pipe takes the GIL back
                # at every chunk, and slowed this process's own checks threefold
                yield _answer(processes[i % cores - 1])
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()
            if process.stdout is not None:
                process.stdout.close()


def _answer(process: subprocess.Popen) -> CheckedBlock | str:
    """A worker's next answer (a string if it stopped or its answer cannot be read)."""
    assert process.stdout is not None
    try:
        return pickle.load(process.stdout)
    except EOFError:
        return "the worker stopped"
    except Exception as exc:  # noqa: BLE001 - any failure: the reader falls back
        return f"the worker's answer cannot be read ({exc})"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _progress_bar(size: int, progress: bool | None):
    if progress is None:
        progress = size >= PROGRESS_FROM and sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(
        total=size, unit="B", unit_scale=True, desc="reading the log", file=sys.stderr, leave=False
    )
