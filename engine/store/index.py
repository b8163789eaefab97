"""The append index: what an append must know of the log, kept beside it so an append
reads the head (the last line) and this index, not the whole log.

An append needs the last line (its seq, hash and append time), the set of event ids
(a retried event is not written twice), the registered documents (a claim quotes one;
the same text is not registered twice) and the recorded claim ids (a review names one).
The index keeps these in ``<root>/.cache/append-index.sqlite`` (stdlib ``sqlite3``), with
the :class:`Mark` of the log prefix it covers: the byte size and the seq and hash of the
line that ends there. Before it is used the mark is checked against the log (the line
ending at that size is decoded in full and must have that seq and hash); lines after the
mark are indexed (each decoded in full, chained from the mark); a mark that does not hold
(the log was replaced or rewritten) or an index that cannot be read means a rebuild from
the log. The index is updated after the log is fsynced, so it never covers more than the
log; it is a cache, never the source of truth: delete it at will.

What the index does not do: re-check the lines before its mark (``tadmur verify`` and
every full read do).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.domain.events import ClaimRecorded, DocumentRegistered, Event

CACHE_DIR = ".cache"
INDEX_FILE = "append-index.sqlite"
#: Bump when the tables change: an index of another format is rebuilt.
INDEX_FORMAT = 1


@dataclass(frozen=True)
class Mark:
    """The log prefix a derived file covers: ``size`` bytes, ending on the line with
    ``seq`` and ``hash`` (size 0, seq 0 and the genesis hash for an empty log)."""

    size: int
    seq: int
    hash: str


@dataclass(frozen=True)
class IndexRow:
    """What the index keeps of one logged event."""

    seq: int
    event_id: str
    event: Event


class AppendIndex:
    """An open index (use :func:`open_index`); lookups are O(log n) on disk."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self._db = connection
        self.path = path

    def close(self) -> None:
        self._db.close()

    def mark(self) -> Mark | None:
        row = self._db.execute("select size, seq, hash from mark").fetchone()
        return Mark(*row) if row else None

    def seq_of(self, event_id: str) -> int | None:
        row = self._db.execute("select seq from ids where event_id = ?", (event_id,)).fetchone()
        return row[0] if row else None

    def document(self, doc_id: str) -> DocumentRegistered | None:
        row = self._db.execute("select data from docs where doc_id = ?", (doc_id,)).fetchone()
        return DocumentRegistered(**json.loads(row[0])) if row else None

    def document_with_text(self, sha256: str) -> tuple[str, int] | None:
        """(doc_id, seq) of the first registration of the text with this sha256."""
        return self._db.execute("select doc_id, seq from docs where sha256 = ? order by seq "
                                "limit 1", (sha256,)).fetchone()

    def has_claim(self, claim_id: str) -> bool:
        return self._db.execute("select 1 from claims where claim_id = ?",
                                (claim_id,)).fetchone() is not None

    def add(self, rows: Iterable[IndexRow], mark: Mark, *, reset: bool = False) -> None:
        """Index ``rows`` and move the mark to ``mark``, in one transaction."""
        ids, docs, claims = [], [], []
        for row in rows:
            ids.append((row.event_id, row.seq))
            event = row.event
            if isinstance(event, DocumentRegistered):
                docs.append(document_row(event.data(), row.seq))
            elif isinstance(event, ClaimRecorded):
                claims.append((event.claim_id, row.seq))
        self.add_tuples(ids, docs, claims, mark, reset=reset)

    def add_tuples(self, ids: list, docs: list, claims: list, mark: Mark, *,
                   reset: bool = False) -> None:
        """Index (event_id, seq), :func:`document_row` and (claim_id, seq) tuples and move
        the mark, in one transaction."""
        if reset:
            # keys in order: a B-tree filled in order is several times faster to build
            ids, claims = sorted(ids), sorted(claims)
            self._db.execute("pragma cache_size = -65536")
        with self._db:
            if reset:
                for table in ("ids", "docs", "claims", "mark"):
                    self._db.execute(f"delete from {table}")
            self._db.executemany("insert or ignore into ids values (?, ?)", ids)
            self._db.executemany("insert or ignore into docs values (?, ?, ?, ?)", docs)
            self._db.executemany("insert or ignore into claims values (?, ?)", claims)
            self._db.execute("delete from mark")
            self._db.execute("insert into mark values (?, ?, ?)",
                             (mark.size, mark.seq, mark.hash))


def document_row(data: dict, seq: int) -> tuple[str, str, int, str]:
    """The docs row of a DocumentRegistered payload."""
    return (data["doc_id"], data["sha256"], seq, json.dumps(data, ensure_ascii=False))


def index_path(root: Path) -> Path:
    return Path(root) / CACHE_DIR / INDEX_FILE


def open_index(root: Path) -> AppendIndex | None:
    """The index of the log at ``root`` (created empty if missing, recreated if it is of
    another format or unreadable); None where it cannot be kept (a read-only folder):
    the caller then reads the log."""
    path = index_path(root)
    for attempt in range(2):
        try:
            path.parent.mkdir(exist_ok=True)
            _ignore_in_git(path.parent)
            db = sqlite3.connect(path, isolation_level="DEFERRED")
            try:
                version = db.execute("pragma user_version").fetchone()[0]
                if version != INDEX_FORMAT:
                    _create(db)
                db.execute("select size, seq, hash from mark").fetchall()
                return AppendIndex(db, path)
            except sqlite3.Error:
                db.close()
                raise
        except (sqlite3.Error, OSError):
            if attempt:
                return None
            try:
                path.unlink(missing_ok=True)  # unreadable: a cache, so start it again
            except OSError:
                return None
    return None


def _create(db: sqlite3.Connection) -> None:
    with db:
        for table in ("ids", "docs", "claims", "mark"):
            db.execute(f"drop table if exists {table}")
        db.execute("create table ids (event_id text primary key, seq integer) without rowid")
        db.execute("create table docs (doc_id text primary key, sha256 text, seq integer, "
                   "data text)")
        db.execute("create index docs_by_text on docs (sha256)")
        db.execute("create table claims (claim_id text primary key, seq integer) without rowid")
        db.execute("create table mark (size integer, seq integer, hash text)")
        db.execute(f"pragma user_version = {INDEX_FORMAT}")


def _ignore_in_git(folder: Path) -> None:
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# a rebuildable cache of the log, never committed\n*\n",
                          encoding="utf-8")
