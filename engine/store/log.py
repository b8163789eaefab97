"""The append-only event log on disk: ``<root>/log.jsonl`` plus the source texts.

Writers take an exclusive ``flock`` on ``<root>/log.lock`` (:mod:`engine.store.lock`),
check the batch against the head (the last line) and the append index
(:mod:`engine.store.index`), write it with one ``O_APPEND`` write and ``fsync``. Readers
take a shared lock, so they never see a half-written batch of a live writer.

A batch is all or nothing, even if the writer dies mid-write (a write may land in
pieces): before writing, the writer notes in ``log.lock`` (fsynced) the bytes the batch
covers: the offset, the length, the hash of the line before it, the sha256 of the batch,
the hash of its first line and the log file's identity; the note is cleared once the
batch is fsynced. The next reader or writer that finds a note left behind checks that it
fits the file (same file, same line before the offset, and at the offset either a torn
line or the batch's own first line): then the partial batch is moved aside into
``<root>/torn/``, whole lines included, and reported. A note that does not fit (a stale
note, a log replaced by ``git pull``) is cleared and nothing is moved.

A writer of this version never leaves a bad last line without its note, so a last line
that cannot be read and has no note is damage: it is refused, as ``tadmur verify`` does
(``tadmur repair`` moves a torn-looking one aside on request). A whole, chain-valid last
line that only lacks its newline is completed, never removed. Anything else that is wrong,
anywhere, is fatal and names the line: a whole line is never dropped.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from engine.domain.errors import InvalidEvent, LogCorrupted, TadmurError
from engine.domain.events import ClaimRecorded, DocumentRegistered, Event
from engine.store.codec import GENESIS_HASH, LoggedEvent, decode_line, encode_line, looks_whole
from engine.store.head import LogHead
from engine.store.index import AppendIndex, IndexRow, Mark, open_index
from engine.store.lock import LOCK_FILE, clear_slot, locked, read_slot, write_slot
from engine.store.references import References

LOG_FILE = "log.jsonl"
TORN_DIR = "torn"


@dataclass(frozen=True)
class TornTailRepair:
    """Bytes moved aside from the end of the log (or a last line completed)."""

    line_no: int
    offset: int
    n_bytes: int
    kept_at: Path | None
    what: str = "torn last line"
    #: how we know nothing acknowledged went: said only where it is proven
    proof: str = ("an interrupted append left it (its note in log.lock names these bytes); "
                  "nothing acknowledged was lost")

    def describe(self) -> str:
        if self.kept_at is None:
            return f"{self.what} {self.line_no} ({self.n_bytes} bytes at offset {self.offset}); {self.proof}"
        return (f"{self.what} {self.line_no} ({self.n_bytes} bytes at offset {self.offset}) "
                f"moved aside to {self.kept_at}; {self.proof}")


@dataclass(frozen=True)
class PendingAppend:
    """The note a writer leaves in ``log.lock`` while its batch is not yet fsynced,
    bound to the bytes it covers (see the module docstring)."""

    offset: int
    length: int
    prev_hash: str
    payload_sha256: str
    first_hash: str
    device: int
    inode: int

    def encode(self) -> bytes:
        return json.dumps({"appending": {
            "offset": self.offset, "length": self.length, "prev_hash": self.prev_hash,
            "payload_sha256": self.payload_sha256, "first_hash": self.first_hash,
            "device": self.device, "inode": self.inode}}, separators=(",", ":")).encode()

    @staticmethod
    def for_batch(path: Path, offset: int, prev_hash: str, payload: bytes) -> PendingAppend:
        """The note for writing ``payload`` at ``offset`` of the (existing) log ``path``."""
        first = json.loads(payload[: payload.index(b"\n")])["hash"]
        stat = os.stat(path)
        return PendingAppend(offset, len(payload), prev_hash,
                             hashlib.sha256(payload).hexdigest(), first, stat.st_dev,
                             stat.st_ino)

    @staticmethod
    def decode(raw: bytes) -> PendingAppend | None:
        """The note, or None if there is none, a torn one (then nothing was written) or
        one that names no bytes (an unbound note proves nothing, so it is ignored)."""
        try:
            note = json.loads(raw)["appending"]
            values = [note[k] for k in ("offset", "length", "prev_hash", "payload_sha256",
                                        "first_hash", "device", "inode")]
        except (ValueError, TypeError, KeyError):
            return None
        numbers, hashes = values[:2] + values[5:], values[2:5]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in numbers):
            return None
        if not all(isinstance(h, str) and _HEX64.fullmatch(h) for h in hashes):
            return None
        return PendingAppend(*values)


_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass
class _State:
    """What has been read of the file so far (the file only ever grows)."""

    size: int = 0
    events: list[LoggedEvent] = field(default_factory=list)
    refs: References = field(default_factory=References)

    @property
    def head(self) -> LogHead:
        if not self.events:
            return LogHead(0, GENESIS_HASH)
        last = self.events[-1]
        return LogHead(last.seq, last.hash)


@dataclass
class _Base:
    """What an append starts from: the size, the last line and the references."""

    size: int
    last: LoggedEvent | None
    refs: References
    index: AppendIndex | None = None

    @property
    def head(self) -> LogHead:
        return LogHead(self.last.seq, self.last.hash) if self.last else LogHead(0, GENESIS_HASH)


class EventLog:
    """An append-only log rooted at a directory (the project's ``events/``).

    Example:
        >>> import tempfile
        >>> from engine.domain.events import ClaimRetracted
        >>> log = EventLog(Path(tempfile.mkdtemp()))
        >>> log.head()
        LogHead(seq=0, hash='0000000000000000000000000000000000000000000000000000000000000000')
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / LOG_FILE
        self.repairs: list[TornTailRepair] = []
        #: the seqs the last :meth:`append` really wrote (a retried event is not rewritten)
        self.appended: list[int] = []
        self._state = _State()

    # -- reading ---------------------------------------------------------------------

    def events(self) -> list[LoggedEvent]:
        """Every event in log order, validated (an interrupted append is undone and
        reported; a last line lacking only its newline is completed)."""
        return list(self._load().events)

    def head(self) -> LogHead:
        """The last seq and hash: the last line, decoded in full (the lines before it are
        checked by :meth:`events` and ``tadmur verify``, not here)."""
        with self._locked(exclusive=False) as lock:
            if PendingAppend.decode(read_slot(lock)) is None:
                size = _size(self.path)
                if size == self._state.size:
                    return self._state.head
                last = _last_line(self.path, size)
                if last is not None:
                    return LogHead(last.seq, last.hash)
        return self._load().head

    def source_text(self, doc_id: str) -> str:
        """The registered text of a document, checked against its sha256."""
        return self._load().refs.source_text(self.root, doc_id)

    def document(self, doc_id: str) -> DocumentRegistered | None:
        """The registration of ``doc_id`` in the log, if any (through the append index:
        the log is not read)."""
        if not self.path.exists():
            return None
        with self._locked(exclusive=True) as lock:
            note = PendingAppend.decode(read_slot(lock))
            if note is not None:
                self._finish_interrupted_append(note, lock)
            base = self._base_locked(lock)
            try:
                return base.refs.document(doc_id)
            finally:
                if base.index is not None:
                    base.index.close()

    def repair(self) -> list[TornTailRepair]:
        """Undo an interrupted append, complete a last line that lacks only its newline,
        and, asked explicitly, move aside a torn-looking last line that no note explains
        (an older Tadmur, or damage: it is kept under ``torn/``). Returns what was done."""
        with self._locked(exclusive=True) as lock:
            self._state = _State()
            self._refresh_locked(repair=True, lock=lock, force=True)
        return list(self.repairs)

    # -- writing ---------------------------------------------------------------------

    def append(self, events: Sequence[Event]) -> list[int]:
        """Append a batch atomically; returns the seq of each event.

        An event already in the log (same ``event_id``) is not written again: its
        existing seq is returned, so retrying an append is always safe
        (:attr:`appended` lists the seqs really written).
        """
        self.root.mkdir(parents=True, exist_ok=True)
        self.appended = []
        with self._locked(exclusive=True) as lock:
            note = PendingAppend.decode(read_slot(lock))
            if note is not None:
                self._finish_interrupted_append(note, lock)
            base = self._base_locked(lock)
            try:
                refs = base.refs.copy()
                seqs: list[int] = []
                pending: list[tuple[Event, int]] = []
                next_seq = base.head.seq + 1
                for event in events:
                    known = refs.seq_of(_event_id(event))
                    if known is not None:
                        seqs.append(known)
                        continue
                    event.validate()
                    refs.check_new(event, self.root)
                    refs.add(event, next_seq)
                    pending.append((event, next_seq))
                    seqs.append(next_seq)
                    next_seq += 1
                if pending:
                    new = self._write_locked(base, pending, lock)
                    self.appended = [e.seq for e in new]
                    if base.index is not None:
                        _index_quietly(base.index, new, base.size + sum(
                            len(line) for line in self._last_payload_lines))
                    elif self._state.size == base.size:
                        self._state.refs = refs
                        self._state.events.extend(new)
                        self._state.size += sum(len(line) for line in self._last_payload_lines)
                return seqs
            finally:
                if base.index is not None:
                    base.index.close()

    def _base_locked(self, lock) -> _Base:
        """The head and references an append needs: from what this object has read if
        that is the whole file, else from the append index (reading only the last line
        and what the index has not seen), else from a full read."""
        size = _size(self.path)
        if size == self._state.size:
            state = self._state
            return _Base(state.size, state.events[-1] if state.events else None, state.refs)
        last = _last_line(self.path, size) if size else None
        if size == 0 or last is not None:
            index = open_index(self.root)
            if index is not None:
                try:
                    if _catch_up(self.path, index, size, last):
                        return _Base(size, last, References(base=index), index)
                except TadmurError:
                    index.close()
                    raise
                index.close()
        state = self._refresh_locked(repair=True, lock=lock)
        return _Base(state.size, state.events[-1] if state.events else None, state.refs)

    def _write_locked(self, base: _Base, pending: list[tuple[Event, int]], lock
                      ) -> list[LoggedEvent]:
        stamp = _now_utc(base.last.recorded_at if base.last else None)
        prev = base.head.hash
        chunks, new = [], []
        for event, seq in pending:
            line, digest = encode_line(seq, event, stamp, prev)
            chunks.append(line.encode("utf-8"))
            new.append(LoggedEvent(seq, event.event_id, stamp, prev, digest, event))
            prev = digest
        self._last_payload_lines = chunks
        payload = b"".join(chunks)
        written = 0
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise _append_failed(exc, pending, written, payload, self.path) from exc
        try:
            try:
                write_slot(lock, PendingAppend.for_batch(self.path, base.size, base.head.hash,
                                                         payload).encode())
            except OSError as exc:
                raise _append_failed(exc, pending, written, payload, self.path) from exc
            try:
                while written < len(payload):
                    written += os.write(fd, payload[written:])
                os.fsync(fd)
            except OSError as exc:
                # Leave the log exactly as it was: cut what part of the batch reached the file.
                os.ftruncate(fd, base.size)
                os.fsync(fd)
                clear_slot(lock)
                raise _append_failed(exc, pending, written, payload, self.path) from exc
        finally:
            os.close(fd)
        clear_slot(lock)  # no fsync needed: a note on a batch that is whole is cleared
        return new

    # -- locking and loading -----------------------------------------------------------

    def _locked(self, exclusive: bool):
        try:
            return _checked_lock(self.root, exclusive)
        except OSError as exc:
            raise _lock_failed(exc, self.root) from None

    def _load(self) -> _State:
        with self._locked(exclusive=False) as lock:
            try:
                return self._refresh_locked(repair=False, lock=lock)
            except _NeedsRepair:
                pass
        with self._locked(exclusive=True) as lock:
            return self._refresh_locked(repair=True, lock=lock)

    def _refresh_locked(self, repair: bool, lock=None, force: bool = False) -> _State:
        """Read what was appended since the last look (or everything if the file shrank)."""
        note = PendingAppend.decode(read_slot(lock))
        if note is not None:
            if not repair:
                raise _NeedsRepair()
            self._finish_interrupted_append(note, lock)
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            self._state = _State()
            return self._state
        if size < self._state.size:
            self._state = _State()
        if size == self._state.size:
            return self._state
        with open(self.path, "rb") as handle:
            handle.seek(self._state.size)
            chunk = handle.read(size - self._state.size)
        self._scan(chunk, repair, force)
        return self._state

    def _scan(self, chunk: bytes, repair: bool, force: bool = False) -> None:
        state = self._state
        base_offset, offset = state.size, 0
        line_no = len(state.events)
        refs = state.refs
        while offset < len(chunk):
            end = chunk.find(b"\n", offset)
            raw = chunk[offset:] if end == -1 else chunk[offset:end]
            line_no += 1
            try:
                logged = decode_line(raw.decode("utf-8"), line_no)
            except (LogCorrupted, InvalidEvent, UnicodeDecodeError) as exc:
                # only now look at what follows (doing it per line would make reads quadratic)
                is_last = end == -1 or not chunk[end + 1 :].strip(b"\x00\n\r\t ")
                if not is_last:
                    raise _mid_file_damage(exc, line_no, state.head.seq + 1) from None
                if looks_whole(raw):
                    # a whole line was written and is wrong: never drop it automatically
                    raise _last_line_damage(exc, line_no, state.head.seq + 1) from None
                if not (force and end == -1):
                    raise _unexplained_last_line(exc, raw, line_no, end == -1) from None
                self._move_aside(base_offset + offset, line_no, chunk[offset:],
                                 proof="moved aside on request (`tadmur repair`), with no "
                                 "note to prove it was never acknowledged: if it was, restore "
                                 "the log from git")
                return
            _check_chain(logged, state.head, line_no)
            if end == -1:  # whole and chained: only the newline is missing
                if not repair:
                    raise _NeedsRepair()
                self._complete(base_offset + len(chunk), line_no, len(raw))
            refs.add(logged.event, logged.seq)
            state.events.append(logged)
            offset = len(chunk) if end == -1 else end + 1
            state.size = base_offset + offset

    def _complete(self, size: int, line_no: int, n_bytes: int) -> None:
        """Give a whole, chain-valid last line the newline it lacks."""
        with open(self.path, "r+b") as handle:
            handle.seek(size)
            handle.write(b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.repairs.append(TornTailRepair(
            line_no, size - n_bytes, n_bytes, None, "completed last line",
            "it was whole and linked to the line before, and lacked only its newline; "
            "nothing was removed"))

    def _finish_interrupted_append(self, note: PendingAppend, lock) -> None:
        """A writer died mid-batch: keep its batch only if all of it reached the file, and
        move aside only bytes the note proves to be that batch's."""
        partial = _partial_batch(self.path, note)
        if partial is not None:
            if self._state.size > note.offset:
                self._state = _State()  # we read part of the batch: read again from the start
            line_no = _count_lines(self.path, note.offset) + 1
            self._move_aside(note.offset, line_no, partial, what="partial batch from line")
        clear_slot(lock)

    def _move_aside(self, offset: int, line_no: int, torn: bytes,
                    what: str = "torn last line", proof: str | None = None) -> None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        kept = self.root / TORN_DIR / f"{LOG_FILE}.{stamp}.line{line_no}.torn"
        kept.parent.mkdir(exist_ok=True)
        with open(kept, "wb") as handle:
            handle.write(torn)
            handle.flush()
            os.fsync(handle.fileno())
        with open(self.path, "r+b") as handle:
            handle.truncate(offset)
            os.fsync(handle.fileno())
        self._state.size = min(self._state.size, offset)
        repair = TornTailRepair(line_no, offset, len(torn), kept, what)
        self.repairs.append(repair if proof is None else
                            TornTailRepair(line_no, offset, len(torn), kept, what, proof))


class _NeedsRepair(Exception):
    """A reader under a shared lock found work for a writer: retry with the exclusive lock."""


def _checked_lock(root: Path, exclusive: bool):
    return locked(root, exclusive)


def _lock_failed(exc: OSError, root: Path) -> TadmurError:
    path = Path(root) / LOCK_FILE
    what = "is a folder" if isinstance(exc, IsADirectoryError) else (
        os.strerror(exc.errno) if exc.errno else str(exc))
    return TadmurError(f"cannot lock the log: {path} {what}" if "folder" in what
                       else f"cannot lock the log ({what})", where=str(path),
                       hint="log.lock must be a plain file the user can write; remove a folder "
                       "of that name, check permissions")


def read_pending(lock: int | None) -> PendingAppend | None:
    """The note of an append in progress, read through the held lock (None if none)."""
    return PendingAppend.decode(read_slot(lock))


def _partial_batch(path: Path, note: PendingAppend) -> bytes | None:
    """The bytes from the note's offset if they are the note's batch, cut short; None if
    the batch is whole, nothing of it reached the file, or the note does not fit the file
    (another file, another line before the offset, another line at the offset)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    size = stat.st_size
    if (stat.st_dev, stat.st_ino) != (note.device, note.inode) or size <= note.offset:
        return None
    with open(path, "rb") as handle:
        if size >= note.offset + note.length:
            handle.seek(note.offset)
            if hashlib.sha256(handle.read(note.length)).hexdigest() == note.payload_sha256:
                return None  # the whole batch reached the file: it stays
        before = _line_before(handle, note.offset)
        handle.seek(note.offset)
        rest = handle.read()
    if note.offset == 0:
        if note.prev_hash != GENESIS_HASH:
            return None
    elif before is None or _hash_field(before) != note.prev_hash:
        return None
    if size >= note.offset + note.length:
        return None  # not the batch's bytes: leave them to the reader's checks
    newline = rest.find(b"\n")
    if newline != -1 and _hash_field(rest[:newline]) != note.first_hash:
        return None  # a whole line that is not the batch's first: never moved aside
    return rest


def _hash_field(line: bytes) -> str | None:
    """The ``hash`` of a whole log line (the last field; None if it has none)."""
    match = re.search(rb'"hash":"([0-9a-f]{64})"}$', line)
    return match.group(1).decode() if match else None


def _line_before(handle, offset: int) -> bytes | None:
    """The line that ends at ``offset`` (without its newline), or None."""
    if offset == 0:
        return None
    back = min(offset, 1 << 16)
    while True:
        handle.seek(offset - back)
        block = handle.read(back)
        if not block.endswith(b"\n"):
            return None
        start = block.rfind(b"\n", 0, len(block) - 1)
        if start != -1 or back == offset:
            return block[start + 1 : -1]
        if back >= 1 << 28:
            return None
        back = min(offset, back * 4)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _last_line(path: Path, size: int) -> LoggedEvent | None:
    """The last line of a newline-terminated log, decoded in full (None otherwise)."""
    try:
        with open(path, "rb") as handle:
            raw = _line_before(handle, size)
    except FileNotFoundError:
        return None
    if raw is None:
        return None
    try:
        logged = decode_line(raw.decode("utf-8"), 0)
    except (TadmurError, UnicodeDecodeError):
        return None
    return logged


def _catch_up(path: Path, index: AppendIndex, size: int, last: LoggedEvent | None) -> bool:
    """Bring ``index`` to the log's ``size`` bytes ending on ``last``: nothing to do, the
    lines after its mark, or a rebuild. False if the log cannot be read fast (the caller
    reads it in full, which names any damage)."""
    mark = index.mark()
    head = Mark(size, last.seq, last.hash) if last else Mark(0, 0, GENESIS_HASH)
    if mark == head:
        return True
    if mark is not None and mark.size < size and _mark_holds(path, mark):
        with open(path, "rb") as handle:
            handle.seek(mark.size)
            chunk = handle.read(size - mark.size)
        rows, prev = [], LogHead(mark.seq, mark.hash)
        for line_no, raw in enumerate(chunk.split(b"\n")[:-1], start=mark.seq + 1):
            try:
                logged = decode_line(raw.decode("utf-8"), line_no)
            except (TadmurError, UnicodeDecodeError):
                return False
            if logged.seq != prev.seq + 1 or logged.prev_hash != prev.hash:
                return False
            rows.append(IndexRow(logged.seq, logged.event_id, logged.event))
            prev = LogHead(logged.seq, logged.hash)
        if prev != LogHead(head.seq, head.hash):
            return False
        return _index_quietly(index, rows, size, head=head)
    return _rebuild(path, index, size, head)


def _mark_holds(path: Path, mark: Mark) -> bool:
    """Is the line that ends at ``mark.size`` the one with its seq and hash?"""
    if mark.size == 0:
        return mark.seq == 0
    with open(path, "rb") as handle:
        raw = _line_before(handle, mark.size)
    if raw is None:
        return False
    try:
        logged = decode_line(raw.decode("utf-8"), mark.seq)
    except (TadmurError, UnicodeDecodeError):
        return False
    return (logged.seq, logged.hash) == (mark.seq, mark.hash)


def _rebuild(path: Path, index: AppendIndex, size: int, head: Mark) -> bool:
    """Index the whole log with the compiled reader (links, seqs and the head checked;
    any doubt: False, and the caller reads the log in full)."""
    if size == 0:
        return _index_quietly(index, [], 0, head=head, reset=True)
    from engine.store.fast_index import read_index_rows  # polars and the compiled reader

    found = read_index_rows(path, size, head)
    if found is None:
        return False
    ids, docs, claims = found
    try:
        index.add_tuples(ids, docs, claims, head, reset=True)
    except Exception:  # noqa: BLE001 - sqlite3.Error or OSError: the index is only a cache
        return False
    return True


def _index_quietly(index: AppendIndex, rows, size: int, *, head: Mark | None = None,
                   reset: bool = False) -> bool:
    """Move the index on after the log was written; a failure leaves the old mark (the
    next append catches up or rebuilds), never a wrong one."""
    if head is None:
        last = rows[-1]
        head = Mark(size, last.seq, last.hash)
        rows = [IndexRow(r.seq, r.event_id, r.event) for r in rows]
    try:
        index.add(rows, head, reset=reset)
    except Exception:  # noqa: BLE001 - sqlite3.Error or OSError: the index is only a cache
        return False
    return True


def _append_failed(exc: OSError, pending: list, written: int, payload: bytes,
                   path: Path) -> TadmurError:
    return TadmurError(
        f"could not append {len(pending)} event(s): {os.strerror(exc.errno or 0)}"
        f" after {written} of {len(payload)} bytes; the partial write was removed",
        where=str(path),
        hint="free disk space and retry; appends are idempotent"
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        else "check the file system and retry; appends are idempotent",
    )


def _count_lines(path: Path, upto: int) -> int:
    with open(path, "rb") as handle:
        return handle.read(upto).count(b"\n")


def _event_id(event: Event) -> str:
    try:
        return event.event_id
    except UnicodeEncodeError:
        raise InvalidEvent(
            f"the {event.TYPE} holds text that is not valid Unicode (an unpaired surrogate)",
            where=f"{event.TYPE} {str(event)[:60]}",
            hint="read source texts as strict UTF-8 (errors='strict'), never with surrogateescape",
        ) from None


def _check_chain(logged: LoggedEvent, head: LogHead, line_no: int) -> None:
    where = f"line {line_no}, seq {logged.seq}"
    if logged.seq != head.seq + 1:
        raise LogCorrupted(
            f"seq jumps from {head.seq} to {logged.seq}: lines were removed, reordered or inserted",
            where=where,
            hint="restore the log from git; the log is never reordered",
        )
    if logged.prev_hash != head.hash:
        raise LogCorrupted(
            "prev_hash does not match the previous line's hash: the chain is broken here",
            where=where,
            hint="restore the log from git; an earlier line was edited, removed or inserted",
        )


def _where(exc: Exception, line_no: int, expected_seq: int) -> str:
    """The place of a bad line: its seq as decoded if the record could be read that far,
    else the seq expected there, as verify says it (never a number scraped from junk)."""
    if isinstance(exc, TadmurError) and (exc.where or "").startswith(f"line {line_no}, seq "):
        return exc.where
    return f"line {line_no}, seq {expected_seq}"


def _last_line_damage(exc: Exception, line_no: int, expected_seq: int) -> LogCorrupted:
    where = _where(exc, line_no, expected_seq)
    what = exc.what if isinstance(exc, TadmurError) else str(exc)
    hint = exc.hint if isinstance(exc, TadmurError) and exc.hint else "restore the log from git"
    return LogCorrupted(
        f"the last line is whole but cannot be read: {what}; it is not a torn write, so it is "
        "not moved aside",
        where=where,
        hint=hint,
    )


def _unexplained_last_line(exc: Exception, raw: bytes, line_no: int, torn: bool
                           ) -> LogCorrupted:
    what = exc.what if isinstance(exc, TadmurError) else f"it is not valid UTF-8 ({exc})"
    shape = f"{len(raw)} bytes without a newline" if torn else "a line that is not a log record"
    return LogCorrupted(
        f"the last line cannot be read ({shape}: {what}) and no interrupted append explains "
        "it (no note in log.lock names these bytes): this is damage, not a torn write, and "
        "nothing is moved aside",
        where=f"line {line_no}",
        hint="restore the log from git (`tadmur verify` says the same); if you know the line "
        "was never acknowledged, `tadmur repair` moves a torn line aside, kept under torn/",
    )


def _mid_file_damage(exc: Exception, line_no: int, expected_seq: int) -> LogCorrupted:
    where = _where(exc, line_no, expected_seq)
    what = exc.what if isinstance(exc, TadmurError) else f"line is not valid UTF-8 ({exc})"
    return LogCorrupted(
        f"damaged line in the middle of the log: {what}",
        where=where,
        hint="only a torn last line is repaired automatically; restore the log from git "
        "and run `tadmur verify`",
    )


def _now_utc(previous: str | None) -> str:
    """Append time, never earlier than the previous line's (clocks can step back)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return max(now, previous) if previous else now


def default_log_dir() -> Path:
    """``$TADMUR_LOG``, else the project's ``events/`` (beside the package), else ./events."""
    if os.environ.get("TADMUR_LOG"):
        return Path(os.environ["TADMUR_LOG"])
    beside = Path(__file__).resolve().parents[2] / "events"
    return beside if beside.is_dir() else Path.cwd() / "events"


def open_log(root: Path | str | None = None, *, must_exist: bool = False) -> EventLog:
    """The log at ``root`` (default: :func:`default_log_dir`).

    Args:
        must_exist: refuse a folder without ``log.jsonl`` (a mistyped ``--log`` must not
            read as an empty log, nor start a new one unasked).
    """
    log = EventLog(Path(root) if root is not None else default_log_dir())
    if must_exist:
        require_log(log.root)
    return log


def require_log(root: Path | str) -> Path:
    """``<root>/log.jsonl``, or a clear error if there is none (or it is not a file)."""
    path = Path(root) / LOG_FILE
    if path.is_file():
        return path
    if path.exists():
        raise TadmurError(f"{path} is not a regular file", where=str(root),
                          hint="the log is the file events/log.jsonl")
    raise TadmurError(
        f"no log at {path}" + ("" if Path(root).is_dir() else f" (there is no folder {root})"),
        where=str(root),
        hint="check --log DIR or $TADMUR_LOG; to start a new log, ingest with --new-log",
    )


__all__ = [
    "ClaimRecorded",
    "DocumentRegistered",
    "EventLog",
    "LogHead",
    "TornTailRepair",
    "default_log_dir",
    "open_log",
    "require_log",
]
