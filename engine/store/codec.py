"""One log line <-> one event: framing, hashing and upcasting.

A line is a JSON object ending in ``\\n``. ``hash`` is the sha256 of the canonical
JSON of the line without ``hash``; ``prev_hash`` is the previous line's ``hash``,
so editing any byte of an earlier line breaks the chain from there on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine.domain.errors import InvalidEvent, LogCorrupted
from engine.domain.events import (
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
#: are upcast on read, never rewritten.
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
    ClaimRetracted(claim_id='c1', reason='misread')
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

    Raises:
        LogCorrupted: the line is not a well-formed record, or its hash does not match.
        InvalidEvent: the payload breaks the event schema.
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
    if not isinstance(record, dict) or set(record) != set(_ENVELOPE):
        found = sorted(record) if isinstance(record, dict) else type(record).__name__
        raise LogCorrupted(
            f"a log line needs the fields {', '.join(_ENVELOPE)}; found {found}",
            where=where,
            hint="the line was not written by `tadmur`; restore the log from git",
        )
    seq = record["seq"]
    where = f"line {line_no}, seq {seq}"
    claimed = record.pop("hash")
    if sha256_hex(canonical_json(record)) != claimed:
        raise LogCorrupted(
            "the line's content does not match its hash: it was edited after it was written",
            where=where,
            hint="restore the log from git (`git checkout events/log.jsonl`); "
            "to change a claim, append a ClaimCorrected",
        )
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise LogCorrupted(f"seq must be a positive integer, found {seq!r}", where=where,
                           hint="restore the log from git")
    data = _upcast(record["type"], record["schema"], record["data"], where)
    event = event_from_data(record["type"], data, where)
    if event.event_id != record["event_id"]:
        raise LogCorrupted(
            f"event_id {record['event_id']!r} is not the content hash of the payload",
            where=where,
            hint="restore the log from git",
        )
    return LoggedEvent(seq, record["event_id"], record["recorded_at"], record["prev_hash"],
                       claimed, event)


def _upcast(type_name: str, version: Any, data: dict[str, Any], where: str) -> dict[str, Any]:
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidEvent(f"schema version must be a positive integer, found {version!r}",
                           where=where, hint="the line was not written by `tadmur`")
    if version > SCHEMA_VERSION:
        raise InvalidEvent(
            f"schema version {version} is newer than this Tadmur understands ({SCHEMA_VERSION})",
            where=where,
            hint="upgrade Tadmur (pip install -e . in an up-to-date checkout)",
        )
    while version < SCHEMA_VERSION:
        data = UPCASTERS[(type_name, version)](data)
        version += 1
    return data
