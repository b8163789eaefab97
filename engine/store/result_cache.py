"""The replay's answers, kept under ``<log>/.cache/results/`` and bound by digests.

A warm ``tadmur timeline`` on an unchanged log asks the question it asked last time. The
answer (the ``intervals`` and ``swings`` tables) is kept as Arrow IPC under a key that
names everything it depends on, so it can never change an answer:

- the events: the head and the sha256 of the events file of the snapshot that a
  ``"full"`` read would serve now (:func:`engine.store.read.snapshot_of_these_bytes`:
  the same file with the same size and times, its last line decoded again and equal to
  the head). An append, an edit or another file is another key, or no key at all;
- the policy, every field of it (:func:`canonical_policy`);
- the code that computes the answer: the sha256 of the source bytes of
  ``engine/domain/*.py``, the snapshot format, this module's format, and polars' version;
- the schema of each table.

Each entry is a key file (``<digest>.json``: the key in full, and the sha256 of each
table file) and one Arrow IPC file a table. A read takes an entry only if the key it
holds is the key asked for, each table's bytes hash to their digest and the table has
its schema; anything else (a missing, cut, swapped, foreign or unreadable file) is a
miss: the caller replays and writes the entry again. Never an error, never a stale
answer. Files are written to a temporary name, then renamed, the key file last. The
newest :data:`KEEP` entries (by the key file's mtime, refreshed on each hit) are kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import polars as pl

from engine.store.head import LogHead
from engine.store.read import (
    SNAPSHOT_FORMAT,
    cache_dir,
    snapshot_of_these_bytes,
    write_atomically,
)

#: Bump when the entries' files or key change: entries of another format are never read.
RESULT_FORMAT = 1
RESULTS_DIR = "results"
#: how many answers (log x policy) are kept; the least recently used go first
KEEP = 16
#: table files older than this with no key file naming them are a crashed write's
_ORPHAN_SECONDS = 60


@dataclass(frozen=True)
class ResultKey:
    """What a kept answer is bound to (see the module docstring)."""

    head: LogHead
    #: the key, canonical JSON
    text: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def result_key(
    root: Path | str, policy: object, schemas: Mapping[str, pl.Schema]
) -> ResultKey | None:
    """The key of the answer to ``policy`` over the log at ``root`` as it is now, or None
    (no snapshot of these very bytes, or a policy field this module cannot write down).

    Args:
        root: the log folder.
        policy: a :class:`engine.domain.Policy`.
        schemas: table name -> the schema it must have (``intervals``, ``swings``).
    """
    snapshot = snapshot_of_these_bytes(root)
    if snapshot is None:
        return None
    head, events_digest = snapshot
    try:
        described = canonical_policy(policy)
    except TypeError:
        return None
    key = {
        "format": RESULT_FORMAT,
        "snapshot_format": SNAPSHOT_FORMAT,
        "head": [head.seq, head.hash],
        "events": events_digest,
        "policy": described,
        "code": code_digest(),
        "polars": pl.__version__,
        "schemas": {
            name: [[c, str(t)] for c, t in schema.items()]
            for name, schema in sorted(schemas.items())
        },
    }
    return ResultKey(head, json.dumps(key, sort_keys=True, ensure_ascii=True))


def canonical_policy(policy: object) -> dict:
    """Every field of a policy dataclass, written so that equal policies read the same
    (sets sorted, mappings as sorted pairs, each value tagged with its type).

    >>> from engine.domain import Policy
    >>> canonical_policy(Policy(distrust=frozenset({"sana", "amaq"})))["distrust"]
    ['frozenset', [['str', 'amaq'], ['str', 'sana']]]

    Raises:
        TypeError: a field of a type this function does not know (then nothing is cached).
    """
    return {f.name: _canonical(getattr(policy, f.name)) for f in fields(policy)}  # type: ignore[arg-type]


def _canonical(value: object) -> object:
    if value is None or isinstance(value, bool | str):
        return [type(value).__name__, value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, float):
        return ["float", value.hex()]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return ["date", value.isoformat()]
    if isinstance(value, frozenset | set):
        return ["frozenset", sorted((_canonical(v) for v in value), key=json.dumps)]
    if isinstance(value, Mapping):
        return [
            "mapping",
            sorted(([_canonical(k), _canonical(v)] for k, v in value.items()), key=json.dumps),
        ]
    raise TypeError(f"no canonical form for {type(value).__name__}")


@functools.cache
def code_digest() -> str:
    """sha256 of the replay's source: every ``engine/domain/*.py``, by name and bytes."""
    import engine.domain

    digest = hashlib.sha256()
    for path in sorted(Path(engine.domain.__file__).parent.glob("*.py")):
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def results_dir(root: Path | str) -> Path:
    """Where the answers of the log at ``root`` are kept (beside its snapshot)."""
    return cache_dir(root) / RESULTS_DIR


def read_result(
    root: Path | str, key: ResultKey, schemas: Mapping[str, pl.Schema]
) -> KeptAnswer | None:
    """The entry kept for ``key`` if its key file holds this very key and names a digest
    for each table of ``schemas`` (None: no entry, or any doubt); its tables are read and
    checked when asked for (:meth:`KeptAnswer.table`)."""
    folder = results_dir(root)
    try:
        entry = json.loads((folder / f"{key.digest}.json").read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or entry.get("key") != key.text:
            return None  # another key's entry under this name: never served
        digests = entry["files"]
        if not isinstance(digests, dict) or set(digests) != set(schemas):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.utime(folder / f"{key.digest}.json")  # recently used: kept longest
    except OSError:
        pass  # a read-only folder: the answer still stands
    return KeptAnswer(folder, key.digest, dict(digests), dict(schemas))


@dataclass(frozen=True)
class KeptAnswer:
    """An entry whose key file holds the key asked for."""

    folder: Path
    name: str
    digests: dict[str, str]
    schemas: dict[str, pl.Schema]

    def table(self, table: str) -> pl.DataFrame | None:
        """The table if its bytes hash to their digest and it has its schema (None: cut,
        swapped, foreign, missing or unreadable)."""
        try:
            data = (self.folder / f"{self.name}.{table}.arrow").read_bytes()
            if hashlib.sha256(data).hexdigest() != self.digests[table]:
                return None
            frame = pl.read_ipc(io.BytesIO(data))
        except (OSError, KeyError, pl.exceptions.PolarsError):
            return None
        return frame if frame.schema == self.schemas[table] else None


def write_result(root: Path | str, key: ResultKey, tables: Mapping[str, pl.DataFrame]) -> bool:
    """Keep ``tables`` for ``key`` (each file atomically, the key file last), then drop
    the least recently used entries past :data:`KEEP`. False if it could not be written
    (a read-only folder, a full disk): the next run replays, same answer."""
    folder = results_dir(root)
    name = key.digest
    try:
        folder.mkdir(parents=True, exist_ok=True)
        digests = {}
        for table, frame in tables.items():
            buffer = io.BytesIO()
            frame.write_ipc(buffer, compression="uncompressed")
            data = buffer.getvalue()
            digests[table] = hashlib.sha256(data).hexdigest()
            write_atomically(
                folder / f"{name}.{table}.arrow", lambda p, data=data: Path(p).write_bytes(data)
            )
        entry = json.dumps({"key": key.text, "files": digests})
        write_atomically(
            folder / f"{name}.json", lambda p: Path(p).write_text(entry, encoding="utf-8")
        )
    except (OSError, pl.exceptions.PolarsError):
        return False
    _evict(folder)
    return True


def _evict(folder: Path) -> None:
    """Keep the :data:`KEEP` most recently used entries; drop the rest, and table files
    no key file names (a crashed write's) once they are old enough not to be a live one."""
    try:
        entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        kept = {p.stem for p in entries[:KEEP]}
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
        now = time.time()
        for table in folder.glob("*.arrow"):
            stem = table.name.split(".", 1)[0]
            if stem not in kept and (
                stem in {p.stem for p in entries[KEEP:]}
                or now - table.stat().st_mtime > _ORPHAN_SECONDS
            ):
                table.unlink(missing_ok=True)
    except OSError:
        pass  # another process evicting at the same time: what is left is never misread
