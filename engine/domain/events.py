"""Events: frozen, past-tense facts about what a source said or what an analyst did.

An event is never edited. A wrong claim is fixed by a later ``ClaimCorrected`` or
``ClaimRetracted`` that points at it; the latest one wins at replay.

Identity is content: ``event_id`` hashes (type, data), so appending the same event
twice is a no-op, and ``claim_id`` hashes what a claim asserts and where it is quoted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from engine.domain.errors import InvalidEvent
from engine.domain.vocabulary import (
    ACTORS,
    CLAIM_KINDS,
    PUBLISHED_PRECISIONS,
    TIME_PRECISIONS,
    VERDICTS,
)

#: Version of the event payloads written by this code. Older lines are upcast on read.
SCHEMA_VERSION = 1

_ID = re.compile(r"[a-z0-9][a-z0-9_\-]{0,79}")


def canonical_json(value: Any) -> str:
    """The one serialisation used for hashing: sorted keys, no spaces, UTF-8 kept.

    >>> canonical_json({"b": 1, "a": "تدمر"})
    '{"a":"تدمر","b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    """Hex sha256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_slug(value: str, what: str, where: str) -> None:
    """Refuse ids that are not lowercase slugs (also keeps ids out of file paths)."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise InvalidEvent(
            f"{what} must be a lowercase slug like 'palmyra' or 'seed000', found {value!r}",
            where=where,
            hint="use letters a-z, digits, '_' or '-' (no spaces, slashes or dots)",
        )


def parse_date(value: str, what: str, where: str) -> dt.date:
    """An ISO date, or an InvalidEvent that says which field was wrong."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidEvent(
            f"{what} must be an ISO date YYYY-MM-DD, found {value!r}",
            where=where,
            hint="write real calendar dates, e.g. 2016-03-27",
        ) from None


def _one_of(value: Any, allowed: tuple[str, ...], what: str, where: str) -> None:
    if value not in allowed:
        raise InvalidEvent(
            f"{what} must be one of {', '.join(allowed)}; found {value!r}",
            where=where,
            hint=f"pick one of the {what} values listed",
        )


@functools.cache
def payload_fields(cls: type) -> tuple[str, ...]:
    """The payload fields of an event class, in the order it declares them.

    >>> payload_fields(ClaimRetracted)
    ('claim_id', 'reason', 'supersedes')
    """
    return tuple(f.name for f in dataclasses.fields(cls))


def _copied(value: Any) -> Any:
    """A copy of a payload value: JSON-like nesting of dicts, lists and scalars."""
    if value is None or isinstance(value, str | int | float):  # immutable: shared
        return value
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copied(item) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


@dataclass(frozen=True)
class Event:
    """Base of all events; ``data()`` is the payload stored in the log."""

    TYPE: ClassVar[str] = ""
    #: What the event does to a claim, as the ``event`` column of ``claim_events``
    #: (:data:`engine.domain.schema.CLAIM_EVENTS`) names it; "" for other events.
    ACTION: ClassVar[str] = ""
    #: Payload fields that hold ISO dates (read into dates by the frames).
    DATES: ClassVar[tuple[str, ...]] = ()
    #: Payload fields added after lines were written without them: left out of the
    #: payload while empty, so those lines keep their bytes and their event ids.
    OPTIONAL: ClassVar[tuple[str, ...]] = ()

    def data(self) -> dict[str, Any]:
        # What ``dataclasses.asdict`` gives (a fresh copy), without its generic recursion
        # and deepcopy: it was over half the cost of reading a log line.
        data = {name: _copied(getattr(self, name)) for name in payload_fields(type(self))}
        for name in self.OPTIONAL:
            if data[name] == "":
                del data[name]
        return data

    @property
    def event_id(self) -> str:
        return sha256_hex(canonical_json({"type": self.TYPE, "data": self.data()}))[:32]

    def validate(self) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError


@dataclass(frozen=True)
class DocumentRegistered(Event):
    """A source text entered the corpus (its bytes live under ``events/sources/``)."""

    TYPE: ClassVar[str] = "DocumentRegistered"
    DATES: ClassVar[tuple[str, ...]] = ("published",)
    doc_id: str
    outlet: str
    url: str
    title: str
    language: str
    published: str
    published_precision: str
    sha256: str
    path: str

    def validate(self) -> None:
        where = f"document {self.doc_id!r}"
        check_slug(self.doc_id, "doc_id", where)
        parse_date(self.published, "published", where)
        _one_of(self.published_precision, PUBLISHED_PRECISIONS, "published_precision", where)
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256 or ""):
            raise InvalidEvent(
                f"sha256 must be 64 hex digits, found {self.sha256!r}",
                where=where,
                hint="register documents with `tadmur ingest`, which hashes the text",
            )
        if self.path.startswith("/") or ".." in self.path.split("/") or "\x00" in self.path:
            raise InvalidEvent(
                f"path must stay inside events/, found {self.path!r}",
                where=where,
                hint="paths are relative to events/, e.g. sources/seed000.txt",
            )


@dataclass(frozen=True)
class ClaimRecorded(Event):
    """A source asserted a change of control (or a siege, or an attack) at a site."""

    TYPE: ClassVar[str] = "ClaimRecorded"
    ACTION: ClassVar[str] = "recorded"
    DATES: ClassVar[tuple[str, ...]] = ("valid_from", "valid_to")
    claim_id: str
    doc_id: str
    site_id: str
    kind: str
    gainer: str
    loser: str | None
    valid_from: str
    valid_to: str
    time_precision: str
    claimant: str
    denied: bool
    evidence: dict[str, Any] = field(default_factory=dict)
    extractor: str = "manual"
    confidence: float = 1.0

    @staticmethod
    def make(**fields: Any) -> ClaimRecorded:
        """Build a claim whose ``claim_id`` is derived from its content.

        >>> c = ClaimRecorded.make(doc_id="seed001", site_id="palmyra", kind="captured",
        ...     gainer="isis", loser="government", valid_from="2016-12-11",
        ...     valid_to="2016-12-11", time_precision="day", claimant="outlet", denied=False,
        ...     evidence={"start": 0, "end": 4, "text": "تدمر"})
        >>> c.claim_id.startswith("c") and len(c.claim_id) == 17
        True
        """
        identity = {k: fields.get(k) for k in CLAIM_IDENTITY}
        fields["claim_id"] = "c" + sha256_hex(canonical_json(identity))[:16]
        return ClaimRecorded(**fields)

    def validate(self) -> None:
        where = f"claim {self.claim_id!r} of document {self.doc_id!r}"
        check_slug(self.claim_id, "claim_id", where)
        check_slug(self.doc_id, "doc_id", where)
        validate_claim_fields(self.data(), where)
        ev = self.evidence
        ok = (
            isinstance(ev, dict)
            and isinstance(ev.get("start"), int)
            and isinstance(ev.get("end"), int)
            and isinstance(ev.get("text"), str)
            and 0 <= ev["start"] < ev["end"]
            and ev["end"] - ev["start"] == len(ev["text"])
        )
        if not ok:
            raise InvalidEvent(
                f"evidence must be {{start, end, text}} with end - start == len(text), found {ev!r}",
                where=where,
                hint="quote the exact substring of the source text and its character offsets",
            )


#: What a claim's id hashes: what it asserts and where it is quoted (not how sure, nor by
#: which extractor: the same quote read again is the same claim).
CLAIM_IDENTITY = (
    "doc_id", "site_id", "kind", "gainer", "loser", "valid_from", "valid_to",
    "claimant", "denied", "evidence",
)

#: The fields a correction may replace (everything a claim asserts, not where it is quoted).
CORRECTABLE_FIELDS = (
    "site_id", "kind", "gainer", "loser", "valid_from", "valid_to",
    "time_precision", "claimant", "denied", "confidence",
)


def validate_claim_fields(fields: dict[str, Any], where: str) -> None:
    """Check the assertion of a claim or of a correction (kind, actors, window...)."""
    check_slug(fields.get("site_id"), "site_id", where)
    _one_of(fields.get("kind"), CLAIM_KINDS, "kind", where)
    _one_of(fields.get("gainer"), ACTORS, "gainer", where)
    if fields.get("loser") is not None:
        _one_of(fields.get("loser"), ACTORS, "loser", where)
    _one_of(fields.get("time_precision"), TIME_PRECISIONS, "time_precision", where)
    start = parse_date(fields.get("valid_from"), "valid_from", where)
    end = parse_date(fields.get("valid_to"), "valid_to", where)
    if end < start:
        raise InvalidEvent(
            f"the date window ends before it starts: valid_from {start} > valid_to {end}",
            where=where,
            hint="a window is [valid_from, valid_to] with valid_from <= valid_to",
        )
    check_slug(fields.get("claimant"), "claimant", where)
    if not isinstance(fields.get("denied"), bool):
        raise InvalidEvent(f"denied must be true or false, found {fields.get('denied')!r}", where=where,
                           hint="use JSON booleans")
    conf = fields.get("confidence")
    if not isinstance(conf, (int, float)) or isinstance(conf, bool) or not 0.0 <= conf <= 1.0:
        raise InvalidEvent(f"confidence must be a number in [0, 1], found {conf!r}", where=where,
                           hint="1.0 for a hand-checked claim")


@dataclass(frozen=True)
class ClaimRetracted(Event):
    """An analyst withdrew an earlier claim from the record (it was never said, or misread)."""

    TYPE: ClassVar[str] = "ClaimRetracted"
    ACTION: ClassVar[str] = "retracted"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("supersedes",)
    claim_id: str
    reason: str
    #: the event_id of the act on this claim this one follows ("" for the first act):
    #: it makes each act unique, so retracting again after a correction is a new event
    supersedes: str = ""

    def validate(self) -> None:
        check_slug(self.claim_id, "claim_id", "retraction")
        _require_reason(self.reason, f"retraction of {self.claim_id!r}")
        _check_supersedes(self.supersedes, f"retraction of {self.claim_id!r}")


@dataclass(frozen=True)
class ClaimCorrected(Event):
    """An analyst replaced what an earlier claim asserts; the latest correction wins."""

    TYPE: ClassVar[str] = "ClaimCorrected"
    ACTION: ClassVar[str] = "corrected"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("supersedes",)
    claim_id: str
    corrected: dict[str, Any]
    reason: str
    #: the event_id of the act on this claim this one follows ("" for the first act)
    supersedes: str = ""

    def validate(self) -> None:
        where = f"correction of {self.claim_id!r}"
        check_slug(self.claim_id, "claim_id", where)
        if set(self.corrected) != set(CORRECTABLE_FIELDS):
            raise InvalidEvent(
                f"a correction carries exactly the fields {', '.join(CORRECTABLE_FIELDS)}; "
                f"found {', '.join(sorted(self.corrected))}",
                where=where,
                hint="build corrections with engine.store.correct_claim, which fills unchanged fields",
            )
        validate_claim_fields(self.corrected, where)
        _require_reason(self.reason, where)
        _check_supersedes(self.supersedes, where)


@dataclass(frozen=True)
class ClaimReviewed(Event):
    """An analyst accepted or rejected a machine-extracted candidate claim."""

    TYPE: ClassVar[str] = "ClaimReviewed"
    ACTION: ClassVar[str] = "reviewed"
    OPTIONAL: ClassVar[tuple[str, ...]] = ("supersedes",)
    claim_id: str
    verdict: str
    reviewer: str
    note: str
    #: the event_id of the review of this claim this one follows ("" for the first):
    #: accept, reject, accept again is three events, while a retried batch is one
    supersedes: str = ""

    def validate(self) -> None:
        where = f"review of {self.claim_id!r}"
        check_slug(self.claim_id, "claim_id", where)
        _one_of(self.verdict, VERDICTS, "verdict", where)
        _check_supersedes(self.supersedes, where)


def _check_supersedes(value: Any, where: str) -> None:
    if value != "" and not (isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value)):
        raise InvalidEvent(f"supersedes must be an event id (32 hex digits) or empty, found "
                           f"{value!r}", where=where,
                           hint="it names the earlier act on the same claim")


def _require_reason(reason: str, where: str) -> None:
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidEvent("a reason is required", where=where, hint="say why, for the next reader")


#: Every event type, in one place. The store reads and writes these (by ``TYPE``), the
#: ``claim_events`` frame takes its rows from those with an ``ACTION`` and its dates from
#: ``DATES``, and the tests check them against the schemas: a new type starts here.
EVENT_CLASSES: tuple[type[Event], ...] = (
    DocumentRegistered, ClaimRecorded, ClaimRetracted, ClaimCorrected, ClaimReviewed,
)
EVENT_TYPES: dict[str, type[Event]] = {cls.TYPE: cls for cls in EVENT_CLASSES}
#: type -> the ``event`` value of its rows in ``claim_events`` (the claim events only)
CLAIM_ACTIONS: dict[str, str] = {cls.TYPE: cls.ACTION for cls in EVENT_CLASSES if cls.ACTION}


def event_from_data(type_name: str, data: dict[str, Any], where: str) -> Event:
    """Rebuild (and validate) a typed event from a log line's ``type`` and ``data``."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise InvalidEvent(
            f"unknown event type {type_name!r}",
            where=where,
            hint=f"known types: {', '.join(EVENT_TYPES)}",
        )
    names = set(payload_fields(cls))
    if not isinstance(data, dict) or not names - set(cls.OPTIONAL) <= set(data) <= names:
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise InvalidEvent(
            f"{type_name} needs fields {sorted(names)}, found {found}",
            where=where,
            hint="the line was not written by this version of Tadmur, or was edited by hand",
        )
    try:
        event = cls(**data)
    except TypeError as exc:  # pragma: no cover - guarded by the field check above
        raise InvalidEvent(str(exc), where=where, hint="check the payload") from None
    if any(data.get(name) == "" for name in cls.OPTIONAL):
        raise InvalidEvent(f"{type_name} carries an empty optional field (never written)",
                           where=where, hint="the line was edited by hand; restore it from git")
    event.validate()
    return event
