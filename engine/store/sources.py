"""Bringing a source text into ``events/sources/`` and registering it."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.domain.errors import InvalidEvent, TadmurError
from engine.domain.events import DocumentRegistered, check_slug

SOURCES_DIR = "sources"


@dataclass(frozen=True)
class StagedSource:
    """A source text placed under ``sources/`` for a registration not yet appended."""

    event: DocumentRegistered
    path: Path
    #: this call wrote the file (so a failed append removes it again)
    written: bool

    def discard(self) -> None:
        """Remove the file this call wrote (the append failed: it is not registered)."""
        if self.written:
            self.path.unlink(missing_ok=True)


#: ``registered`` when the caller did not look the document up in the log
UNKNOWN = "unknown"


def register_document(root: Path, text_path: Path, *, doc_id: str, published: str,
                      registered: DocumentRegistered | None | str = UNKNOWN, **meta: str
                      ) -> DocumentRegistered:
    """Copy ``text_path`` to ``<root>/sources/<doc_id>.txt`` and build its
    ``DocumentRegistered`` event (append it with ``EventLog.append``); see
    :func:`stage_source`."""
    return stage_source(root, Path(text_path).read_bytes(), doc_id=doc_id, published=published,
                        origin=Path(text_path), registered=registered, **meta).event


def stage_source(root: Path, data: bytes, *, doc_id: str, published: str,
                 origin: Path | None = None,
                 registered: DocumentRegistered | None | str = UNKNOWN,
                 published_precision: str = "day", outlet: str = "", url: str = "",
                 title: str = "", language: str = "ar") -> StagedSource:
    """Place ``data`` at ``<root>/sources/<doc_id>.txt`` atomically (a temporary file,
    fsynced, then renamed: a crash or a full disk never leaves half a text) and build its
    ``DocumentRegistered``.

    A file already there with other bytes is replaced only if no registration names it
    (``registered``: the document the log holds under ``doc_id``, or None; left
    :data:`UNKNOWN`, such a file is refused): it is the leftover of an append that never
    happened. A registered source never changes.
    """
    check_slug(doc_id, "doc_id", f"document from {origin or 'the articles file'}")
    target = root / SOURCES_DIR / f"{doc_id}.txt"
    _refuse_escape(root, target, doc_id)
    digest = hashlib.sha256(data).hexdigest()
    written = False
    if origin is not None and origin.resolve().parent == (root / SOURCES_DIR).resolve():
        target = origin  # already in the corpus (the seeds keep their file names)
    elif registered == UNKNOWN and target.is_file() and _sha256_of(target) != digest:
        raise InvalidEvent(
            f"{target} already holds another text",
            where=f"document {doc_id!r}",
            hint="choose another --doc-id; registered sources are never overwritten",
        )
    elif isinstance(registered, DocumentRegistered) and registered.sha256 != digest:
        raise InvalidEvent(
            f"document {doc_id!r} is registered (sources/{target.name}) with another text",
            where=f"document {doc_id!r}",
            hint="choose another --doc-id; registered sources are never overwritten",
        )
    elif not (target.is_file() and _sha256_of(target) == digest):
        _write_atomically(target, data)
        written = True
    event = DocumentRegistered(
        doc_id=doc_id, outlet=outlet, url=url, title=title, language=language,
        published=published, published_precision=published_precision, sha256=digest,
        path=f"{SOURCES_DIR}/{target.name}",
    )
    try:
        event.validate()
    except TadmurError:
        if written:
            target.unlink(missing_ok=True)
        raise
    return StagedSource(event, target, written)


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_atomically(target: Path, data: bytes) -> None:
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        raise TadmurError(
            f"could not write the source text {target}: "
            f"{os.strerror(exc.errno) if exc.errno else exc}; nothing was written",
            where=str(target),
            hint="free disk space and retry" if full
            else "check that the folder exists and is writable, then retry",
        ) from None


def _refuse_escape(root: Path, target: Path, doc_id: str) -> None:
    """Never write through a symlink, or into a sources/ folder that lives outside root."""
    where = f"document {doc_id!r}"
    if target.is_symlink():
        raise InvalidEvent(
            f"{target} is a symlink (to {target.readlink()}); sources are never written "
            "through links",
            where=where,
            hint="remove the link, or choose another --doc-id",
        )
    sources = (root / SOURCES_DIR).resolve()
    if Path(root).resolve() not in sources.parents:
        raise InvalidEvent(
            f"{root / SOURCES_DIR} resolves to {sources}, outside {root}",
            where=where,
            hint="events/sources/ must be a real folder inside events/, not a link out of it",
        )
