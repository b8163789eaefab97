"""The event classes are the one statement of what a log line holds: the frames, the
encoder, the replay's correctable fields and the reader derive from them, and they agree
with the schemas of the tables (no disk here)."""

from __future__ import annotations

import dataclasses
import json

import polars as pl
import pytest

from engine.domain import codes, events
from engine.domain.errors import InvalidEvent, LogCorrupted
from engine.domain.events import (
    CLAIM_ACTIONS,
    CLAIM_IDENTITY,
    CORRECTABLE_FIELDS,
    EVENT_CLASSES,
    EVENT_TYPES,
    ClaimCorrected,
    ClaimRecorded,
    ClaimRetracted,
    DocumentRegistered,
    canonical_json,
    payload_fields,
    sha256_hex,
)
from engine.domain.schema import CLAIM_EVENTS
from engine.store import codec
from engine.store.codec import GENESIS_HASH, decode_line, encode_line

#: the polars type a payload annotation is read as, in claim_events
_COLUMN_TYPE = {
    "str": pl.String(),
    "str | None": pl.String(),
    "bool": pl.Boolean(),
    "float": pl.Float64(),
}
STAMP = "2026-01-01T00:00:00.000000Z"


def column_of(cls: type[events.Event], name: str) -> tuple[str, pl.DataType]:
    """The claim_events column a payload field lands in, and the type it must have."""
    field = {f.name: f for f in dataclasses.fields(cls)}[name]
    column = "published_date" if (cls, name) == (DocumentRegistered, "published") else name
    dtype = pl.Date() if name in cls.DATES else _COLUMN_TYPE[str(field.type)]
    return column, dtype


def test_every_type_is_registered_once_under_its_own_name():
    assert list(EVENT_TYPES) == [cls.TYPE for cls in EVENT_CLASSES]
    assert len(set(EVENT_TYPES)) == len(EVENT_CLASSES)
    assert all(
        dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        for cls in EVENT_CLASSES
    )


def test_the_claim_actions_are_the_event_values_the_replay_codes():
    assert sorted(CLAIM_ACTIONS.values()) == sorted(codes.EVENTS)
    assert "event" in CLAIM_EVENTS


@pytest.mark.parametrize(
    "name", [n for n in payload_fields(ClaimRecorded) if n not in ("claim_id", "evidence")]
)
def test_a_recorded_claims_field_is_a_claim_events_column_of_the_same_type(name):
    column, dtype = column_of(ClaimRecorded, name)
    assert CLAIM_EVENTS[column][0] == dtype, f"{name}: {CLAIM_EVENTS[column][0]} != {dtype}"


def test_the_evidence_and_the_documents_date_have_their_columns():
    assert {f"evidence_{part}" for part in ("start", "end", "text")} <= set(CLAIM_EVENTS)
    column, dtype = column_of(DocumentRegistered, "published")
    assert CLAIM_EVENTS[column][0] == dtype


def test_every_claim_events_column_comes_from_an_event_or_its_envelope():
    from_events = {
        column_of(ClaimRecorded, n)[0] for n in payload_fields(ClaimRecorded) if n != "evidence"
    }
    from_events |= {
        "evidence_start",
        "evidence_end",
        "evidence_text",
        "published_date",
        *payload_fields(events.ClaimReviewed),
    }
    assert set(CLAIM_EVENTS) - from_events == {"seq", "event"}


def test_a_correction_replaces_fields_a_claim_has_and_the_codes_follow_them():
    assert set(CORRECTABLE_FIELDS) <= set(payload_fields(ClaimRecorded))
    assert set(CLAIM_IDENTITY) <= set(payload_fields(ClaimRecorded))
    assert {"claim_id", "doc_id", "evidence", "extractor"}.isdisjoint(CORRECTABLE_FIELDS)
    coded = {codes.CODED_AS.get(n, n) for n in CORRECTABLE_FIELDS}
    assert coded - set(codes.ASSERTED_CODES) == {"time_precision"}  # the replay never reads it


def test_the_correction_a_claim_allows_is_checked_against_the_same_list():
    fields = dict.fromkeys(CORRECTABLE_FIELDS[:-1], "x")
    with pytest.raises(InvalidEvent, match=", ".join(CORRECTABLE_FIELDS)):
        ClaimCorrected("c1", fields, "misread").validate()


# --- upcasting: an old payload is read through the table, never rewritten --------------


def old_line(seq: int, data: dict, schema: int) -> str:
    """A line as an older Tadmur wrote it: ``data`` in the old shape, ``schema`` its
    version, hashed as written."""
    record = {
        "seq": seq,
        "type": "ClaimRetracted",
        "recorded_at": STAMP,
        "schema": schema,
        "prev_hash": GENESIS_HASH,
        "data": data,
    }
    record = {
        "seq": seq,
        "event_id": sha256_hex(canonical_json({"type": "ClaimRetracted", "data": data}))[:32],
        **record,
    }
    record["hash"] = sha256_hex(canonical_json(record))
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


@pytest.fixture
def next_version(monkeypatch):
    """This code one version on: ClaimRetracted's ``reason`` was called ``why`` before."""
    version = events.SCHEMA_VERSION
    monkeypatch.setattr(codec, "SCHEMA_VERSION", version + 1)

    def renamed(data: dict) -> dict:
        data["reason"] = data.pop("why")
        return data

    monkeypatch.setitem(codec.UPCASTERS, ("ClaimRetracted", version), renamed)
    return version


def test_an_old_line_is_upcast_on_read_and_keeps_its_hash_and_event_id(next_version):
    written = {"claim_id": "c1", "why": "misread"}
    line = old_line(3, written, next_version)
    logged = decode_line(line, 3)
    assert logged.event == ClaimRetracted("c1", "misread")
    assert logged.event_id == json.loads(line)["event_id"]
    assert logged.hash == json.loads(line)["hash"]
    assert written == {"claim_id": "c1", "why": "misread"}  # the caller's payload untouched


def test_a_line_of_the_current_version_is_read_without_upcasting(next_version):
    line, _ = encode_line(4, ClaimRetracted("c2", "duplicate"), STAMP, GENESIS_HASH)
    assert json.loads(line)["schema"] == next_version + 1
    assert decode_line(line.rstrip("\n"), 4).event == ClaimRetracted("c2", "duplicate")


def test_an_upcast_line_whose_event_id_is_not_its_written_payloads_is_refused(next_version):
    record = json.loads(old_line(3, {"claim_id": "c1", "why": "misread"}, next_version))
    record.pop("hash")
    record["event_id"] = sha256_hex(
        canonical_json({"type": "ClaimRetracted", "data": {"claim_id": "c1", "reason": "misread"}})
    )[:32]
    record["hash"] = sha256_hex(canonical_json(record))
    with pytest.raises(LogCorrupted, match="is not the content hash of the payload"):
        decode_line(json.dumps(record, ensure_ascii=False, separators=(",", ":")), 3)


def test_an_old_payload_the_upcaster_cannot_read_is_named(next_version):
    with pytest.raises(InvalidEvent, match=r"ClaimRetracted payload cannot be read \(KeyError"):
        decode_line(old_line(5, {"claim_id": "c1", "reason": "already new"}, next_version), 5)


def test_a_version_without_an_upcaster_is_refused(monkeypatch):
    monkeypatch.setattr(codec, "SCHEMA_VERSION", events.SCHEMA_VERSION + 1)
    line = old_line(2, {"claim_id": "c1", "reason": "misread"}, events.SCHEMA_VERSION)
    with pytest.raises(
        InvalidEvent, match=f"no upcaster for ClaimRetracted schema {events.SCHEMA_VERSION}"
    ):
        decode_line(line, 2)
