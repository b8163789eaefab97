"""The append-only event log on disk: ``<root>/log.jsonl`` plus the source texts.

Writers take an exclusive ``flock`` on ``<root>/log.lock``, validate the batch against
what the log already holds, write it with one ``O_APPEND`` write and ``fsync``. Readers
take a shared lock, so they never see a half-written batch of a live writer.

A batch is all or nothing, even if the writer dies mid-write (a write may land in
pieces): before writing, the writer notes the batch's offset and length in
``log.lock`` (fsynced) and clears the note once the batch is fsynced. The next reader
or writer that finds a note left behind moves the partial batch aside into
``<root>/torn/``, whole lines included, and reports it. A torn last line without a note
(no newline, not UTF-8 or not JSON) is moved aside the same way. Anything else that is
wrong, anywhere, is fatal and names the line: a whole line is never dropped.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from engine.domain.errors import InvalidEvent, LogCorrupted, TadmurError
from engine.domain.events import ClaimRecorded, DocumentRegistered, Event
from engine.store.codec import GENESIS_HASH, LoggedEvent, decode_line, encode_line, looks_whole
from engine.store.references import References

LOG_FILE = "log.jsonl"
LOCK_FILE = "log.lock"
TORN_DIR = "torn"


@dataclass(frozen=True)
class LogHead:
    """Where the log stands: the last seq and its hash (pin it to check the log later)."""

    seq: int
    hash: str

    @property
    def short(self) -> str:
        return self.hash[:8]


@dataclass(frozen=True)
class TornTailRepair:
    """A half-written last line (or the partial batch of an interrupted append) moved aside."""

    line_no: int
    offset: int
    n_bytes: int
    kept_at: Path
    what: str = "torn last line"

    def describe(self) -> str:
        return (
            f"{self.what} {self.line_no} ({self.n_bytes} bytes at offset {self.offset}) "
            f"moved aside to {self.kept_at}; an interrupted append left it, nothing acknowledged "
            f"was lost"
        )


@dataclass(frozen=True)
class PendingAppend:
    """The note a writer leaves in ``log.lock`` while its batch is not yet fsynced."""

    offset: int
    length: int

    def encode(self) -> bytes:
        return json.dumps({"appending": {"offset": self.offset, "length": self.length}}).encode()

    @staticmethod
    def decode(raw: bytes) -> PendingAppend | None:
        """The note, or None if there is none (or only a torn one: then nothing was written)."""
        try:
            note = json.loads(raw)["appending"]
            offset, length = note["offset"], note["length"]
        except (ValueError, TypeError, KeyError):
            return None
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                   for v in (offset, length)):
            return None
        return PendingAppend(offset, length)


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
        self._state = _State()

    # -- reading ---------------------------------------------------------------------

    def events(self) -> list[LoggedEvent]:
        """Every event in log order, validated (a torn tail is repaired and reported)."""
        return list(self._load().events)

    def head(self) -> LogHead:
        """The last seq and hash."""
        return self._load().head

    def source_text(self, doc_id: str) -> str:
        """The registered text of a document, checked against its sha256."""
        return self._load().refs.source_text(self.root, doc_id)

    # -- writing ---------------------------------------------------------------------

    def append(self, events: Sequence[Event]) -> list[int]:
        """Append a batch atomically; returns the seq of each event.

        An event already in the log (same ``event_id``) is not written again: its
        existing seq is returned, so retrying an append is always safe.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with self._locked(exclusive=True) as lock:
            state = self._refresh_locked(repair=True, lock=lock)
            refs = state.refs.copy()
            seqs: list[int] = []
            pending: list[tuple[Event, int]] = []
            next_seq = state.head.seq + 1
            for event in events:
                known = refs.seq_of(_event_id(event))
                if known is not None:
                    seqs.append(known)
                    continue
                event.validate()
                refs.check(event, self.root)
                refs.add(event, next_seq)
                pending.append((event, next_seq))
                seqs.append(next_seq)
                next_seq += 1
            if pending:
                self._write_locked(state, pending, lock)
            state.refs = refs
            return seqs

    def _write_locked(self, state: _State, pending: list[tuple[Event, int]], lock) -> None:
        stamp = _now_utc(state.events[-1].recorded_at if state.events else None)
        prev = state.head.hash
        chunks, new = [], []
        for event, seq in pending:
            line, digest = encode_line(seq, event, stamp, prev)
            chunks.append(line)
            new.append(LoggedEvent(seq, event.event_id, stamp, prev, digest, event))
            prev = digest
        payload = "".join(chunks).encode("utf-8")
        written = 0
        try:
            _set_pending(lock, PendingAppend(state.size, len(payload)))
        except OSError as exc:
            raise _append_failed(exc, pending, written, payload, self.path) from exc
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            try:
                while written < len(payload):
                    written += os.write(fd, payload[written:])
                os.fsync(fd)
            except OSError as exc:
                # Leave the log exactly as it was: cut what part of the batch reached the file.
                os.ftruncate(fd, state.size)
                os.fsync(fd)
                _set_pending(lock, None)
                raise _append_failed(exc, pending, written, payload, self.path) from exc
        finally:
            os.close(fd)
        _set_pending(lock, None)  # no fsync needed: a stale note on a whole batch is harmless
        state.size += len(payload)
        state.events.extend(new)

    # -- locking and loading -----------------------------------------------------------

    def _locked(self, exclusive: bool):
        return locked(self.root, exclusive)

    def _load(self) -> _State:
        with self._locked(exclusive=False) as lock:
            try:
                return self._refresh_locked(repair=False, lock=lock)
            except _NeedsRepair:
                pass
        with self._locked(exclusive=True) as lock:
            return self._refresh_locked(repair=True, lock=lock)

    def _refresh_locked(self, repair: bool, lock=None) -> _State:
        """Read what was appended since the last look (or everything if the file shrank)."""
        note = read_pending(lock)
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
        self._scan(chunk, repair)
        return self._state

    def _scan(self, chunk: bytes, repair: bool) -> None:
        state = self._state
        base_offset, offset = state.size, 0
        line_no = len(state.events)
        refs = state.refs
        while offset < len(chunk):
            end = chunk.find(b"\n", offset)
            raw = chunk[offset:] if end == -1 else chunk[offset:end]
            line_no += 1
            try:
                if end == -1:
                    raise LogCorrupted("the last line has no newline", where=f"line {line_no}")
                logged = decode_line(raw.decode("utf-8"), line_no)
            except (LogCorrupted, InvalidEvent, UnicodeDecodeError) as exc:
                # only now look at what follows (doing it per line would make reads quadratic)
                is_last = end == -1 or not chunk[end + 1 :].strip(b"\x00\n\r\t ")
                if not is_last:
                    raise _mid_file_damage(exc, raw, line_no) from None
                if end != -1 and looks_whole(raw):
                    # a whole line was written and is wrong: never drop it automatically
                    raise _last_line_damage(exc, raw, line_no) from None
                if not repair:
                    raise _NeedsRepair() from None
                self._move_aside(base_offset + offset, line_no, chunk[offset:])
                return
            _check_chain(logged, state.head, line_no)
            refs.add(logged.event, logged.seq)
            state.events.append(logged)
            offset = end + 1
            state.size = base_offset + offset

    def _finish_interrupted_append(self, note: PendingAppend, lock) -> None:
        """A writer died mid-batch: keep its batch only if all of it reached the file."""
        size = self.path.stat().st_size if self.path.exists() else 0
        if note.offset < size < note.offset + note.length:
            if self._state.size > note.offset:
                self._state = _State()  # we read part of the batch: read again from the start
            with open(self.path, "rb") as handle:
                handle.seek(note.offset)
                partial = handle.read()
            line_no = _count_lines(self.path, note.offset) + 1
            self._move_aside(note.offset, line_no, partial, what="partial batch from line")
        _set_pending(lock, None)

    def _move_aside(self, offset: int, line_no: int, torn: bytes,
                    what: str = "torn last line") -> None:
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
        self.repairs.append(TornTailRepair(line_no, offset, len(torn), kept, what))


class _NeedsRepair(Exception):
    """A reader under a shared lock found a torn tail: retry with the exclusive lock."""


@contextmanager
def locked(root: Path, exclusive: bool) -> Iterator[int | None]:
    """Hold ``<root>/log.lock`` (shared or exclusive); yields its fd, or None when a
    read-only checkout has no lock file to open (then nobody can be writing through us)."""
    path = Path(root) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if exclusive:
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


#: The note lives in a fixed slot at the start of log.lock; clearing overwrites it with
#: blanks, so the slot's disk block stays allocated and clearing works on a full disk.
_NOTE_SLOT = 128


def read_pending(lock: int | None) -> PendingAppend | None:
    """The note of an append in progress, read through the held lock (None if none)."""
    if lock is None:
        return None
    return PendingAppend.decode(os.pread(lock, _NOTE_SLOT, 0))


def _set_pending(lock: int, note: PendingAppend | None) -> None:
    if note is None:
        try:
            os.pwrite(lock, b" " * _NOTE_SLOT, 0)
        except OSError:
            pass  # harmless: a note on a batch that is whole in the file is simply cleared
        return
    data = note.encode().ljust(_NOTE_SLOT)
    while data:
        data = data[os.pwrite(lock, data, _NOTE_SLOT - len(data)):]
    os.fsync(lock)


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


def _last_line_damage(exc: Exception, raw: bytes, line_no: int) -> LogCorrupted:
    seq = re.search(rb'"seq":\s*(\d+)', raw)
    where = f"line {line_no}" + (f", seq {int(seq.group(1))}" if seq else "")
    what = exc.what if isinstance(exc, TadmurError) else str(exc)
    hint = exc.hint if isinstance(exc, TadmurError) and exc.hint else "restore the log from git"
    return LogCorrupted(
        f"the last line is whole but cannot be read: {what}; it is not a torn write, so it is "
        "not moved aside",
        where=where,
        hint=hint,
    )


def _mid_file_damage(exc: Exception, raw: bytes, line_no: int) -> LogCorrupted:
    seq = re.search(rb'"seq":\s*(\d+)', raw)
    where = f"line {line_no}" + (f", seq {int(seq.group(1))}" if seq else "")
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


def open_log(root: Path | str | None = None) -> EventLog:
    """The log at ``root`` (default: :func:`default_log_dir`)."""
    return EventLog(Path(root) if root is not None else default_log_dir())


__all__ = [
    "ClaimRecorded",
    "DocumentRegistered",
    "EventLog",
    "LogHead",
    "TornTailRepair",
    "default_log_dir",
    "open_log",
]
