"""Reading the log: ``log.jsonl`` -> the ``claim_events`` frame, checked, with a snapshot.

Every read checks every line as the store's reader does (:func:`engine.store.codec.decode_line`):
the exact compact form, the sha256 of each line's canonical JSON, the event id, the
envelope and payload types and rules, seq 1, 2, 3... and the hash chain. It does so
with msgspec, a whole block of lines at a time (:mod:`engine.store.checked_lines`), and
builds the frame column by column. A line that check cannot vouch for is decoded by
``decode_line`` itself; any line that is wrong (or a torn tail, or an interrupted append)
sends the read to the store's line-by-line reader (:meth:`engine.store.EventLog.events`),
which repairs what it may and otherwise raises its own error naming the line, so a
damaged log is never read silently and its error never changes.

The Parquet snapshot under ``<log>/.cache/`` is bound to the log bytes it was built
from, and checked for content before it is served (:func:`_from_cache`): its manifest
holds a format version, the head (seq, hash), the log file's identity (device, inode),
byte size, modification and change times (a user can restore an mtime, not a ctime: any
write, even of the same size, changes it), and the sha256 of each snapshot file. A
snapshot whose files do not hash to their digests (cut, swapped, foreign) or whose log is
not the same file with the same times is rebuilt, never served. When the same file has
only grown, a ``"links"`` read takes the snapshot and reads (and checks in full) only the
new bytes, whose first ``prev_hash`` must be the cached head; a ``"full"`` read takes only
a snapshot of these very bytes. The cache is never the source of truth: delete it at
will; one that cannot be written (a read-only folder, a full disk) is simply not kept.

The snapshot can also keep the events encoded, named by the same head
(:mod:`engine.store.encoded_snapshot`); a rewrite of the snapshot, even for the same
head, drops what was kept beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import DocumentRegistered
from engine.domain.schema import CLAIM_EVENTS, enforce_schema
from engine.store.blocks import FastCheckFailed, checked_blocks
from engine.store.codec import GENESIS_HASH, decode_line
from engine.store.frames import claim_events_frame
from engine.store.log import (
    LOG_FILE,
    LogHead,
    TornTailRepair,
    locked,
    open_log,
    read_pending,
    require_log,
)

CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
#: Bump when the snapshot's files or manifest change: another format is rebuilt.
SNAPSHOT_FORMAT = 3
#: Rows in a row group of the snapshot's events file.
SNAPSHOT_ROWS = 1 << 15

Check = Literal["links", "full"]



@dataclass(frozen=True)
class LoadedLog:
    """The claim events of a log, the head they reach, and how they were read."""

    claim_events: pl.DataFrame
    head: LogHead
    #: "cache" (snapshot as is), "cache+tail" (snapshot plus new lines), "jsonl"
    #: (the whole file, checked block by block), or "checked" (the store's line-by-line
    #: reader, after a line the block check refused, a torn tail or an interrupted append)
    source: str
    #: torn tails the store's reader moved aside (only a "checked" read repairs: a block
    #: read never starts on a log that needs it)
    repairs: tuple[TornTailRepair, ...] = ()
    #: doc_id -> published_date, for extending the snapshot with later lines
    documents: pl.DataFrame | None = None
    #: the snapshot under ``.cache/`` holds exactly these events (they were read from it,
    #: or this load wrote it), so an encoding kept beside it is theirs
    #: (:func:`engine.store.encoded_snapshot.load_encoded`)
    snapshot: bool = False


def load_claim_events(root: Path | str, *, check: Check = "links", cache: bool = True,
                      progress: bool | None = None) -> LoadedLog:
    """The ``claim_events`` frame of the log at ``root``, equal to what
    ``claim_events_frame(open_log(root).events())`` gives, every line checked.

    Args:
        root: the log folder (holding ``log.jsonl``).
        check: which snapshot may serve the read: ``"full"`` only one of these very bytes
            (same file, size and times), ``"links"`` also one of a prefix of them, the
            rest of the file being read and checked (its first line must follow the
            snapshot's head, whose line is decoded again).
        cache: read and refresh the Parquet snapshot under ``<root>/.cache/``.
        progress: show a progress bar on stderr (default: for a big read, when stderr is
            a terminal).
    """
    root = Path(root)
    if check not in ("links", "full"):
        raise TadmurError(f"check must be 'links' or 'full', found {check!r}", where="load",
                          hint="'full' takes only a snapshot of these very bytes")
    path = root / LOG_FILE
    require_log(root)
    try:
        with locked(root, exclusive=False) as lock:  # never half of a live append
            if read_pending(lock) is not None:
                raise FastCheckFailed  # a writer died mid-batch: the store's reader repairs
            stat = path.stat()
            size = stat.st_size
            if cache:
                cached = _from_cache(root, stat, check)
                if cached is not None:
                    return cached
            events, documents, head = _read_blocks(path, 0, size, LogHead(0, GENESIS_HASH),
                                                   _empty_documents(), progress)
    except FastCheckFailed:
        before = _file_key(path.stat())
        loaded = _checked(root)
        if cache and not loaded.repairs:
            with locked(root, exclusive=False):  # key the snapshot by the bytes just read
                stat = path.stat()
                if (_file_key(stat) == before
                        and _line_before_has_hash(path, stat.st_size, loaded.head)
                        and _write_cache(root, loaded.claim_events, loaded.documents,
                                         loaded.head, stat, "full")):
                    loaded = replace(loaded, snapshot=True)
        return loaded
    written = cache and _write_cache(root, events, documents, head, stat, "full")
    return LoadedLog(events, head, "jsonl", documents=documents, snapshot=written)


def _checked(root: Path) -> LoadedLog:
    log = open_log(root)
    logged = log.events()
    head = LogHead(logged[-1].seq, logged[-1].hash) if logged else LogHead(0, GENESIS_HASH)
    documents = pl.DataFrame(
        [(e.event.doc_id, e.event.published) for e in logged
         if isinstance(e.event, DocumentRegistered)],
        schema={"doc_id": pl.String, "published": pl.String}, orient="row",
    ).select("doc_id", published_date=pl.col("published").str.to_date("%Y-%m-%d"))
    return LoadedLog(claim_events_frame(logged), head, "checked", tuple(log.repairs),
                     documents)


def _read_blocks(path: Path, offset: int, size: int, start: LogHead, documents: pl.DataFrame,
                 progress: bool | None = None) -> tuple[pl.DataFrame, pl.DataFrame, LogHead]:
    """The claim events of :func:`checked_blocks`, and the documents so far."""
    # each block's events are cut from its payloads on arrival: only the frame is kept
    parts: list[pl.DataFrame] = []
    new_documents: list[pl.DataFrame] = []
    head = start
    for checked in checked_blocks(path, offset, size, start, progress):
        head = LogHead(checked.head_seq, checked.head_hash)
        parts.append(checked.events)
        new_documents.append(checked.documents.select(
            "doc_id", published_date=pl.col("published").str.to_date("%Y-%m-%d")))
    if not parts:
        return _empty_events(), documents, start
    documents = pl.concat([documents, *new_documents])
    events = pl.concat(parts, rechunk=False).with_columns(
        published_date=pl.col("doc_id").replace_strict(
            documents["doc_id"], documents["published_date"], default=None,
            return_dtype=pl.Date))
    return enforce_schema(events, CLAIM_EVENTS, "claim_events"), documents, head


def _empty_events() -> pl.DataFrame:
    return pl.DataFrame(schema={k: v for k, (v, _) in CLAIM_EVENTS.items()})


def _empty_documents() -> pl.DataFrame:
    return pl.DataFrame(schema={"doc_id": pl.String, "published_date": pl.Date})


# -- the snapshot cache ------------------------------------------------------------------


def cache_dir(root: Path | str) -> Path:
    """Where the snapshot of the log at ``root`` lives (git ignores it)."""
    return Path(root) / CACHE_DIR


def _file_key(stat: os.stat_result) -> list[int]:
    """What names the bytes of a file without reading them: identity, size and times
    (a same-size edit with its mtime restored still moves the ctime)."""
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def file_digest(path: Path) -> str:
    """sha256 of a snapshot file."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def read_manifest(folder: Path) -> dict | None:
    """The snapshot's manifest if it is of this format (None: none, torn or foreign)."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != SNAPSHOT_FORMAT:
            return None
        LogHead(int(manifest["seq"]), str(manifest["hash"]))
        if not isinstance(manifest["files"], dict) or len(manifest["log"]) != 5:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def read_checked_parquet(folder: Path, name: str, digests: dict) -> pl.DataFrame | None:
    """``folder/name`` if its bytes hash to the digest ``digests`` holds for it."""
    try:
        if digests.get(name) != file_digest(folder / name):
            return None  # cut, swapped or foreign: never served
        return pl.read_parquet(folder / name)
    except (pl.exceptions.PolarsError, OSError):
        return None


def _from_cache(root: Path, stat: os.stat_result, check: Check) -> LoadedLog | None:
    """The snapshot, if it is bound to this log's bytes, its files hold what was written,
    and it was checked at least as ``check`` asks (a "full" read takes only a snapshot
    of a full read of these very bytes)."""
    folder = cache_dir(root)
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    head = LogHead(manifest["seq"], manifest["hash"])
    try:
        events_file, documents_file = _snapshot_files(head)
    except ValueError:
        return None
    cached_key, cached_check = manifest["log"], manifest["check"]
    cached_size = cached_key[2]
    key = _file_key(stat)
    if key[:2] != cached_key[:2]:
        return None  # another file (a checkout, a copy): rebuild from scratch
    if key[2] == cached_size and key != cached_key:
        return None  # rewritten in place: an edit of the prefix would not show at its end
    if key[2] < cached_size or (check == "full" and (cached_check != "full"
                                                     or key != cached_key)):
        return None
    if not _line_before_has_hash(root / LOG_FILE, cached_size, head):
        return None  # the log was replaced or rewritten: rebuild from scratch
    events = read_checked_parquet(folder, events_file, manifest["files"])
    documents = read_checked_parquet(folder, documents_file, manifest["files"])
    if events is None or documents is None:
        return None
    if key == cached_key:
        return LoadedLog(events, head, "cache", snapshot=True)
    new_events, documents, new_head = _read_blocks(root / LOG_FILE, cached_size,
                                                   stat.st_size - cached_size, head, documents)
    events = pl.concat([events, new_events])
    written = _write_cache(root, events, documents, new_head, stat, "links")
    return LoadedLog(events, new_head, "cache+tail", snapshot=written)


def snapshot_of_these_bytes(root: Path | str) -> tuple[LogHead, str] | None:
    """The head and events digest of the snapshot a ``"full"`` read would serve now
    (same file, size and times; its head the log's last line, decoded again), without
    reading the snapshot. None if there is none, or the slightest doubt."""
    root = Path(root)
    try:
        with locked(root, exclusive=False) as lock:
            stat = (root / LOG_FILE).stat()
            manifest = read_manifest(cache_dir(root))
            if (read_pending(lock) is not None or manifest is None
                    or manifest["check"] != "full" or manifest["log"] != _file_key(stat)):
                return None
            head = LogHead(manifest["seq"], manifest["hash"])
            digest = manifest["files"].get(_snapshot_files(head)[0])
            if isinstance(digest, str) and _line_before_has_hash(root / LOG_FILE, stat.st_size, head):
                return head, digest
    except (OSError, ValueError, TadmurError):
        pass
    return None


def _line_before_has_hash(path: Path, offset: int, head: LogHead) -> bool:
    """Is the line that ends at ``offset`` the cached head? (decoded in full)"""
    if offset == 0:
        return head.seq == 0
    with open(path, "rb") as handle:
        back = min(offset, 1 << 20)
        handle.seek(offset - back)
        block = handle.read(back)
    if not block.endswith(b"\n"):
        return False
    line = block[block.rfind(b"\n", 0, len(block) - 1) + 1 : -1]
    try:
        logged = decode_line(line.decode("utf-8"), head.seq)
    except (TadmurError, UnicodeDecodeError):
        return False
    return (logged.seq, logged.hash) == (head.seq, head.hash)


def snapshot_stem(head: LogHead) -> str:
    """What every file of the snapshot of ``head`` is named by (a manifest that names no
    head raises ValueError)."""
    if not isinstance(head.seq, int) or not all(c in "0123456789abcdef" for c in head.hash):
        raise ValueError("not a head")
    return f"{head.seq}.{head.hash[:16]}"


def _snapshot_files(head: LogHead) -> tuple[str, str]:
    stem = snapshot_stem(head)
    return f"claim_events.{stem}.parquet", f"documents.{stem}.parquet"


def _write_cache(root: Path, events: pl.DataFrame, documents: pl.DataFrame, head: LogHead,
                 stat: os.stat_result, check: Check) -> bool:
    """Write the snapshot named by its head, then switch the manifest to it (atomic
    renames: a reader sees the old snapshot or the new one, never half of one). Every
    other file goes, the encodings kept beside earlier snapshots included. False if
    the folder could not be written."""
    folder = cache_dir(root)
    events_file, documents_file = _snapshot_files(head)
    try:
        folder.mkdir(exist_ok=True)
        for stale in folder.glob(f"*.{snapshot_stem(head)}.*"):
            # first: what was kept beside the snapshot about to be replaced (its encoding)
            # was made from it, and it may hold other events under the same head (a
            # links-checked read of a line edited under its stored hash)
            if stale.name not in (events_file, documents_file):
                stale.unlink(missing_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# a rebuildable cache of the log, never committed\n*\n",
                              encoding="utf-8")
        # uncompressed: a local cache, read far more often than written (and ~40% less CPU
        # to read than lz4); row groups of 32k rows: the writer's buffers added 27-32 MB to the
        # peak instead of 40-62 MB at 1M events, for the same file size and read time
        write_atomically(folder / events_file, lambda p: events.write_parquet(
            p, compression="uncompressed", statistics=False, row_group_size=SNAPSHOT_ROWS))
        write_atomically(folder / documents_file, lambda p: documents.write_parquet(p))
        manifest = {"format": SNAPSHOT_FORMAT, "log": _file_key(stat), "seq": head.seq,
                    "hash": head.hash, "check": check,
                    "files": {name: file_digest(folder / name)
                              for name in (events_file, documents_file)}}
        write_atomically(folder / MANIFEST,
                lambda p: Path(p).write_text(json.dumps(manifest), encoding="utf-8"))
    except (OSError, pl.exceptions.PolarsError):
        # a read-only checkout or a full disk (polars reports it as a ComputeError): no
        # cache, same answer
        return False
    try:
        for old in [*folder.glob("*.parquet"), *folder.glob("encoding.*.json")]:
            if old.name not in (events_file, documents_file):
                old.unlink(missing_ok=True)
    except OSError:
        pass  # leftovers are never read: every file is named by its head
    return True


def write_atomically(target: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
