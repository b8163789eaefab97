"""One log line <-> one event: framing, hashing and upcasting.

A line is a JSON object ending in ``\\n``. ``hash`` is the sha256 of the canonical
JSON of the line without ``hash``; ``prev_hash`` is the previous line's ``hash``,
so editing any byte of an earlier line breaks the chain from there on.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.domain.errors import InvalidEvent, LogCorrupted
from engine.domain.events import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    Event,
    canonical_json,
    event_from_data,
    sha256_hex,
)

#: ``prev_hash`` of the first line.
GENESIS_HASH = "0" * 64

_ENVELOPE = ("seq", "event_id", "type", "recorded_at", "schema", "prev_hash", "data", "hash")

#: Upcasters turn an old payload into the next version: {(type, from_version): fn}.
#: Version 1 is the first; the table grows when a payload changes shape, and old lines
#: are upcast on read, never rewritten (their hash and event id stay those of the bytes
#: written). An upcaster returns a new dict (the payload as written is checked after it).
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class LoggedEvent:
    """An event as it stands in the log, with its envelope."""

    seq: int
    event_id: str
    recorded_at: str
    prev_hash: str
    hash: str
    event: Event

    @property
    def type(self) -> str:
        return self.event.TYPE


def encode_line(seq: int, event: Event, recorded_at: str, prev_hash: str) -> tuple[str, str]:
    """Frame ``event`` as a log line; returns (line with newline, its hash).

    >>> from engine.domain.events import ClaimRetracted
    >>> line, digest = encode_line(1, ClaimRetracted("c1", "misread"), "2026-01-01T00:00:00.000000Z",
    ...                            GENESIS_HASH)
    >>> decode_line(line.rstrip("\\n"), line_no=1).event
    ClaimRetracted(claim_id='c1', reason='misread', supersedes='')
    """
    record = {
        "seq": seq,
        "event_id": event.event_id,
        "type": event.TYPE,
        "recorded_at": recorded_at,
        "schema": SCHEMA_VERSION,
        "prev_hash": prev_hash,
        "data": event.data(),
    }
    digest = sha256_hex(canonical_json(record))
    record["hash"] = digest
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n", digest


def decode_line(text: str, line_no: int) -> LoggedEvent:
    """Parse and check one line (without its newline): JSON, envelope, hash, payload.

    The line must be byte for byte what :func:`encode_line` writes (compact JSON, the
    envelope in its order), so an edit that keeps the parsed content (``1.0`` -> ``1e0``,
    a space, an escape) is caught like any other.

    Raises:
        LogCorrupted: the line is not a well-formed record, or its hash does not match.
        InvalidEvent: the record is whole and its hash holds, but the envelope or the
            payload breaks the event schema (wrong types, unknown type, newer schema).
    """
    where = f"line {line_no}"
    try:
        record = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LogCorrupted(
            f"line is not valid JSON ({type(exc).__name__}: {str(exc)[:80]})",
            where=where,
            hint="run `tadmur verify` to locate the damage; never edit the log by hand",
        ) from None
    if not isinstance(record, dict) or list(record) != list(_ENVELOPE):
        found = list(record) if isinstance(record, dict) else type(record).__name__
        raise LogCorrupted(
            f"a log line needs the fields {', '.join(_ENVELOPE)} in that order; found {found}",
            where=where,
            hint="the line was not written by `tadmur`; restore the log from git",
        )
    seq = record["seq"]
    if isinstance(seq, int) and not isinstance(seq, bool):
        where = f"line {line_no}, seq {seq}"
    if _compact(record) != text:
        raise LogCorrupted(
            "the line is not in the exact form Tadmur writes (compact JSON): its bytes were "
            "edited after it was written",
            where=where,
            hint="restore the log from git (`git checkout events/log.jsonl`); "
            "to change a claim, append a ClaimCorrected",
        )
    claimed = record.pop("hash")
    if _digest(record) != claimed:
        raise LogCorrupted(
            "the line's content does not match its hash: it was edited after it was written",
            where=where,
            hint="restore the log from git (`git checkout events/log.jsonl`); "
            "to change a claim, append a ClaimCorrected",
        )
    _check_envelope(record, claimed, where)
    written, upcast = record["data"], record["schema"] != SCHEMA_VERSION
    try:
        # (an upcaster gets a copy: the event id is checked on the payload as written)
        data = _upcast(record["type"], record["schema"],
                       copy.deepcopy(written) if upcast else written, where)
        _check_payload_types(record["type"], data, where)
        event = event_from_data(record["type"], data, where)
        event_id = event.event_id
    except InvalidEvent as exc:
        if exc.where and exc.where.startswith(where):
            raise
        # the payload's own checks name the claim or document: add the line and seq
        raise InvalidEvent(exc.what, where=where + (f"; {exc.where}" if exc.where else ""),
                           hint=exc.hint) from None
    except (TypeError, ValueError, AttributeError, KeyError, RecursionError) as exc:
        raise InvalidEvent(
            f"the {record['type']} payload cannot be read ({type(exc).__name__}: "
            f"{str(exc)[:80]})",
            where=where,
            hint="the line was not written by this version of Tadmur; restore the log from git",
        ) from None
    if upcast:  # the event id is the hash of the payload as it was written
        event_id = sha256_hex(canonical_json({"type": record["type"], "data": written}))[:32]
    if event_id != record["event_id"]:
        raise LogCorrupted(
            f"event_id {record['event_id']!r} is not the content hash of the payload",
            where=where,
            hint="restore the log from git",
        )
    return LoggedEvent(seq, record["event_id"], record["recorded_at"], record["prev_hash"],
                       claimed, event)


def looks_whole(raw: bytes) -> bool:
    """True if ``raw`` is a complete JSON object: a torn write never is, so such a line
    was written whole (and, if it is wrong, was damaged or edited later)."""
    try:
        return isinstance(json.loads(raw), dict)
    except (ValueError, RecursionError):
        return False


def _compact(record: dict[str, Any]) -> str | None:
    try:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):
        return None


def _digest(record: dict[str, Any]) -> str | None:
    try:
        return sha256_hex(canonical_json(record))
    except (UnicodeEncodeError, ValueError, RecursionError):
        return None  # e.g. an unpaired surrogate: never written by `encode_line`


_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _check_envelope(record: dict[str, Any], digest: str, where: str) -> None:
    """The envelope's types, checked once its hash holds (so the line is whole)."""
    checks = (
        ("seq", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
         "a positive integer"),
        ("event_id", lambda v: isinstance(v, str) and _HEX32.fullmatch(v), "32 hex digits"),
        ("type", lambda v: isinstance(v, str), "a string"),
        ("recorded_at", lambda v: isinstance(v, str) and _STAMP.fullmatch(v),
         "a UTC time like 2026-01-01T00:00:00.000000Z"),
        ("schema", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
         "a positive integer"),
        ("prev_hash", lambda v: isinstance(v, str) and _HEX64.fullmatch(v), "64 hex digits"),
        ("data", lambda v: isinstance(v, dict), "an object"),
    )
    for name, ok, expected in checks:
        if not ok(record[name]):
            cls = LogCorrupted if name == "seq" else InvalidEvent
            raise cls(f"{name} must be {expected}, found {_short(record[name])}", where=where,
                      hint="the line was not written by `tadmur`; restore the log from git")
    if not _HEX64.fullmatch(digest):
        raise InvalidEvent(f"hash must be 64 hex digits, found {_short(digest)}", where=where,
                           hint="restore the log from git")


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "str | None": (str, type(None)),
    "bool": (bool,),
    "float": (int, float),
    "dict[str, Any]": (dict,),
}


def _check_payload_types(type_name: str, data: dict[str, Any], where: str) -> None:
    """Every payload field has the JSON type its event declares (before building it)."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None or not isinstance(data, dict):
        return  # event_from_data names the problem
    for f in dataclasses.fields(cls):
        allowed = _TYPES.get(str(f.type))
        if f.name not in data or allowed is None:
            continue
        value = data[f.name]
        if not isinstance(value, allowed) or (bool not in allowed and isinstance(value, bool)):
            raise InvalidEvent(
                f"{type_name}.{f.name} must be {f.type}, found {_short(value)}",
                where=where,
                hint="the line was not written by this version of Tadmur; "
                "restore the log from git",
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _upcast(type_name: str, version: Any, data: dict[str, Any], where: str) -> dict[str, Any]:
    if version > SCHEMA_VERSION:
        raise InvalidEvent(
            f"schema version {version} is newer than this Tadmur understands ({SCHEMA_VERSION})",
            where=where,
            hint="upgrade Tadmur (pip install -e . in an up-to-date checkout)",
        )
    while version < SCHEMA_VERSION:
        upcast = UPCASTERS.get((type_name, version))
        if upcast is None:
            raise InvalidEvent(f"no upcaster for {type_name} schema {version}", where=where,
                               hint="the line names an event type or version Tadmur never wrote")
        data = upcast(data)
        version += 1
    return data
