"""What an append must refer to: registered documents, recorded claims, known sites.

The log only ever points backwards: a claim quotes a document registered earlier, a
retraction, correction or review names a claim recorded earlier. Evidence must be the
exact text of the source at its offsets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from engine.domain.errors import InvalidEvent, SourceMismatch
from engine.domain.events import (
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    ClaimReviewed,
    DocumentRegistered,
    Event,
)
from engine.reference import site_ids
from engine.store.index import AppendIndex


@dataclass
class References:
    """Indexes of the log so far: event ids, documents and claims.

    Either all in memory (a full read), or the events since the append index's mark in
    memory over the index on disk (``base``: an append that did not read the log).
    """

    seqs: dict[str, int] = field(default_factory=dict)
    documents: dict[str, DocumentRegistered] = field(default_factory=dict)
    claims: dict[str, ClaimRecorded] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)
    base: AppendIndex | None = None

    def copy(self) -> References:
        return References(dict(self.seqs), dict(self.documents), dict(self.claims), self._texts,
                          self.base)

    def seq_of(self, event_id: str) -> int | None:
        seq = self.seqs.get(event_id)
        if seq is None and self.base is not None:
            return self.base.seq_of(event_id)
        return seq

    def document(self, doc_id: str) -> DocumentRegistered | None:
        doc = self.documents.get(doc_id)
        if doc is None and self.base is not None:
            return self.base.document(doc_id)
        return doc

    def has_claim(self, claim_id: str) -> bool:
        return claim_id in self.claims or (self.base is not None and self.base.has_claim(claim_id))

    def add(self, event: Event, seq: int) -> None:
        self.seqs[event.event_id] = seq
        if isinstance(event, DocumentRegistered):
            self.documents[event.doc_id] = event
        elif isinstance(event, ClaimRecorded):
            self.claims[event.claim_id] = event

    def check_new(self, event: Event, root: Path) -> None:
        """:meth:`check`, and for a new document: its text is not registered already
        (the same article under two names would count twice)."""
        self.check(event, root)
        if isinstance(event, DocumentRegistered):
            first = self._registration_of(event.sha256)
            if first is not None:
                doc_id, seq = first
                raise InvalidEvent(
                    f"this text is already registered as document {doc_id!r} (log seq {seq}); "
                    "the same article under two names would count twice",
                    where=f"document {event.doc_id!r} ({event.path})",
                    hint=f"skip it, or ingest it as --doc-id {doc_id} (a no-op)",
                )

    def _registration_of(self, sha256: str) -> tuple[str, int] | None:
        for doc in self.documents.values():
            if doc.sha256 == sha256:
                return doc.doc_id, self.seqs[doc.event_id]
        return self.base.document_with_text(sha256) if self.base is not None else None

    def check(self, event: Event, root: Path) -> None:
        """Refuse an event that points at nothing, or quotes what its source does not say."""
        if isinstance(event, DocumentRegistered):
            self._check_document(event, root)
        elif isinstance(event, ClaimRecorded):
            self._check_claim(event, root)
        elif isinstance(event, (ClaimRetracted, ClaimCorrected, ClaimReviewed)):
            if not self.has_claim(event.claim_id):
                raise InvalidEvent(
                    f"{event.TYPE} points at claim {event.claim_id!r}, which is not in the log",
                    where=f"{event.TYPE} of {event.claim_id!r}",
                    hint="record the claim first; `tadmur log` lists claim ids",
                )
            if event.supersedes and self.seq_of(event.supersedes) is None:
                raise InvalidEvent(
                    f"{event.TYPE} supersedes event {event.supersedes}, which is not in the log",
                    where=f"{event.TYPE} of {event.claim_id!r}",
                    hint="an act names the earlier act on the same claim it follows",
                )
            if isinstance(event, ClaimCorrected):
                check_site(event.corrected["site_id"], f"correction of {event.claim_id!r}")

    def source_text(self, root: Path, doc_id: str) -> str:
        if doc_id not in self._texts:
            doc = self.document(doc_id)
            if doc is None:
                raise InvalidEvent(f"document {doc_id!r} is not registered", where="sources",
                                   hint="register it with `tadmur ingest` first")
            self._texts[doc_id] = read_source(root, doc)
        return self._texts[doc_id]

    def _check_document(self, doc: DocumentRegistered, root: Path) -> None:
        where = f"document {doc.doc_id!r}"
        if self.document(doc.doc_id) is not None:
            raise InvalidEvent(
                f"doc_id {doc.doc_id!r} is already registered with different metadata",
                where=where,
                hint="choose another --doc-id; registered documents are never changed",
            )
        read_source(root, doc)

    def _check_claim(self, claim: ClaimRecorded, root: Path) -> None:
        where = f"claim {claim.claim_id!r} of document {claim.doc_id!r}"
        if self.document(claim.doc_id) is None:
            raise InvalidEvent(
                f"the claim quotes document {claim.doc_id!r}, which is not registered",
                where=where,
                hint="register the document (DocumentRegistered) before its claims",
            )
        if self.has_claim(claim.claim_id):
            raise InvalidEvent(
                f"claim {claim.claim_id!r} is already recorded with other metadata",
                where=where,
                hint="to change a recorded claim, append a ClaimCorrected",
            )
        check_site(claim.site_id, where)
        text = self.source_text(root, claim.doc_id)
        ev = claim.evidence
        if text[ev["start"] : ev["end"]] != ev["text"]:
            raise InvalidEvent(
                f"evidence {ev['text'][:40]!r} is not the source text at [{ev['start']}, "
                f"{ev['end']}) (found {text[ev['start'] : ev['end']][:40]!r})",
                where=where,
                hint="offsets are character offsets into the UTF-8 text under events/sources/",
            )


def check_site(site_id: str, where: str) -> None:
    if site_id not in site_ids():
        close = sorted(s for s in site_ids() if site_id[:4] in s)[:5]
        raise InvalidEvent(
            f"unknown site id {site_id!r}",
            where=where,
            hint=(f"did you mean {', '.join(close)}? " if close else "")
            + "site ids are listed in engine/reference/sites.csv (`tadmur sites`)",
        )


def read_source(root: Path, doc: DocumentRegistered) -> str:
    """The text of ``doc`` under ``root``, refusing paths that leave it or a changed sha256."""
    where = f"document {doc.doc_id!r}"
    base = root.resolve()
    path = (root / doc.path).resolve()
    if base not in path.parents:
        raise SourceMismatch(f"source path {doc.path!r} points outside {root}", where=where,
                             hint="source texts live under events/sources/")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceMismatch(f"source text {doc.path} cannot be read ({exc.strerror})",
                             where=where, hint="restore events/sources/ from git") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != doc.sha256:
        raise SourceMismatch(
            f"source text {doc.path} has sha256 {digest[:12]}…, registered {doc.sha256[:12]}…",
            where=where,
            hint="source texts are never edited; restore it from git",
        )
    return data.decode("utf-8")
