"""Fast loading: ``log.jsonl`` -> the ``claim_events`` frame, columnar, with a Parquet cache.

The store's checked reader (:meth:`engine.store.EventLog.events`) decodes every line in
Python: it re-hashes each line, validates each payload and upcasts old schemas. That is
the integrity check, and it costs tens of microseconds a line. This module reads the same
bytes with a compiled JSON lines reader instead (:mod:`engine.scale.json_lines`: one
pass over the mapped file on two threads, keeping only the fields the frame needs) and
checks, as it reads, what can be checked without re-hashing every line:

- framing: the file ends with a newline and every line is one JSON object (valid JSON
  and UTF-8 throughout: a torn tail or a garbled line fails here);
- every ``prev_hash`` equals the previous line's ``hash`` (a line removed, inserted or
  re-hashed after an edit breaks the link to its successor);
- ``seq`` is 1, 2, 3… with no gap, duplicate or reordering;
- the last line is decoded in full by the store's ``decode_line`` (its hash is recomputed,
  so the head the cache is keyed by is genuine);
- every line has the current schema version and a known type.

What it does not check: that each earlier line's ``hash`` is the hash of its content (an
edit that leaves the stored hash alone), payload validity and references. Those need
the per-line Python decode; ``tadmur verify`` and ``check="full"`` do it. Whenever a
fast check fails (or a line holds something the compiled reader leaves to Python, such
as a lone surrogate escape), the load falls back to the store's checked reader, which
repairs a torn tail or raises the store's own error naming the damaged line, so a
damaged log is never read silently. DuckDB's and polars' JSON readers can stand in for
the compiled one (``reader=``): they are the baselines of ``bench/load.py``.

The Parquet snapshot under ``<log>/.cache/`` is bound to the log bytes it was built
from, and checked for content before it is served (:func:`_from_cache`): its manifest
holds a format version, the head (seq, hash), the log file's identity (device, inode),
byte size, modification and change times (a user can restore an mtime, not a ctime: any
write, even of the same size, changes it), and the sha256 of each snapshot file. A
snapshot whose files do not hash to their digests (cut, swapped, foreign) or whose log is
not the same file with the same times is rebuilt, never served. When the same file has
only grown, only the new bytes are parsed and checked (their first ``prev_hash`` must be
the cached head) for a ``"links"`` read; a ``"full"`` read takes only a snapshot of these
very bytes. The cache is never the source of truth: delete it at will; one that cannot be
written (a read-only folder, a full disk) is simply not kept.

The snapshot can also keep the events encoded, named by the same head
(:mod:`engine.scale.encoded_snapshot`); a rewrite of the snapshot, even for the same
head, drops what was kept beside it.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from engine.domain.errors import TadmurError
from engine.domain.events import CORRECTABLE_FIELDS, SCHEMA_VERSION, DocumentRegistered
from engine.domain.schema import CLAIM_EVENTS, enforce_schema
from engine.scale import json_scan
from engine.scale.json_lines import ChainEnds, JsonLinesError, read_chained_lines
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
SNAPSHOT_FORMAT = 2

Check = Literal["links", "full"]

_ACTIONS = {"ClaimRecorded": "recorded", "ClaimCorrected": "corrected",
            "ClaimRetracted": "retracted", "ClaimReviewed": "reviewed"}
_KNOWN_TYPES = [*_ACTIONS, "DocumentRegistered"]

_S = pl.String()
_DATES = ("valid_from", "valid_to")
_ASSERTION = {"site_id": _S, "kind": _S, "gainer": _S, "loser": _S, "valid_from": pl.Date(),
              "valid_to": pl.Date(), "time_precision": _S, "claimant": _S, "denied": pl.Boolean(),
              "confidence": pl.Float64()}
#: The part of each line the frame needs; the reader skips every other field. A
#: correction's fields (``data.corrected.site_id``...) are read into the claim's own
#: (``data.site_id``...): a valid line has one or the other (:data:`CORRECTED`).
LINE_SCHEMA = pl.Schema({
    "seq": pl.Int64(),
    "type": _S,
    "schema": pl.Int64(),
    "data": pl.Struct({
        "doc_id": _S, "published": pl.Date(), "claim_id": _S, **_ASSERTION,
        "evidence": pl.Struct({"start": pl.Int64(), "end": pl.Int64(), "text": _S}),
        "extractor": _S,
        "verdict": _S,
    }),
})
CORRECTED = {("data", "corrected", name): ("data", name) for name in _ASSERTION}


@dataclass(frozen=True)
class LoadedLog:
    """The claim events of a log, the head they reach, and how they were read."""

    claim_events: pl.DataFrame
    head: LogHead
    #: "cache" (snapshot as is), "cache+tail" (snapshot plus new lines), "jsonl"
    #: (fast read of the whole file), or "checked" (the store's reader)
    source: str
    #: torn tails the store's reader moved aside (only a "checked" read repairs: a fast
    #: read never starts on a log that needs it)
    repairs: tuple[TornTailRepair, ...] = ()
    #: doc_id -> published_date, for extending the snapshot with later lines
    documents: pl.DataFrame | None = None
    #: the snapshot under ``.cache/`` holds exactly these events (they were read from it,
    #: or this load wrote it), so an encoding kept beside it is theirs (:func:`engine.scale.encoded_snapshot.load_encoded`)
    snapshot: bool = False


class _FastCheckFailed(Exception):
    """A fast check failed: the caller falls back to the store's checked reader."""


Reader = Literal["auto", "compiled", "polars", "duckdb"]
_COMPILED = ("auto", "compiled")


def load_claim_events(root: Path | str, *, check: Check = "links", cache: bool = True,
                      reader: Reader = "auto") -> LoadedLog:
    """The ``claim_events`` frame of the log at ``root``, equal to what
    ``claim_events_frame(open_log(root).events())`` gives.

    Args:
        root: the log folder (holding ``log.jsonl``).
        check: ``"links"`` for the fast checks listed in the module docstring, ``"full"``
            for the store's checked reader (every line re-hashed and validated), or a
            snapshot that such a read made of these same bytes (same size, same
            modification time; any growth is read again in full).
        cache: read and refresh the Parquet snapshot under ``<root>/.cache/``.
        reader: the JSON reader for a full read: ``"compiled"`` (or ``"auto"``:
            :mod:`engine.scale.json_lines`, which keeps only the values the frame needs),
            ``"duckdb"`` (optional dependency) or ``"polars"``; the last two are the
            baselines of ``bench/load.py``.
    """
    root = Path(root)
    if check not in ("links", "full"):
        raise TadmurError(f"check must be 'links' or 'full', found {check!r}", where="load",
                          hint="'full' re-hashes every line, as `tadmur verify` does")
    path = root / LOG_FILE
    require_log(root)
    try:
        with locked(root, exclusive=False) as lock:  # never half of a live append
            if read_pending(lock) is not None:
                raise _FastCheckFailed  # a writer died mid-batch: the store's reader repairs
            stat = path.stat()
            size = stat.st_size
            if cache:
                cached = _from_cache(root, stat, check)
                if cached is not None:
                    return cached
            if check == "full":
                raise _FastCheckFailed  # every line re-hashed: the store's reader
            with open(path, "rb") as handle, _mapped(handle, size) as raw:
                events, documents, head = _parse(raw, LogHead(0, GENESIS_HASH),
                                                 _empty_documents(), reader, path)
    except _FastCheckFailed:
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
    written = cache and _write_cache(root, events, documents, head, stat, "links")
    return LoadedLog(events, head, "jsonl", snapshot=written)


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


@contextmanager
def _mapped(handle, size: int):
    """The first ``size`` bytes of the file, mapped (no copy: a read of a 700 MB log
    alone took ~0.3 s); the columns are copies, so nothing outlives the mapping."""
    if size == 0:
        yield b""
        return
    try:
        mapped = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # a file system that cannot map: read it
        yield handle.read(size)
        return
    try:
        yield mapped
    finally:
        try:
            mapped.close()
        except BufferError:  # a view of it lives on in a traceback: unmapped when it goes
            pass


def _parse(raw, start: LogHead, documents: pl.DataFrame, reader: Reader = "auto",
           path: Path | None = None) -> tuple[pl.DataFrame, pl.DataFrame, LogHead]:
    """Parse and link-check whole lines following ``start``; also returns the documents.

    ``raw``: the bytes (``bytes`` or a mapping); ``path``: the file ``raw`` is, whole,
    for DuckDB's JSON reader (which reads files)."""
    if not len(raw):
        return _empty_events(), documents, start
    if raw[-1:] != b"\n":
        raise _FastCheckFailed("torn tail")
    try:
        lines, ends = _read_lines(raw, reader, path)
    except _read_errors() as exc:  # any parse error: let the checked reader name the line
        raise _FastCheckFailed(str(exc)) from None
    n = lines.height
    if reader not in _COMPILED and n != json_scan.count_lines(
            np.frombuffer(raw, np.uint8), 0, len(raw)):  # the scanner reads line by line
        raise _FastCheckFailed("line count")
    ok = lines.select(
        seq=(pl.col("seq") == pl.int_range(start.seq + 1, start.seq + 1 + n)).all(),
        schema=(pl.col("schema") == SCHEMA_VERSION).all(),
        types=pl.col("type").is_in(_KNOWN_TYPES).all(),
    ).row(0)
    if not all(v is True for v in ok) or ends.first_link != start.hash:
        raise _FastCheckFailed(f"checks {ok}, first link {ends.first_link}")
    last = raw[raw.rfind(b"\n", 0, len(raw) - 1) + 1 : -1]
    try:
        head_event = decode_line(last.decode("utf-8"), start.seq + n)
    except (TadmurError, UnicodeDecodeError):
        raise _FastCheckFailed("head line") from None
    if head_event.hash != ends.last_key:
        raise _FastCheckFailed("head hash")
    new_documents = lines.select(  # the two fields first: a filter copies what it keeps
        "type",
        doc_id=pl.col("data").struct.field("doc_id"),
        published_date=pl.col("data").struct.field("published"),
    ).filter(pl.col("type") == "DocumentRegistered").drop("type")
    documents = pl.concat([documents, new_documents])
    return _claim_events(lines, documents), documents, LogHead(head_event.seq, head_event.hash)


def _read_lines(raw, reader: Reader, path: Path | None) -> tuple[pl.DataFrame, ChainEnds]:
    """The lines as a frame of :data:`LINE_SCHEMA`, by the reader asked for, and the ends
    of their hash chain (each ``prev_hash`` the ``hash`` before it, or _FastCheckFailed)."""
    if reader in _COMPILED:
        lines, ends = read_chained_lines(raw, LINE_SCHEMA, "prev_hash", "hash", CORRECTED)
        assert ends is not None  # there are lines
        return lines, ends
    data = LINE_SCHEMA["data"]
    as_text = _dates_as_strings(pl.Schema({
        **LINE_SCHEMA, "data": pl.Struct({**data.to_schema(), "corrected": pl.Struct(_ASSERTION)}),
        "prev_hash": _S, "hash": _S}))
    if _use_duckdb(reader) and path is not None:
        lines = _read_duckdb(path, as_text)
    else:
        lines = pl.read_ndjson(io.BytesIO(raw), schema=as_text)
    linked = lines.select(
        links=(pl.col("prev_hash").shift(-1) == pl.col("hash")).head(lines.height - 1)
        .all(ignore_nulls=False),
        complete=pl.col("prev_hash").is_not_null().all() & pl.col("hash").is_not_null().all(),
    ).row(0)
    if not all(linked):
        raise _FastCheckFailed("links")
    ends = ChainEnds(lines["prev_hash"][0], lines["hash"][-1])
    corrected = pl.col("type") == "ClaimCorrected"
    fields = pl.col("data").struct
    return lines.select(
        "seq", "type", "schema",
        data=pl.struct(
            *(pl.when(corrected).then(fields.field("corrected").struct.field(name))
              .otherwise(fields.field(name)).alias(name) if name in _ASSERTION
              else fields.field(name) for name in data.to_schema()))
    ).with_columns(pl.col("data").struct.with_fields(
        pl.field(name).str.to_date("%Y-%m-%d") for name in ("published", *_DATES))), ends


def _dates_as_strings(schema: pl.Schema) -> pl.Schema:
    """``schema`` with its dates as strings: what a general JSON reader is asked for."""
    def text(dtype: pl.DataType) -> pl.DataType:
        if isinstance(dtype, pl.Struct):
            return pl.Struct({f.name: text(f.dtype) for f in dtype.fields})
        return pl.String() if dtype == pl.Date else dtype
    return pl.Schema({name: text(dtype) for name, dtype in schema.items()})


def _read_errors() -> tuple[type[Exception], ...]:
    errors: tuple[type[Exception], ...] = (pl.exceptions.PolarsError, OSError, ValueError,
                                           JsonLinesError)
    try:
        import duckdb
    except ImportError:
        return errors
    return (*errors, duckdb.Error)


def _use_duckdb(reader: Reader) -> bool:
    if reader != "duckdb":
        return False
    try:
        import duckdb  # noqa: F401
    except ImportError:
        raise TadmurError("reader='duckdb' needs the duckdb package", where="load",
                          hint="pip install duckdb, or use reader='compiled'") from None
    return True


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Struct):
        return "STRUCT(" + ", ".join(f'"{f.name}" {_duckdb_type(f.dtype)}'
                                     for f in dtype.fields) + ")"
    return {pl.String: "VARCHAR", pl.Int64: "BIGINT", pl.Float64: "DOUBLE",
            pl.Boolean: "BOOLEAN"}[dtype.base_type()]


def _read_duckdb(path: Path, schema: pl.Schema) -> pl.DataFrame:
    import duckdb

    columns = ", ".join(f"'{name}': '{_duckdb_type(dtype)}'" for name, dtype in schema.items())
    with duckdb.connect() as connection:
        query = ("select * from read_json(?, format='newline_delimited', columns={"
                 + columns + "}, maximum_object_size=134217728)")
        # the Arrow C stream interface: no pyarrow needed
        frame = pl.DataFrame(connection.sql(query, params=[str(path)]))
    return frame.cast(dict(schema))


def _claim_events(lines: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    data = pl.col("data")
    recorded = pl.col("type") == "ClaimRecorded"
    evidence = data.struct.field("evidence")
    frame = lines.filter(pl.col("type").is_in(list(_ACTIONS))).select(
        "seq",
        event=pl.col("type").replace_strict(_ACTIONS, return_dtype=pl.String),
        claim_id=data.struct.field("claim_id"),
        doc_id=pl.when(recorded).then(data.struct.field("doc_id")),
        **{name: data.struct.field(name) for name in CORRECTABLE_FIELDS},
        extractor=pl.when(recorded).then(data.struct.field("extractor")),
        evidence_text=pl.when(recorded).then(evidence.struct.field("text")),
        evidence_start=pl.when(recorded).then(evidence.struct.field("start")),
        evidence_end=pl.when(recorded).then(evidence.struct.field("end")),
        verdict=data.struct.field("verdict"),
    ).with_columns(
        published_date=pl.col("doc_id").replace_strict(
            documents["doc_id"], documents["published_date"], default=None,
            return_dtype=pl.Date),
    )
    return enforce_schema(frame, CLAIM_EVENTS, "claim_events")


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
    with open(root / LOG_FILE, "rb") as handle:
        handle.seek(cached_size)
        tail = handle.read(stat.st_size - cached_size)
    new_events, documents, new_head = _parse(tail, head, documents)
    events = pl.concat([events, new_events])
    written = _write_cache(root, events, documents, new_head, stat, "links")
    return LoadedLog(events, new_head, "cache+tail", snapshot=written)


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
        # to read than lz4)
        write_atomically(folder / events_file, lambda p: events.write_parquet(
            p, compression="uncompressed", statistics=False))
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
