"""Bringing a source text into ``events/sources/`` and registering it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from engine.domain.errors import InvalidEvent
from engine.domain.events import DocumentRegistered, check_slug

SOURCES_DIR = "sources"


def register_document(
    root: Path,
    text_path: Path,
    *,
    doc_id: str,
    published: str,
    published_precision: str = "day",
    outlet: str = "",
    url: str = "",
    title: str = "",
    language: str = "ar",
) -> DocumentRegistered:
    """Copy ``text_path`` to ``<root>/sources/<doc_id>.txt`` (or keep it if already there)
    and build its ``DocumentRegistered`` event (append it with ``EventLog.append``).

    An existing file with the same name but other bytes is refused: sources never change.
    """
    check_slug(doc_id, "doc_id", f"document from {text_path}")
    data = Path(text_path).read_bytes()
    target = root / SOURCES_DIR / f"{doc_id}.txt"
    _refuse_escape(root, target, doc_id)
    if Path(text_path).resolve().parent == (root / SOURCES_DIR).resolve():
        target = Path(text_path)  # already in the corpus (the seeds keep their file names)
    elif target.exists() and target.read_bytes() != data:
        raise InvalidEvent(
            f"{target} already holds another text",
            where=f"document {doc_id!r}",
            hint="choose another --doc-id; registered sources are never overwritten",
        )
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(text_path, target)
    event = DocumentRegistered(
        doc_id=doc_id,
        outlet=outlet,
        url=url,
        title=title,
        language=language,
        published=published,
        published_precision=published_precision,
        sha256=hashlib.sha256(data).hexdigest(),
        path=f"{SOURCES_DIR}/{target.name}",
    )
    event.validate()
    return event


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
